package org.hotlinecti.cti.asterisk.ami;

import java.time.Instant;

/**
 * A snapshot of an {@link AmiClient}'s session health, for {@code /api/status} and alarms. Counters run since the
 * client was created.
 *
 * @param state            where the session is now
 * @param since            when it entered {@code state}
 * @param reconnects       sessions re-established after a loss (or after a start without Asterisk)
 * @param lastError        the last connect failure or loss, in one line; null when there was none yet
 * @param lastErrorAt      when {@code lastError} happened; null with it
 * @param eventsReceived   events read from the socket (list items excluded)
 * @param eventsPerSecond  events read per second, averaged over the last 10 s
 * @param backlog          events and completions read but not yet handled by the consumer
 * @param maxBacklog       the largest backlog seen (high-water mark)
 * @param backlogHighWater the backlog that logs a warning
 * @param asteriskVersion  from the current or last session's CoreSettings, or empty
 */
public record AmiHealth(State state, Instant since, long reconnects, String lastError, Instant lastErrorAt,
        long eventsReceived, double eventsPerSecond, long backlog, long maxBacklog, int backlogHighWater,
        String asteriskVersion) {

    /** The session's state. */
    public enum State {
        /** Never logged in yet: the first attempts are under way (Asterisk not reachable so far). */
        CONNECTING,
        /** Logged in. */
        CONNECTED,
        /** The session was lost; reconnecting with back-off. */
        RECONNECTING,
        /** Closed by the CTI. */
        CLOSED;

        /** The state as the API spells it: {@code connecting}, {@code connected} ... */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
