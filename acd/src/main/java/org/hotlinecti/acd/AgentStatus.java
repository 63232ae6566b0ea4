package org.hotlinecti.acd;

import java.time.Instant;

/**
 * A snapshot of one agent.
 *
 * @param reason       why the agent is not ready ({@code login}, {@code rona}, {@code busy}, {@code auto_break},
 *                     {@code break} ...), else null
 * @param since        when the agent entered {@code state}
 * @param callId       the call offered to, talked on or wrapped up by the agent, else null
 * @param onOtherCall  the agent is on a call outside the queues (own outgoing call ...): skipped by routing
 * @param resumesAt    when a not-ready agent in back-off, or an agent in wrap-up, is made ready by the engine; null
 *                     when nothing is scheduled
 */
public record AgentStatus(AgentProfile profile, AgentState state, String reason, Instant since, String callId,
        boolean onOtherCall, Instant resumesAt) {

    public String id() {
        return profile.id();
    }
}
