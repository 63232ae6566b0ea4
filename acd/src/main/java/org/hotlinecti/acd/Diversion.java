package org.hotlinecti.acd;

import java.time.Duration;
import java.util.Objects;

/**
 * Diverts a new call away from a queue at arrival when the queue is already too long.
 *
 * @param maxEstimatedWait     divert when the new call's estimated wait would exceed this (null: not checked)
 * @param maxCallsPerAgent     divert when (waiting calls + 1) / logged-in eligible agents would exceed this (null:
 *                             not checked). Logged-in rather than ready agents: while calls wait the engine never
 *                             leaves an eligible agent ready, so a ready-agent ratio would always be infinite.
 * @param target               where diverted calls go
 */
public record Diversion(Duration maxEstimatedWait, Double maxCallsPerAgent, ExitTarget target) {

    public Diversion {
        Objects.requireNonNull(target, "target");
        if (maxEstimatedWait == null && maxCallsPerAgent == null) {
            throw new IllegalArgumentException("a diversion needs max_estimated_wait or max_calls_per_agent");
        }
        if (maxCallsPerAgent != null && !(maxCallsPerAgent > 0)) {
            throw new IllegalArgumentException("max_calls_per_agent must be positive, was " + maxCallsPerAgent);
        }
    }
}
