package org.hotlinecti.acd;

import java.util.Objects;

/**
 * A call asking for an agent.
 *
 * @param callId      the caller's call id (the CTI uses the Asterisk Linkedid)
 * @param requirement the skill it needs
 * @param priority    0 normal; higher values are served first (emergency-linked, enterprise seat, repeat caller)
 */
public record CallRequest(String callId, SkillRequirement requirement, int priority) {

    public CallRequest {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(requirement, "requirement");
        if (priority < 0) {
            throw new IllegalArgumentException("priority must not be negative, was " + priority);
        }
    }
}
