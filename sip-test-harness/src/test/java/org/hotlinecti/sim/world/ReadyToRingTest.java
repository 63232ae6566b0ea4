package org.hotlinecti.sim.world;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Percentiles of "agent ready → phone ringing", and the warm-up left out of them. */
class ReadyToRingTest {

    private final ReadyToRing timing = new ReadyToRing();

    @Test
    void aRingWithoutAReadyIsNoSampleAndEachReadyCountsOnce() {
        timing.rang("1001", 5_000_000);
        timing.readied("1001", 1_000_000);
        timing.rang("1001", 4_000_000);
        timing.rang("1001", 9_000_000);

        assertThat(timing.figures().count()).isEqualTo(1);
        assertThat(timing.figures().p99Ms()).isEqualTo(3.0);
    }

    @Test
    void readiesBeforeTheWarmupEndAreLeftOut() {
        timing.readied("1001", 1_000_000);
        timing.rang("1001", 31_000_000);       // 30 ms, during the warm-up
        timing.readied("1001", 100_000_000);
        timing.rang("1001", 102_000_000);      // 2 ms
        timing.readied("1002", 200_000_000);
        timing.rang("1002", 204_000_000);      // 4 ms

        assertThat(timing.figures().p99Ms()).isEqualTo(30.0);
        ReadyToRing.Figures steady = timing.figures(100_000_000);
        assertThat(steady.count()).isEqualTo(2);
        assertThat(steady.p50Ms()).isEqualTo(2.0);
        assertThat(steady.p99Ms()).isEqualTo(4.0);
    }
}
