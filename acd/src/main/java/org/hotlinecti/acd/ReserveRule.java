package org.hotlinecti.acd;

import java.time.Duration;
import java.util.Objects;

/**
 * A service-objective reserve: agents with {@code skill} at {@code minLevel} or better also serve the queue, but only
 * while it is behind its objective. It switches on when the measure exceeds {@code activateAbove} and off again when
 * it falls to {@code deactivateAtOrBelow} or lower (hysteresis, so the reserve does not flap).
 *
 * @param basis what is measured: the wait of the queue's oldest waiting call, or the estimated wait of its newest
 *              (the last in line), as {@link AcdEngine#estimate} computes it
 */
public record ReserveRule(String skill, int minLevel, Basis basis, Duration activateAbove,
        Duration deactivateAtOrBelow) {

    /** The measure a reserve watches. */
    public enum Basis { OLDEST_WAIT, ESTIMATED_WAIT }

    public ReserveRule {
        new SkillRequirement(skill, minLevel);
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(activateAbove, "activateAbove");
        Objects.requireNonNull(deactivateAtOrBelow, "deactivateAtOrBelow");
        if (deactivateAtOrBelow.compareTo(activateAbove) > 0) {
            throw new IllegalArgumentException("a reserve must switch off at or below its switch-on threshold");
        }
    }
}
