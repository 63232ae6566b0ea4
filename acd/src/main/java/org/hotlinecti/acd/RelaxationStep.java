package org.hotlinecti.acd;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One step of a queue's skill relaxation: from {@code after} of waiting in the queue on, an agent qualifies when it
 * meets any one of {@code anyOf}. Steps of a queue have strictly increasing {@code after}, the first at zero, e.g.
 * 0 s: market≥8; 20 s: market≥5; 60 s: general≥1.
 */
public record RelaxationStep(Duration after, List<SkillRequirement> anyOf) {

    public RelaxationStep {
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("step start must not be negative, was " + after);
        }
        anyOf = List.copyOf(anyOf);
        if (anyOf.isEmpty()) {
            throw new IllegalArgumentException("a relaxation step needs at least one skill requirement");
        }
    }

    /** A step from time zero with one requirement. */
    public static RelaxationStep of(SkillRequirement requirement) {
        return new RelaxationStep(Duration.ZERO, List.of(requirement));
    }
}
