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
 * @param ami             the AMI session's health (state, errors, event rate and backlog), or {@code null} when not
 *                        known to the source
 */
public record CtiStatus(Instant startedAt, boolean amiConnected, String asteriskVersion, int activeCalls,
        int waitingCalls, Map<String, Integer> agentsByState, long ticketsWritten, AgiStatus agi, AmiStatus ami) {

    /** A status without the AMI health part. */
    public CtiStatus(Instant startedAt, boolean amiConnected, String asteriskVersion, int activeCalls,
            int waitingCalls, Map<String, Integer> agentsByState, long ticketsWritten, AgiStatus agi) {
        this(startedAt, amiConnected, asteriskVersion, activeCalls, waitingCalls, agentsByState, ticketsWritten, agi,
                null);
    }

    /** A status without the FastAGI part (the call model does not know it; the composition root adds it). */
    public CtiStatus(Instant startedAt, boolean amiConnected, String asteriskVersion, int activeCalls,
            int waitingCalls, Map<String, Integer> agentsByState, long ticketsWritten) {
        this(startedAt, amiConnected, asteriskVersion, activeCalls, waitingCalls, agentsByState, ticketsWritten,
                null, null);
    }

    /** This status with the FastAGI server's part. */
    public CtiStatus withAgi(AgiStatus agi) {
        return new CtiStatus(startedAt, amiConnected, asteriskVersion, activeCalls, waitingCalls, agentsByState,
                ticketsWritten, agi, ami);
    }

    /**
     * This status with the AMI session's health. {@code amiConnected} and {@code asteriskVersion} follow it: the
     * session's own view is fresher than the call model's, which learns of a login only when it handles the event.
     */
    public CtiStatus withAmi(AmiStatus ami, String asteriskVersion) {
        boolean connected = ami == null ? amiConnected : "connected".equals(ami.state());
        String version = asteriskVersion == null || asteriskVersion.isEmpty() ? this.asteriskVersion
                : asteriskVersion;
        return new CtiStatus(startedAt, connected, version, activeCalls, waitingCalls, agentsByState,
                ticketsWritten, agi, ami);
    }
}
