package org.hotlinecti.cti.asterisk.agi;

/**
 * A snapshot of the FastAGI server for health checks and {@code /api/status}. Counters run since start.
 *
 * @param listening       whether the server accepts connections
 * @param activeSessions  callers in the IVR now
 * @param maxSessions     the capacity ({@code agi.max_sessions})
 * @param sessionsStarted sessions that entered the IVR
 * @param busyRefusals    sessions answered "busy" because the server was full
 * @param refusedPeers    connections closed because the peer is not in {@code agi.allowed_peers}
 * @param unknownScripts  sessions for a script the CTI does not serve
 * @param protocolErrors  connections closed because the peer did not speak FastAGI
 */
public record FastAgiHealth(boolean listening, int activeSessions, int maxSessions, long sessionsStarted,
        long busyRefusals, long refusedPeers, long unknownScripts, long protocolErrors) {
}
