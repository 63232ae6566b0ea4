package org.hotlinecti.acd;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property-based: random sequences of owner actions, over every strategy and random skill levels, never break the
 * engine's promises; {@link ScenarioChecker} states and checks them, {@link PropertyCheck} shrinks a failure.
 */
class AcdPropertiesTest {

    @Test
    void randomEventSequencesKeepEveryRule() {
        PropertyCheck.<Object>forAll(300, r -> {
            List<Object> input = new ArrayList<>();
            input.add(Strategy.values()[r.nextInt(Strategy.values().length)]);
            List<Integer> levels = new ArrayList<>();
            for (int i = 0; i < ScenarioChecker.AGENTS * 3; i++) {
                levels.add(r.nextInt(11));
            }
            input.add(levels);
            input.addAll(ScenarioChecker.randomOps(r, 1 + r.nextInt(120)));
            return input;
        }, AcdPropertiesTest::check);
    }

    /** Input: the strategy, the agents' levels, then the operations (shrinking keeps the first two in place). */
    @SuppressWarnings("unchecked")
    private static void check(List<Object> input) {
        if (input.size() < 2 || !(input.get(0) instanceof Strategy strategy)
                || !(input.get(1) instanceof List<?> levels)) {
            return; // shrinking removed the set-up: not a valid input, so it does not fail
        }
        List<ScenarioChecker.Op> ops = new ArrayList<>();
        for (Object o : input.subList(2, input.size())) {
            ops.add((ScenarioChecker.Op) o);
        }
        new ScenarioChecker(strategy, (List<Integer>) levels).run(ops);
    }
}
