package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The same rules as {@link AcdPropertiesTest} over long seeded sequences from a plain generator: longer runs than
 * shrinking-friendly property tries, and a check that the runs really route calls.
 */
class RandomScenariosTest {

    @Test
    void longSeededSequencesKeepEveryRule() {
        long answered = 0;
        for (int seed = 0; seed < 36; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            List<Integer> levels = new ArrayList<>();
            for (int i = 0; i < ScenarioChecker.AGENTS * 3; i++) {
                levels.add(r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(10));
            }
            Strategy strategy = Strategy.values()[seed % Strategy.values().length];
            ScenarioChecker run = new ScenarioChecker(strategy, levels);
            try {
                run.run(ScenarioChecker.randomOps(r, 1000));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " (" + strategy.wireName() + "): " + e.getMessage(), e);
            }
            answered += run.answered();
        }
        assertThat(answered).isGreaterThan(500);
    }
}
