package org.hotlinecti.acd;

import java.time.Duration;
import java.util.Objects;

/**
 * Engine-wide settings.
 *
 * @param priorityBoost    score added per priority point of a call (a priority-1 call ranks like a call that has
 *                         waited this much longer)
 * @param serviceLevel     the answer threshold of SL and SL2 (default 15 s)
 * @param backoff          what happens to agents who do not take an offer
 * @param defaultStrategy  strategy of queues created on first use for a bare skill requirement
 * @param defaultWrapUpMax wrap-up cap of queues created on first use
 * @param defaultAht       average handle time assumed by estimates before any call was measured
 */
public record AcdSettings(Duration priorityBoost, Duration serviceLevel, BackoffPolicy backoff,
        Strategy defaultStrategy, Duration defaultWrapUpMax, Duration defaultAht) {

    public AcdSettings {
        Objects.requireNonNull(priorityBoost, "priorityBoost");
        Objects.requireNonNull(serviceLevel, "serviceLevel");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(defaultStrategy, "defaultStrategy");
        Objects.requireNonNull(defaultWrapUpMax, "defaultWrapUpMax");
        Objects.requireNonNull(defaultAht, "defaultAht");
        if (priorityBoost.isNegative() || serviceLevel.compareTo(Duration.ZERO) <= 0
                || defaultAht.compareTo(Duration.ZERO) <= 0) {
            throw new IllegalArgumentException("priority boost must not be negative; service level and AHT positive");
        }
    }

    /** 60 s per priority point, SL at 15 s, classic RONA, longest-idle, 60 s wrap-up, 180 s assumed AHT. */
    public static AcdSettings defaults() {
        return new AcdSettings(Duration.ofSeconds(60), Duration.ofSeconds(15), BackoffPolicy.MANUAL,
                Strategy.LONGEST_IDLE, Duration.ofSeconds(60), Duration.ofSeconds(180));
    }

    public AcdSettings withBackoff(BackoffPolicy b) {
        return new AcdSettings(priorityBoost, serviceLevel, b, defaultStrategy, defaultWrapUpMax, defaultAht);
    }

    public AcdSettings withWrapUpMax(Duration w) {
        return new AcdSettings(priorityBoost, serviceLevel, backoff, defaultStrategy, w, defaultAht);
    }

    public AcdSettings withPriorityBoost(Duration b) {
        return new AcdSettings(b, serviceLevel, backoff, defaultStrategy, defaultWrapUpMax, defaultAht);
    }
}
