package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelaxationReservePoolTest extends EngineFixture {

    @AfterEach
    void consistent() {
        acd.checkInvariants();
    }

    private void marketQueue() {
        acd.defineQueue(queue("market", Strategy.LONGEST_IDLE,
                step(0, "market", 8), step(20, "market", 5), step(60, "general", 1)));
    }

    @Test
    void relaxationWidensTheRequirementStepByStepAndTellsTheOwnerWhenToWake() {
        marketQueue();
        readyAgent("m5", "market", 5);
        readyAgent("g", "general", 4);
        enqueue("c1", "market");
        assertThat(rec.offers).isEmpty();
        assertThat(acd.nextDeadline()).contains(clock.instant().plusSeconds(20));

        advance(19.9);
        assertThat(rec.offers).isEmpty();
        advance(0.1);
        assertThat(rec.offeredAgents()).containsExactly("m5");
        assertThat(rec.events(AcdEvent.CallRelaxed.class)).extracting(AcdEvent.CallRelaxed::step)
                .containsExactly(1);
        assertThat(acd.estimate("c1").orElseThrow().step()).isEqualTo(1);
    }

    @Test
    void theLastStepReachesGeneralAgentsAndAReturnedCallStaysRelaxed() {
        marketQueue();
        readyAgent("g", "general", 4);
        enqueue("c1", "market");
        advance(59);
        assertThat(rec.offers).isEmpty();
        advance(1);
        assertThat(rec.offeredAgents()).containsExactly("g");
        acd.offerFailed("c1", "g", OfferFailure.BUSY);
        readyAgent("g2", "general", 1);
        assertThat(rec.offeredAgents()).containsExactly("g", "g2");
        assertThat(acd.nextDeadline()).isEmpty();
    }

    @Test
    void aFreedAgentTakesTheBestCallOverAllQueuesItServes() {
        acd.defineQueue(queue("12345", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        acd.defineQueue(queue("12315", Strategy.LONGEST_IDLE, step(0, "market", 1)));
        loggedIn("a", "general", 5, "market", 5);
        enqueue("g1", "12345");
        advance(1);
        enqueue("m1", "12315");
        advance(1);
        enqueue("g2", "12345");
        acd.ready("a");
        serve("g1", "a");
        serve("m1", "a");
        assertThat(rec.offeredCalls()).containsExactly("g1", "m1", "g2");
    }

    @Test
    void aQueueBoostLetsADepartmentLineOvertakeByThatMuch() {
        acd.defineQueue(queue("12345", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        acd.defineQueue(queue("dept", Strategy.LONGEST_IDLE, step(0, "general", 1))
                .withBoost(Duration.ofSeconds(10)));
        loggedIn("a", "general", 5);
        enqueue("old", "12345");
        advance(5);
        enqueue("dept1", "dept");
        advance(20);
        enqueue("dept2", "dept");
        acd.ready("a");
        serve("dept1", "a");
        serve("old", "a");
        // scores when a freed: old 25 s; dept1 20+10 = 30 s; dept2 0+10 = 10 s
        assertThat(rec.offeredCalls()).containsExactly("dept1", "old", "dept2");
    }

    @Test
    void aReserveSwitchesOnWhenTheOldestCallPassesTheThresholdAndOffWhenServed() {
        acd.defineQueue(queue("market", Strategy.LONGEST_IDLE, step(0, "market", 1)).withReserves(List.of(
                new ReserveRule("market_reserve", 1, ReserveRule.Basis.OLDEST_WAIT, Duration.ofSeconds(15),
                        Duration.ofSeconds(5)))));
        readyAgent("r", "market_reserve", 3);
        enqueue("c1", "market");
        assertThat(acd.nextDeadline()).contains(clock.instant().plusMillis(15_001));
        advance(15);
        assertThat(rec.offers).isEmpty();
        advance(0.001);
        assertThat(rec.offeredAgents()).containsExactly("r");
        assertThat(rec.events(AcdEvent.ReserveChanged.class)).extracting(AcdEvent.ReserveChanged::active)
                .containsExactly(true);

        acd.answered("c1", "r");
        assertThat(rec.events(AcdEvent.ReserveChanged.class)).extracting(AcdEvent.ReserveChanged::active)
                .containsExactly(true, false);
        acd.callEnded("r");
        acd.wrapUpDone("r");
        enqueue("c2", "market");
        assertThat(rec.offers).hasSize(1);
    }

    @Test
    void aReserveOnEstimatedWaitUsesTheEstimate() {
        acd.updateSettings(new AcdSettings(Duration.ofSeconds(60), Duration.ofSeconds(15), BackoffPolicy.MANUAL,
                Strategy.LONGEST_IDLE, Duration.ofSeconds(60), Duration.ofSeconds(10)));
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1)).withReserves(List.of(
                new ReserveRule("spare", 1, ReserveRule.Basis.ESTIMATED_WAIT, Duration.ofSeconds(25),
                        Duration.ofSeconds(25)))));
        loggedIn("g", "general", 5);
        readyAgent("s", "spare", 5);
        // AHT 10 s, one staffed agent: a new call's estimate is (waiting + 1) x 10 s
        enqueue("c1", "q");
        enqueue("c2", "q");
        assertThat(rec.offers).isEmpty();
        enqueue("c3", "q");
        assertThat(rec.offers).extracting(Offer::callId, Offer::agentId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "s"));
    }

    @Test
    void aTimeBoxedPoolServesOnlyInItsWindow() {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        // T0 is 2026-03-02 10:00 in Shanghai; the leaders answer that day 10:30-11:00
        Schedule leadersDay = new TimeWindows(zone, List.of(new TimeWindows.Window(Set.of(),
                Set.of(LocalDate.of(2026, 3, 2)), LocalTime.of(10, 30), LocalTime.of(11, 0))));
        acd.definePool("leader", leadersDay);
        acd.defineQueue(new QueueConfig("12345", List.of(new RelaxationStep(Duration.ZERO, List.of(
                new SkillRequirement("general", 1), new SkillRequirement("leader", 1)))), Strategy.LONGEST_IDLE,
                null, Duration.ofSeconds(60), null, null, null, null, null, null, null));
        readyAgent("mayor", "leader", 10);
        enqueue("c1", "12345");
        assertThat(rec.offers).isEmpty();
        advance(30 * 60 - 1);
        assertThat(rec.offeredAgents()).containsExactly("mayor");
        // defined outside its window: off at once, on at 10:30
        assertThat(rec.events(AcdEvent.PoolChanged.class)).extracting(AcdEvent.PoolChanged::active)
                .containsExactly(false, true);
        serve("c1", "mayor");
        advance(30 * 60);
        enqueue("c2", "12345");
        assertThat(rec.offers).hasSize(1);
        assertThat(rec.events(AcdEvent.PoolChanged.class)).extracting(AcdEvent.PoolChanged::active)
                .containsExactly(false, true, false);
    }

    @Test
    void timeWindowsFindTheirNextChange() {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        TimeWindows weekdays = new TimeWindows(zone, List.of(new TimeWindows.Window(
                Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                        DayOfWeek.FRIDAY), Set.of(), LocalTime.of(8, 0), LocalTime.of(20, 0))));
        // 2026-03-06 is a Friday; 21:00 local
        var fridayNight = LocalDate.of(2026, 3, 6).atTime(21, 0).atZone(zone).toInstant();
        assertThat(weekdays.isOn(fridayNight)).isFalse();
        assertThat(weekdays.nextChange(fridayNight))
                .contains(LocalDate.of(2026, 3, 9).atTime(8, 0).atZone(zone).toInstant());
        assertThat(Schedule.ALWAYS.nextChange(fridayNight)).isEmpty();
    }
}
