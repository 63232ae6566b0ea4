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
 * @param agi             the FastAGI server's sessions and refusals, or {@code null} when not known to the source
 */
public record CtiStatus(Instant startedAt, boolean amiConnected, String asteriskVersion, int activeCalls,
        int waitingCalls, Map<String, Integer> agentsByState, long ticketsWritten, AgiStatus agi) {

    /** A status without the FastAGI part (the call model does not know it; the composition root adds it). */
    public CtiStatus(Instant startedAt, boolean amiConnected, String asteriskVersion, int activeCalls,
            int waitingCalls, Map<String, Integer> agentsByState, long ticketsWritten) {
        this(startedAt, amiConnected, asteriskVersion, activeCalls, waitingCalls, agentsByState, ticketsWritten,
                null);
    }

    /** This status with the FastAGI server's part. */
    public CtiStatus withAgi(AgiStatus agi) {
        return new CtiStatus(startedAt, amiConnected, asteriskVersion, activeCalls, waitingCalls, agentsByState,
                ticketsWritten, agi);
    }
}
