package org.hotlinecti.acd;

import java.util.Objects;

/** An agent qualifies with {@code skill} at {@code minLevel} (1..10) or better. */
public record SkillRequirement(String skill, int minLevel) {

    public SkillRequirement {
        Objects.requireNonNull(skill, "skill");
        if (skill.isBlank()) {
            throw new IllegalArgumentException("skill must not be blank");
        }
        if (minLevel < 1 || minLevel > 10) {
            throw new IllegalArgumentException("minLevel must be 1..10, was " + minLevel);
        }
    }

    @Override
    public String toString() {
        return skill + ">=" + minLevel;
    }
}
