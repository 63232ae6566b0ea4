package org.hotlinecti.cti.api;

import java.time.Instant;
import java.util.Map;

/**
 * Health and live counters for {@code GET /api/status}.
 *
 * @param startedAt       when the CTI started
 * @param amiConnected    whether the AMI session is logged in
 * @param asteriskVersion as reported by Asterisk, or empty
 * @param activeCalls     calls the CTI is tracking now
 * @param waitingCalls    calls queued for an agent now
 * @param agentsByState   number of agents per state name
 * @param ticketsWritten  tickets written since start
 */
public record CtiStatus(Instant startedAt, boolean amiConnected, String asteriskVersion, int activeCalls,
        int waitingCalls, Map<String, Integer> agentsByState, long ticketsWritten) {
}
