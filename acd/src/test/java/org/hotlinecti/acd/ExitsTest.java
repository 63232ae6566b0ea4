package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExitsTest extends EngineFixture {

    @AfterEach
    void consistent() {
        acd.checkInvariants();
    }

    @Test
    void maxWaitMovesTheCallToTheFallbackQueueKeepingItsWaitForTheScore() {
        acd.defineQueue(queue("backup", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        acd.defineQueue(queue("market", Strategy.LONGEST_IDLE, step(0, "market", 1))
                .withMaxWait(Duration.ofSeconds(90), ExitTarget.queue("backup")));
        loggedIn("g", "general", 5);
        enqueue("m1", "market");
        advance(10);
        enqueue("b1", "backup");
        advance(80);
        assertThat(rec.events(AcdEvent.CallOverflowed.class)).singleElement()
                .satisfies(e -> assertThat(e.toQueue()).isEqualTo("backup"));
        acd.ready("g");
        // m1 arrived first: it keeps that place in the backup queue
        assertThat(rec.offeredCalls()).containsExactly("m1");
        assertThat(acd.metrics().queues().get("market").overflowed()).isEqualTo(1);
    }

    @Test
    void maxWaitToVoicemailLeavesTheEngineWithAnEvent() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1))
                .withMaxWait(Duration.ofSeconds(30), ExitTarget.VOICEMAIL));
        acd.enqueue(CallRequest.toQueue("c1", "q", 0).withData(Map.of("line", "12345")));
        advance(30);
        assertThat(rec.events(AcdEvent.CallExited.class)).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo(ExitTarget.VOICEMAIL);
            assertThat(e.reason()).isEqualTo(AcdEvent.ExitReason.MAX_WAIT);
            assertThat(e.data()).containsEntry("line", "12345");
        });
        assertThat(acd.isQueued("c1")).isFalse();
        assertThat(acd.metrics().overall().exited()).isEqualTo(1);
    }

    @Test
    void maxWaitReachedWhileRingingIsActedOnWhenTheOfferFails() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1))
                .withMaxWait(Duration.ofSeconds(30), ExitTarget.CALLBACK));
        loggedIn("a", "general", 5);
        enqueue("c1", "q");
        advance(25);
        acd.ready("a");
        advance(10);
        assertThat(acd.isQueued("c1")).isTrue();
        acd.offerFailed("c1", "a", OfferFailure.NO_ANSWER);
        assertThat(rec.events(AcdEvent.CallExited.class)).extracting(AcdEvent.CallExited::target)
                .containsExactly(ExitTarget.CALLBACK);
    }

    @Test
    void diversionOnEstimatedWait() {
        acd.updateSettings(new AcdSettings(Duration.ofSeconds(60), Duration.ofSeconds(15), BackoffPolicy.MANUAL,
                Strategy.LONGEST_IDLE, Duration.ofSeconds(60), Duration.ofSeconds(60)));
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1))
                .withDiversion(new Diversion(Duration.ofSeconds(100), null, ExitTarget.CALLBACK)));
        loggedIn("a", "general", 5);
        // AHT 60 s, one agent: new call estimates 60, 120 ...
        enqueue("c1", "q");
        enqueue("c2", "q");
        assertThat(rec.events(AcdEvent.CallExited.class)).singleElement().satisfies(e -> {
            assertThat(e.callId()).isEqualTo("c2");
            assertThat(e.reason()).isEqualTo(AcdEvent.ExitReason.DIVERTED);
        });
    }

    @Test
    void diversionOnCallsPerAgent() {
        acd.defineQueue(queue("overflow", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "tax", 1))
                .withDiversion(new Diversion(null, 2.0, ExitTarget.queue("overflow"))));
        loggedIn("a", "tax", 5);
        enqueue("c1", "q");
        enqueue("c2", "q");
        enqueue("c3", "q");
        assertThat(rec.events(AcdEvent.CallOverflowed.class)).singleElement().satisfies(e -> {
            assertThat(e.callId()).isEqualTo("c3");
            assertThat(e.reason()).isEqualTo(AcdEvent.ExitReason.DIVERTED);
        });
        assertThat(acd.estimate("c3").orElseThrow().queue()).isEqualTo("overflow");
    }

    @Test
    void aClosedQueueSendsArrivalsAndWaitingCallsToItsClosedTarget() {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        // T0 = 10:00 local; open until 10:01
        Schedule hours = new TimeWindows(zone, List.of(new TimeWindows.Window(Set.of(), Set.of(),
                LocalTime.of(8, 0), LocalTime.of(10, 1))));
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1))
                .withOpen(hours, ExitTarget.VOICEMAIL));
        enqueue("c1", "q");
        advance(60);
        assertThat(rec.events(AcdEvent.QueueOpenChanged.class)).extracting(AcdEvent.QueueOpenChanged::open)
                .containsExactly(false);
        enqueue("c2", "q");
        assertThat(rec.events(AcdEvent.CallExited.class)).extracting(AcdEvent.CallExited::callId,
                AcdEvent.CallExited::reason).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("c1", AcdEvent.ExitReason.CLOSED),
                        org.assertj.core.groups.Tuple.tuple("c2", AcdEvent.ExitReason.CLOSED));
        assertThat(acd.waitingCount()).isZero();
    }

    @Test
    void aWindowEndingInsideAMillisecondClosesTheQueueWithoutSpinning() {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        // open until the last nanosecond of the day (10:00 local now): the change is inside a millisecond
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1)).withOpen(new TimeWindows(zone,
                List.of(new TimeWindows.Window(Set.of(), Set.of(), LocalTime.of(8, 0), LocalTime.MAX))),
                ExitTarget.queue("night")));
        acd.defineQueue(queue("night", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        enqueue("c1", "q");
        advance(14 * 3600);
        assertThat(rec.events(AcdEvent.QueueOpenChanged.class)).extracting(AcdEvent.QueueOpenChanged::open)
                .containsExactly(false);
        assertThat(acd.estimate("c1").orElseThrow().queue()).isEqualTo("night");
        assertThat(acd.nextDeadline()).contains(java.time.LocalDate.of(2026, 3, 3).atTime(8, 0).atZone(zone)
                .toInstant());
    }

    @Test
    void callbackInQueueKeepsThePlaceAndFallsDueWhenReached() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        loggedIn("a", "general", 5);
        acd.enqueue(CallRequest.toQueue("c1", "q", 0).withCaller("13800000001"));
        advance(1);
        enqueue("c2", "q");
        acd.requestCallback("c1");
        acd.abandon("c1");
        assertThat(acd.isQueued("c1")).isTrue();
        advance(30);
        acd.ready("a");
        assertThat(rec.events(AcdEvent.CallbackDue.class)).singleElement().satisfies(e -> {
            assertThat(e.callId()).isEqualTo("c1");
            assertThat(e.caller()).isEqualTo("13800000001");
            assertThat(e.waited()).isEqualTo(Duration.ofSeconds(31));
        });
        // the agent was not used up by the callback: it takes the next caller
        assertThat(rec.offeredCalls()).containsExactly("c2");
        assertThat(acd.isQueued("c1")).isFalse();
    }

    @Test
    void anAbandonedCallerCallingAgainWithinTheWindowResumesTheOldPlace() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1))
                .withRejoinWindow(Duration.ofMinutes(5)));
        loggedIn("a", "general", 5);
        acd.enqueue(CallRequest.toQueue("first", "q", 0).withCaller("139"));
        advance(10);
        enqueue("other", "q");
        advance(10);
        acd.abandon("first");
        advance(60);
        acd.enqueue(CallRequest.toQueue("again", "q", 0).withCaller("139"));
        assertThat(rec.events(AcdEvent.CallQueued.class)).last()
                .satisfies(e -> assertThat(e.resumedPlace()).isTrue());
        acd.ready("a");
        assertThat(rec.offeredCalls()).containsExactly("again");
    }

    @Test
    void aCallerCallingAgainAfterTheWindowQueuesAtTheBack() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1))
                .withRejoinWindow(Duration.ofMinutes(5)));
        loggedIn("a", "general", 5);
        acd.enqueue(CallRequest.toQueue("first", "q", 0).withCaller("139"));
        advance(10);
        enqueue("other", "q");
        acd.abandon("first");
        advance(301);
        acd.enqueue(CallRequest.toQueue("again", "q", 0).withCaller("139"));
        acd.ready("a");
        assertThat(rec.offeredCalls()).containsExactly("other");
    }
}
