package org.hotlinecti.ivr;

import java.util.List;
import java.util.Objects;

/**
 * What a flow asks of the ACD when it ends: an agent with this skill.
 *
 * @param line     the line the caller dialled
 * @param skill    the skill required
 * @param minLevel its minimum level
 * @param priority queue priority
 * @param ivrPath  the steps the caller went through, in order (e.g. {@code welcome}, {@code menu:1 涉企服务})
 */
public record RoutingRequest(DepartmentLine line, String skill, int minLevel, int priority, List<String> ivrPath) {

    public RoutingRequest {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(skill, "skill");
        ivrPath = List.copyOf(ivrPath);
    }
}
