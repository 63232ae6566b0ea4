package org.hotlinecti.acd;

import java.util.Map;
import java.util.Objects;

/**
 * A seat as configured: who the agent is and what they can handle.
 *
 * @param id        unique agent id (工号), e.g. {@code 1001}
 * @param name      display name
 * @param extension the extension the PBX dials to reach the agent's phone
 * @param skills    skill name to level 1..10 (10 best); special seats (专家坐席, 方言专席 ...) are skills too
 */
public record AgentProfile(String id, String name, String extension, Map<String, Integer> skills) {

    public AgentProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(extension, "extension");
        name = name == null ? id : name;
        skills = Map.copyOf(skills);
        skills.forEach((skill, level) -> {
            if (level < 1 || level > 10) {
                throw new IllegalArgumentException(
                        "agent " + id + ": level of skill '" + skill + "' must be 1..10, was " + level);
            }
        });
    }

    /** The agent's level in {@code skill}, or 0 when the agent does not have it. */
    public int level(String skill) {
        return skills.getOrDefault(skill, 0);
    }

    /** Whether the agent can take a call that requires {@code requirement}. */
    public boolean satisfies(SkillRequirement requirement) {
        return level(requirement.skill()) >= requirement.minLevel();
    }
}
