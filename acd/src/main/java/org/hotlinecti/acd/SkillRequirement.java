package org.hotlinecti.acd;

import java.util.Objects;

/** A call needs an agent with {@code skill} at {@code minLevel} (1..10) or better. */
public record SkillRequirement(String skill, int minLevel) {

    public SkillRequirement {
        Objects.requireNonNull(skill, "skill");
        if (minLevel < 1 || minLevel > 10) {
            throw new IllegalArgumentException("minLevel must be 1..10, was " + minLevel);
        }
    }
}
