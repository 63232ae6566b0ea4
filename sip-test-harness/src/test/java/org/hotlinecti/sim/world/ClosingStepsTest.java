package org.hotlinecti.sim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotlinecti.sim.world.ClosingSteps.Step;
import org.junit.jupiter.api.Test;

/** Closing the simulated world goes on past a part that fails to close. */
class ClosingStepsTest {

    private final List<String> closed = new CopyOnWriteArrayList<>();

    @Test
    void everyStepRunsWhenOneBeforeItThrows() {
        ClosingSteps.run(List.of(new Step("agent", () -> closed.add("agent")),
                new Step("CTI", () -> {
                    throw new IllegalStateException("port still bound");
                }),
                ClosingSteps.closing("phones", () -> {
                    throw new java.io.IOException("socket");
                }),
                ClosingSteps.closing("nothing", null),
                new Step("sim PBX", () -> closed.add("sim PBX"))));

        assertThat(closed).containsExactly("agent", "sim PBX");
    }

    @Test
    void anErrorIsRethrownOnceEveryStepRan() {
        assertThatThrownBy(() -> ClosingSteps.run(List.of(new Step("CTI", () -> {
            throw new AssertionError("boom");
        }), new Step("sim PBX", () -> closed.add("sim PBX"))))).isInstanceOf(AssertionError.class).hasMessage("boom");

        assertThat(closed).containsExactly("sim PBX");
    }
}
