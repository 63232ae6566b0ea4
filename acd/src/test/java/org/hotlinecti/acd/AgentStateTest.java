package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentStateTest extends EngineFixture {

    @AfterEach
    void consistent() {
        acd.checkInvariants();
    }

    @Test
    void pauseSessionsAreRecordedWithReasonAndDuration() {
        loggedIn("a", "general", 5);
        advance(10);
        acd.ready("a");
        advance(5);
        acd.notReady("a", "training");
        advance(120);
        acd.notReady("a", "break");
        advance(30);
        acd.ready("a");

        assertThat(acd.pauseSessions("a")).extracting(PauseSession::reason, p -> p.duration().toSeconds())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("login", 10L),
                        org.assertj.core.groups.Tuple.tuple("training", 120L),
                        org.assertj.core.groups.Tuple.tuple("break", 30L));
        assertThat(rec.events(AcdEvent.PauseEnded.class)).hasSize(3);
    }

    @Test
    void wrapUpIsCappedByTheQueuesMaximumThroughTheDeadline() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1))
                .withWrapUpMax(Duration.ofSeconds(30)));
        readyAgent("a", "general", 5);
        enqueue("c1", "q");
        acd.answered("c1", "a");
        advance(100);
        acd.callEnded("a");
        assertThat(agent("a").resumesAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(acd.nextDeadline()).contains(clock.instant().plusSeconds(30));
        enqueue("c2", "q");
        advance(29);
        assertThat(agent("a").state()).isEqualTo(AgentState.WRAP_UP);
        advance(1);
        assertThat(rec.offeredCalls()).containsExactly("c1", "c2");
    }

    @Test
    void busyAndRejectBackOffThenReturnTheAgentAutomatically() {
        acd.updateSettings(acd.settings().withBackoff(new BackoffPolicy(null, Duration.ofSeconds(10),
                Duration.ofSeconds(20), null, 0)));
        readyAgent("a", "general", 5);
        acd.enqueue(call("c1", "general", 1, 0));
        acd.offerFailed("c1", "a", OfferFailure.BUSY);
        assertThat(agent("a").reason()).isEqualTo("busy");
        assertThat(agent("a").resumesAt()).isEqualTo(clock.instant().plusSeconds(10));
        advance(10);
        assertThat(rec.offers).hasSize(2);
        acd.offerFailed("c1", "a", OfferFailure.REJECTED);
        advance(19);
        assertThat(agent("a").state()).isEqualTo(AgentState.NOT_READY);
        advance(1);
        assertThat(rec.offers).hasSize(3);
        acd.offerFailed("c1", "a", OfferFailure.NO_ANSWER);
        advance(3600);
        assertThat(agent("a").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("a").reason()).isEqualTo("rona");
        assertThat(agent("a").resumesAt()).isNull();
    }

    @Test
    void consecutiveNoAnswersSendTheAgentOnAutoBreak() {
        acd.updateSettings(acd.settings().withBackoff(new BackoffPolicy(Duration.ofSeconds(5), null, null, null,
                3)));
        readyAgent("a", "general", 5);
        acd.enqueue(call("c1", "general", 1, 0));
        acd.offerFailed("c1", "a", OfferFailure.NO_ANSWER);
        advance(5);
        acd.offerFailed("c1", "a", OfferFailure.NO_ANSWER);
        advance(5);
        // an answer in between resets the count
        acd.answered("c1", "a");
        acd.callEnded("a");
        acd.wrapUpDone("a");
        for (int i = 0; i < 3; i++) {
            acd.enqueue(call("n" + i, "general", 1, 0));
            acd.offerFailed("n" + i, "a", OfferFailure.NO_ANSWER);
            acd.abandon("n" + i);
            advance(5);
        }
        assertThat(agent("a").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("a").reason()).isEqualTo("auto_break");
        assertThat(agent("a").resumesAt()).isNull();
    }

    @Test
    void manualReadyEndsABackOffEarly() {
        acd.updateSettings(acd.settings().withBackoff(new BackoffPolicy(Duration.ofSeconds(30), null, null, null,
                0)));
        readyAgent("a", "general", 5);
        acd.enqueue(call("c1", "general", 1, 0));
        acd.offerFailed("c1", "a", OfferFailure.NO_ANSWER);
        acd.ready("a");
        assertThat(rec.offers).hasSize(2);
        assertThat(acd.nextDeadline()).isEmpty();
    }
}
