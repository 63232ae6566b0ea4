package org.hotlinecti.cti.api;

/**
 * The FastAGI server's health for {@code GET /api/status} (the {@code agi} object). Counters run since start.
 *
 * @param listening       whether the server accepts connections
 * @param activeSessions  callers in the IVR now
 * @param maxSessions     the capacity ({@code agi.max_sessions})
 * @param sessionsStarted sessions that entered the IVR
 * @param busyRefusals    sessions answered {@code CTI_AGI_STATUS=BUSY} because the server was full
 * @param refusedPeers    connections closed because the peer is not in {@code agi.allowed_peers}
 * @param unknownScripts  sessions for a script the CTI does not serve ({@code CTI_AGI_STATUS=NOT_FOUND})
 * @param protocolErrors  connections closed because the peer did not speak FastAGI
 */
public record AgiStatus(boolean listening, int activeSessions, int maxSessions, long sessionsStarted,
        long busyRefusals, long refusedPeers, long unknownScripts, long protocolErrors) {
}
