package org.hotlinecti.acd;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-based test runner: generates {@code tries} random inputs (lists of steps) from consecutive seeds,
 * runs the property on each, and when one fails shrinks it by dropping ever smaller chunks of steps while it still
 * fails, then reports the seed and the shortest failing list. Enough for event-sequence properties, where the
 * shrunk sequence is what explains a failure.
 */
final class PropertyCheck {

    private PropertyCheck() {
    }

    static <T> void forAll(int tries, Function<SplittableRandom, List<T>> generator, Consumer<List<T>> property) {
        for (int seed = 0; seed < tries; seed++) {
            List<T> input = generator.apply(new SplittableRandom(seed));
            AssertionError failure = failureOf(property, input);
            if (failure != null) {
                List<T> shrunk = shrink(input, property);
                AssertionError report = new AssertionError("property failed for seed " + seed + "; shortest failing "
                        + "input (" + shrunk.size() + " of " + input.size() + " steps): " + shrunk + "\n"
                        + failureOf(property, shrunk).getMessage(), failure);
                throw report;
            }
        }
    }

    private static <T> List<T> shrink(List<T> failing, Consumer<List<T>> property) {
        List<T> current = failing;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
            boolean removedAny = true;
            while (removedAny) {
                removedAny = false;
                for (int from = 0; from < current.size(); from += chunk) {
                    List<T> candidate = new ArrayList<>(current.subList(0, from));
                    candidate.addAll(current.subList(Math.min(current.size(), from + chunk), current.size()));
                    if (!candidate.isEmpty() && failureOf(property, candidate) != null) {
                        current = candidate;
                        removedAny = true;
                        break;
                    }
                }
            }
        }
        return current;
    }

    private static <T> AssertionError failureOf(Consumer<List<T>> property, List<T> input) {
        try {
            property.accept(input);
            return null;
        } catch (AssertionError e) {
            return e;
        }
    }
}
