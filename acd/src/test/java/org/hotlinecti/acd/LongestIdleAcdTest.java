package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LongestIdleAcdTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-03-02T02:00:00Z"));
    private final List<Offer> offers = new ArrayList<>();
    private final List<AgentStatus> changes = new ArrayList<>();
    private LongestIdleAcd acd;

    @BeforeEach
    void setUp() {
        acd = new LongestIdleAcd(clock, new AcdListener() {
            @Override
            public void offer(Offer offer) {
                offers.add(offer);
            }

            @Override
            public void agentChanged(AgentStatus agent, AgentState previous) {
                changes.add(agent);
            }
        });
    }

    private void readyAgent(String id, Map<String, Integer> skills) {
        acd.defineAgent(new AgentProfile(id, "agent " + id, id, skills));
        acd.login(id);
        acd.ready(id);
        clock.advance(Duration.ofSeconds(1));
    }

    private static CallRequest call(String id, String skill, int level, int priority) {
        return new CallRequest(id, new SkillRequirement(skill, level), priority);
    }

    @Test
    void offersTheCallToTheLongestIdleReadyAgentWithTheSkill() {
        readyAgent("1001", Map.of("general", 5));
        readyAgent("1002", Map.of("market", 8));
        readyAgent("1003", Map.of("market", 6));

        acd.enqueue(call("c1", "market", 5, 0));

        assertThat(offers).containsExactly(new Offer("c1", "1002", "1002", 1));
        assertThat(acd.agent("1002").orElseThrow().state()).isEqualTo(AgentState.OFFERED);
        assertThat(acd.agent("1002").orElseThrow().callId()).isEqualTo("c1");
        assertThat(acd.waitingCount()).isZero();
    }

    @Test
    void respectsTheMinimumLevel() {
        readyAgent("1001", Map.of("market", 4));

        acd.enqueue(call("c1", "market", 5, 0));

        assertThat(offers).isEmpty();
        assertThat(acd.waitingCount()).isEqualTo(1);
    }

    @Test
    void aFreedAgentTakesTheHighestPriorityThenTheOldestCall() {
        acd.defineAgent(new AgentProfile("1001", "A", "1001", Map.of("general", 5)));
        acd.login("1001");
        acd.enqueue(call("old", "general", 1, 0));
        clock.advance(Duration.ofSeconds(5));
        acd.enqueue(call("urgent", "general", 1, 3));
        clock.advance(Duration.ofSeconds(5));
        acd.enqueue(call("new", "general", 1, 0));

        acd.ready("1001");
        assertThat(offers).extracting(Offer::callId).containsExactly("urgent");

        acd.answered("urgent", "1001");
        acd.callEnded("1001");
        acd.wrapUpDone("1001");
        assertThat(offers).extracting(Offer::callId).containsExactly("urgent", "old");
    }

    @Test
    void noAnswerMakesTheAgentNotReadyAndTheCallGoesToTheNextAgentKeepingItsPlace() {
        readyAgent("1001", Map.of("general", 5));
        acd.enqueue(call("c1", "general", 1, 0));
        clock.advance(Duration.ofSeconds(1));
        acd.enqueue(call("c2", "general", 1, 0));
        assertThat(offers).extracting(Offer::callId).containsExactly("c1");

        acd.offerFailed("c1", "1001", OfferFailure.NO_ANSWER);
        AgentStatus rona = acd.agent("1001").orElseThrow();
        assertThat(rona.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(rona.reason()).isEqualTo("rona");

        readyAgent("1002", Map.of("general", 5));
        assertThat(offers).containsExactly(new Offer("c1", "1001", "1001", 1), new Offer("c1", "1002", "1002", 2));
    }

    @Test
    void abandonWhileOfferedFreesTheAgentForTheNextCall() {
        readyAgent("1001", Map.of("general", 5));
        acd.enqueue(call("c1", "general", 1, 0));
        acd.enqueue(call("c2", "general", 1, 0));

        acd.abandon("c1");

        assertThat(offers).extracting(Offer::callId).containsExactly("c1", "c2");
        assertThat(acd.isQueued("c1")).isFalse();
        assertThat(acd.agent("1001").orElseThrow().callId()).isEqualTo("c2");
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
        readyAgent("1001", Map.of("general", 5));
        readyAgent("1002", Map.of("general", 5));
        acd.enqueue(call("c1", "general", 1, 0));
        assertThat(offers).extracting(Offer::agentId).containsExactly("1001");
        clock.advance(Duration.ofSeconds(3));
        acd.abandon("c1");

        acd.enqueue(call("c2", "general", 1, 0));

        // 1001 got nothing and has still been idle longest
        assertThat(offers).extracting(Offer::agentId).containsExactly("1001", "1001");
        assertThat(acd.agent("1001").orElseThrow().callId()).isEqualTo("c2");
    }

    @Test
    void withdrawnOfferMakesTheAgentReadyAndReoffers() {
        readyAgent("1001", Map.of("general", 5));
        acd.enqueue(call("c1", "general", 1, 0));

        acd.offerWithdrawn("c1", "1001");

        assertThat(offers).extracting(Offer::attempt).containsExactly(1, 2);
        assertThat(acd.agent("1001").orElseThrow().state()).isEqualTo(AgentState.OFFERED);
    }

    @Test
    void wrapUpIsAStateBetweenTheCallAndTheNextOne() {
        readyAgent("1001", Map.of("general", 5));
        acd.enqueue(call("c1", "general", 1, 0));
        acd.answered("c1", "1001");
        acd.enqueue(call("c2", "general", 1, 0));
        acd.callEnded("1001");

        assertThat(acd.agent("1001").orElseThrow().state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(acd.agent("1001").orElseThrow().callId()).isEqualTo("c1");
        assertThat(offers).extracting(Offer::callId).containsExactly("c1");

        acd.wrapUpDone("1001");
        assertThat(offers).extracting(Offer::callId).containsExactly("c1", "c2");
    }

    @Test
    void forbiddenTransitionsThrowAndChangeNothing() {
        acd.defineAgent(new AgentProfile("1001", "A", "1001", Map.of("general", 5)));
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
        assertThat(acd.agent("1001").orElseThrow().state()).isEqualTo(AgentState.OFFERED);
    }

    @Test
    void skillChangesApplyLive() {
        acd.defineAgent(new AgentProfile("1001", "A", "1001", Map.of("general", 5)));
        acd.login("1001");
        acd.ready("1001");
        acd.enqueue(call("c1", "market", 3, 0));
        assertThat(offers).isEmpty();

        acd.defineAgent(new AgentProfile("1001", "A", "1001", Map.of("general", 5, "market", 3)));

        assertThat(offers).extracting(Offer::callId).containsExactly("c1");
    }

    @Test
    void everyStateChangeIsReported() {
        readyAgent("1001", Map.of("general", 5));
        assertThat(changes).extracting(AgentStatus::state)
                .containsExactly(AgentState.NOT_READY, AgentState.READY);
        assertThat(changes.get(0).reason()).isEqualTo("login");
    }

    @Test
    void profilesRejectLevelsOutsideOneToTen() {
        assertThatThrownBy(() -> new AgentProfile("1", "x", "1", Map.of("general", 11)))
                .hasMessageContaining("1..10");
        assertThatThrownBy(() -> new SkillRequirement("general", 0)).hasMessageContaining("1..10");
    }
}
