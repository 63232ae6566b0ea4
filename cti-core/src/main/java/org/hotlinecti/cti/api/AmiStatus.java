package org.hotlinecti.cti.api;

import java.time.Instant;

/**
 * The AMI session's health for {@code GET /api/status} (the {@code ami} object). Counters run since start.
 *
 * @param state              {@code connecting} (never logged in yet: Asterisk not reachable so far),
 *                           {@code connected}, {@code reconnecting} (lost, retrying with back-off) or {@code closed}
 * @param since              when the session entered {@code state}
 * @param reconnects         sessions re-established after a loss or after a start without Asterisk
 * @param lastError          the last connect failure or loss in one line, or null when there was none
 * @param lastErrorAt        when that happened, or null
 * @param eventsReceived     AMI events read since start
 * @param eventsPerSecond    events read per second over the last 10 s
 * @param eventBacklog       events read from the socket but not yet handled by the call model
 * @param eventBacklogMax    the largest such backlog seen since start (high-water mark)
 * @param backlogHighWater   the backlog that logs a warning ({@code asterisk.ami.backlog_high_water})
 * @param agentDevices       agent phones by device state ({@code NOT_INUSE}, {@code UNAVAILABLE} ...) as last
 *                           reported by Asterisk; empty until known
 */
public record AmiStatus(String state, Instant since, long reconnects, String lastError, Instant lastErrorAt,
        long eventsReceived, double eventsPerSecond, long eventBacklog, long eventBacklogMax, int backlogHighWater,
        java.util.Map<String, Integer> agentDevices) {

    public AmiStatus {
        agentDevices = agentDevices == null ? java.util.Map.of() : java.util.Map.copyOf(agentDevices);
    }
}
