package org.hotlinecti.ivr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a flow asks of the ACD when it ends: an agent with this skill.
 *
 * @param line     the line the caller dialled
 * @param skill    the skill required
 * @param minLevel its minimum level
 * @param priority queue priority
 * @param ivrPath  the steps the caller went through, in order (e.g. {@code welcome}, {@code menu:1 涉企服务})
 * @param data     data the flow attached for the agent's screen-pop and the ticket (e.g. an ID or ticket number the
 *                 caller typed, {@code survey_score}), in the order set
 * @param queue    a named queue the flow asked for; empty: the ACD's queue for the skill
 */
public record RoutingRequest(DepartmentLine line, String skill, int minLevel, int priority, List<String> ivrPath,
        Map<String, String> data, Optional<String> queue) {

    /** A request without attached data or a named queue. */
    public RoutingRequest(DepartmentLine line, String skill, int minLevel, int priority, List<String> ivrPath) {
        this(line, skill, minLevel, priority, ivrPath, Map.of(), Optional.empty());
    }

    public RoutingRequest {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(skill, "skill");
        ivrPath = List.copyOf(ivrPath);
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
        queue = queue == null ? Optional.empty() : queue;
    }
}
