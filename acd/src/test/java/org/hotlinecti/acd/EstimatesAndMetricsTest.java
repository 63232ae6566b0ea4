package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EstimatesAndMetricsTest extends EngineFixture {

    @AfterEach
    void consistent() {
        acd.checkInvariants();
    }

    @Test
    void positionAndEstimatedWaitFromAverageHandleTimeThenFromObservedAnswers() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        loggedIn("a", "general", 5);
        loggedIn("b", "general", 5);
        for (int i = 1; i <= 4; i++) {
            enqueue("c" + i, "q");
            advance(1);
        }
        // no answers yet: default AHT 180 s over 2 logged-in agents = 90 s per place
        CallEstimate third = acd.estimate("c3").orElseThrow();
        assertThat(third.position()).isEqualTo(3);
        assertThat(third.estimatedWait()).isEqualTo(Duration.ofSeconds(270));

        acd.ready("a");
        acd.answered("c1", "a");
        advance(40);
        acd.ready("b");
        acd.answered("c2", "b");
        // observed: one interval of 40 s between answers while calls waited
        CallEstimate next = acd.estimate("c3").orElseThrow();
        assertThat(next.position()).isEqualTo(1);
        assertThat(next.estimatedWait()).isEqualTo(Duration.ofSeconds(40));
        assertThat(acd.estimate("c4").orElseThrow().estimatedWait()).isEqualTo(Duration.ofSeconds(80));
    }

    @Test
    void serviceLevelsAsaAbandonmentAndConnectRate() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        loggedIn("a", "general", 5);
        enqueue("fast", "q");
        enqueue("slow", "q");
        enqueue("early-hangup", "q");
        enqueue("late-hangup", "q");
        advance(10);
        acd.abandon("early-hangup");
        acd.ready("a");
        acd.answered("fast", "a");
        advance(20);
        acd.abandon("late-hangup");
        acd.callEnded("a");
        acd.wrapUpDone("a");
        acd.answered("slow", "a");

        QueueMetrics m = acd.metrics().queues().get("q");
        assertThat(m.answered()).isEqualTo(2);
        assertThat(m.abandoned()).isEqualTo(2);
        assertThat(m.serviceLevel()).isCloseTo(0.5, within(1e-9));
        // (1 answered within + 1 abandoned within) / 4
        assertThat(m.serviceLevel2()).isCloseTo(0.5, within(1e-9));
        assertThat(m.asa()).isEqualTo(Duration.ofSeconds(20));
        assertThat(m.abandonRate()).isCloseTo(0.5, within(1e-9));
        assertThat(m.connectRate()).isCloseTo(0.5, within(1e-9));
        assertThat(acd.metrics().overall().answered()).isEqualTo(2);
        assertThat(acd.metrics().serviceLevelThreshold()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void theWindowForgetsOutcomesOlderThan24Hours() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        enqueue("c1", "q");
        acd.abandon("c1");
        advance(23 * 3600 + 59 * 60);
        assertThat(acd.metrics().overall().abandoned()).isEqualTo(1);
        advance(60);
        assertThat(acd.metrics().overall().abandoned()).isZero();
        assertThat(acd.metrics().overall().connectRate()).isEqualTo(1.0);
    }

    @Test
    void waitingAndOldestWaitAreLive() {
        acd.defineQueue(queue("q", Strategy.LONGEST_IDLE, step(0, "general", 1)));
        enqueue("c1", "q");
        advance(42);
        enqueue("c2", "q");
        QueueMetrics m = acd.metrics().queues().get("q");
        assertThat(m.waiting()).isEqualTo(2);
        assertThat(m.oldestWait()).isEqualTo(Duration.ofSeconds(42));
    }
}
