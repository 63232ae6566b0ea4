package org.hotlinecti.acd;

import java.time.Instant;

/**
 * A snapshot of one agent.
 *
 * @param reason why the agent is not ready ({@code login}, {@code rona}, {@code busy}, {@code break} ...), else null
 * @param since  when the agent entered {@code state}; for READY agents this is the start of their idle time
 * @param callId the call offered to, talked on or wrapped up by the agent, else null
 */
public record AgentStatus(AgentProfile profile, AgentState state, String reason, Instant since, String callId) {

    public String id() {
        return profile.id();
    }
}
