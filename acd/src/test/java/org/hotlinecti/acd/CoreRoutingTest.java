package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoreRoutingTest extends EngineFixture {

    @AfterEach
    void consistent() {
        acd.checkInvariants();
    }

    @Test
    void offersTheCallToTheLongestIdleReadyAgentWithTheSkill() {
        readyAgent("1001", "general", 5);
        readyAgent("1002", "market", 8);
        readyAgent("1003", "market", 6);

        acd.enqueue(call("c1", "market", 5, 0));

        assertThat(rec.offers).containsExactly(new Offer("c1", "1002", "ext1002", 1));
        assertThat(agent("1002").state()).isEqualTo(AgentState.OFFERED);
        assertThat(agent("1002").callId()).isEqualTo("c1");
        assertThat(acd.waitingCount()).isZero();
    }

    @Test
    void respectsTheMinimumLevel() {
        readyAgent("1001", "market", 4);
        acd.enqueue(call("c1", "market", 5, 0));
        assertThat(rec.offers).isEmpty();
        assertThat(acd.waitingCount()).isEqualTo(1);
    }

    @Test
    void aBareSkillRequestUsesTheQueueNamedAfterTheSkillWhenDefined() {
        acd.defineQueue(queue("market", Strategy.LONGEST_IDLE, step(0, "market", 8)));
        readyAgent("1001", "market", 6);
        acd.enqueue(call("c1", "market", 1, 0));
        assertThat(rec.offers).isEmpty();
        assertThat(acd.estimate("c1").orElseThrow().queue()).isEqualTo("market");
    }

    @Test
    void aFreedAgentTakesTheHighestScoreThenTheOldestCall() {
        loggedIn("1001", "general", 5);
        acd.enqueue(call("old", "general", 1, 0));
        advance(5);
        acd.enqueue(call("urgent", "general", 1, 3));
        advance(5);
        acd.enqueue(call("new", "general", 1, 0));

        acd.ready("1001");
        assertThat(rec.offeredCalls()).containsExactly("urgent");

        serve("urgent", "1001");
        assertThat(rec.offeredCalls()).containsExactly("urgent", "old");
    }

    @Test
    void priorityIsABoostNotAnAbsoluteRank() {
        acd.updateSettings(acd.settings().withPriorityBoost(Duration.ofSeconds(30)));
        loggedIn("1001", "general", 5);
        acd.enqueue(call("old", "general", 1, 0));
        advance(40);
        acd.enqueue(call("urgent", "general", 1, 1));
        acd.ready("1001");
        // old has waited 40 s, urgent 0 s + 30 s boost
        assertThat(rec.offeredCalls()).containsExactly("old");
    }

    @Test
    void noAnswerMakesTheAgentNotReadyAndTheCallGoesToTheNextAgentKeepingItsPlace() {
        readyAgent("1001", "general", 5);
        acd.enqueue(call("c1", "general", 1, 0));
        advance(1);
        acd.enqueue(call("c2", "general", 1, 0));

        acd.offerFailed("c1", "1001", OfferFailure.NO_ANSWER);
        assertThat(agent("1001").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("1001").reason()).isEqualTo("rona");

        readyAgent("1002", "general", 5);
        assertThat(rec.offers).containsExactly(new Offer("c1", "1001", "ext1001", 1),
                new Offer("c1", "1002", "ext1002", 2));
    }

    @Test
    void abandonWhileOfferedFreesTheAgentForTheNextCall() {
        readyAgent("1001", "general", 5);
        acd.enqueue(call("c1", "general", 1, 0));
        acd.enqueue(call("c2", "general", 1, 0));

        acd.abandon("c1");

        assertThat(rec.offeredCalls()).containsExactly("c1", "c2");
        assertThat(acd.isQueued("c1")).isFalse();
        assertThat(agent("1001").callId()).isEqualTo("c2");
        assertThat(rec.events(AcdEvent.CallAbandoned.class)).extracting(AcdEvent.CallAbandoned::callId)
                .containsExactly("c1");
    }

    @Test
    void abandonOfAWaitingCallRemovesItAndUnknownCallsAreIgnored() {
        acd.enqueue(call("c1", "general", 1, 0));
        acd.abandon("c1");
        acd.abandon("never-seen");
        assertThat(acd.waitingCount()).isZero();
        assertThat(acd.isQueued("c1")).isFalse();
    }

    @Test
    void anOfferThatNeverConnectedKeepsTheAgentsPlaceInTheIdleOrder() {
        readyAgent("1001", "general", 5);
        readyAgent("1002", "general", 5);
        acd.enqueue(call("c1", "general", 1, 0));
        advance(3);
        acd.abandon("c1");

        acd.enqueue(call("c2", "general", 1, 0));

        assertThat(rec.offeredAgents()).containsExactly("1001", "1001");
    }

    @Test
    void withdrawnOfferMakesTheAgentReadyAndReoffers() {
        readyAgent("1001", "general", 5);
        acd.enqueue(call("c1", "general", 1, 0));

        acd.offerWithdrawn("c1", "1001");

        assertThat(rec.offers).extracting(Offer::attempt).containsExactly(1, 2);
        assertThat(agent("1001").state()).isEqualTo(AgentState.OFFERED);
    }

    @Test
    void wrapUpIsAStateBetweenTheCallAndTheNextOne() {
        readyAgent("1001", "general", 5);
        acd.enqueue(call("c1", "general", 1, 0));
        acd.answered("c1", "1001");
        acd.enqueue(call("c2", "general", 1, 0));
        acd.callEnded("1001");

        assertThat(agent("1001").state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(agent("1001").callId()).isEqualTo("c1");
        assertThat(rec.offeredCalls()).containsExactly("c1");

        acd.wrapUpDone("1001");
        assertThat(rec.offeredCalls()).containsExactly("c1", "c2");
    }

    @Test
    void forbiddenTransitionsThrowAndChangeNothing() {
        defineAgent("1001", "general", 5);
        assertThatThrownBy(() -> acd.ready("1001")).isInstanceOf(AcdException.class)
                .hasMessageContaining("logged_out");
        assertThatThrownBy(() -> acd.ready("9999")).isInstanceOf(AcdException.class)
                .extracting(e -> ((AcdException) e).kind()).isEqualTo(AcdException.Kind.UNKNOWN_AGENT);

        acd.login("1001");
        acd.ready("1001");
        acd.enqueue(call("c1", "general", 1, 0));
        assertThatThrownBy(() -> acd.logout("1001")).isInstanceOf(AcdException.class);
        assertThatThrownBy(() -> acd.answered("c1", "1002")).isInstanceOf(AcdException.class);
        assertThatThrownBy(() -> acd.enqueue(call("c1", "general", 1, 0))).isInstanceOf(AcdException.class);
        assertThatThrownBy(() -> acd.enqueue(CallRequest.toQueue("c9", "nope", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown queue 'nope'");
        assertThat(agent("1001").state()).isEqualTo(AgentState.OFFERED);
    }

    @Test
    void skillChangesApplyLive() {
        readyAgent("1001", "general", 5);
        acd.enqueue(call("c1", "market", 3, 0));
        assertThat(rec.offers).isEmpty();

        acd.defineAgent(new AgentProfile("1001", "A", "1001", Map.of("general", 5, "market", 3)));

        assertThat(rec.offeredCalls()).containsExactly("c1");
    }

    @Test
    void strategyChangesApplyLive() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        readyAgent("a", "general", 3);
        readyAgent("b", "general", 9);
        acd.defineQueue(queue("q", Strategy.MOST_SKILLED, step(0, "general", 1)));
        enqueue("c1", "q");
        assertThat(rec.offeredAgents()).containsExactly("b");
    }

    @Test
    void redefiningAQueueMovesWaitingCallsToTheStepTheirWaitReached() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "market", 9)));
        readyAgent("m6", "market", 6);
        enqueue("c1", "q");
        advance(30);
        assertThat(rec.offers).isEmpty();

        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "market", 9), step(20, "market", 5)));

        assertThat(rec.offeredAgents()).containsExactly("m6");
        assertThat(acd.estimate("c1").orElseThrow().step()).isEqualTo(1);
    }

    @Test
    void aNewPriorityBoostRescoresWaitingCalls() {
        loggedIn("a", "general", 5);
        acd.enqueue(call("old", "general", 1, 0));
        advance(100);
        acd.enqueue(call("vip", "general", 1, 1));
        // 60 s per point: old (100 s) still leads; at 300 s per point vip (300 s) does
        acd.updateSettings(acd.settings().withPriorityBoost(Duration.ofSeconds(300)));
        acd.ready("a");
        assertThat(rec.offeredCalls()).containsExactly("vip");
    }

    @Test
    void everyStateChangeIsReported() {
        readyAgent("1001", "general", 5);
        assertThat(rec.changes).extracting(AgentStatus::state)
                .containsExactly(AgentState.NOT_READY, AgentState.READY);
        assertThat(rec.changes.get(0).reason()).isEqualTo("login");
    }

    @Test
    void sixtyFourAndMoreSkillsAreRoutable() {
        for (int s = 0; s < 80; s++) {
            readyAgent("a" + s, "skill" + s, 1 + s % 10);
        }
        acd.enqueue(call("c", "skill71", 2, 0));
        assertThat(rec.offeredAgents()).containsExactly("a71");
    }

    @Test
    void profilesAndConfigRejectBadValues() {
        assertThatThrownBy(() -> new AgentProfile("1", "x", "1", Map.of("general", 11)))
                .hasMessageContaining("1..10");
        assertThatThrownBy(() -> new SkillRequirement("general", 0)).hasMessageContaining("1..10");
        assertThatThrownBy(() -> queue("q", Strategy.LINEAR, step(5, "general", 1)))
                .hasMessageContaining("must start at 0 s");
        assertThatThrownBy(() -> queue("q", Strategy.LINEAR, step(0, "general", 1), step(0, "general", 1)))
                .hasMessageContaining("later and later");
        assertThatThrownBy(() -> Strategy.byName("fastest")).hasMessageContaining("longest-idle");
        assertThatThrownBy(() -> ExitTarget.parse("mars")).hasMessageContaining("queue:NAME");
        assertThat(Strategy.byName("round-robin-memory")).isEqualTo(Strategy.ROUND_ROBIN_MEMORY);
    }
}
