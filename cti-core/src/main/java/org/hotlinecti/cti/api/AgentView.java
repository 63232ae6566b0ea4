package org.hotlinecti.cti.api;

import java.time.Instant;
import java.util.Map;

/**
 * An agent (坐席) as desktops and supervisors see it.
 *
 * @param id        the agent's id, e.g. {@code 1001}
 * @param name      display name
 * @param extension the extension the PBX dials (endpoint {@code agent<extension>})
 * @param skills    skill name to level 1..10
 * @param state     {@code logged_out}, {@code not_ready}, {@code ready}, {@code offered}, {@code talking},
 *                  {@code wrap_up}
 * @param reason    why the agent is not ready ({@code rona}, {@code break}, {@code login} ...), or null
 * @param since     when the agent entered this state
 * @param callLinkedId the call the agent is offered, talking on or wrapping up, or null
 */
public record AgentView(String id, String name, String extension, Map<String, Integer> skills, String state,
        String reason, Instant since, String callLinkedId) {

    public AgentView {
        skills = skills == null ? Map.of() : Map.copyOf(skills);
    }
}
