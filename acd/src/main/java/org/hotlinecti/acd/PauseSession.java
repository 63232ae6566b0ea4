package org.hotlinecti.acd;

import java.time.Duration;
import java.time.Instant;

/** A finished not-ready period of an agent with its reason (break, rona, training ...). */
public record PauseSession(String agentId, String reason, Instant start, Instant end) {

    public Duration duration() {
        return Duration.between(start, end);
    }
}
