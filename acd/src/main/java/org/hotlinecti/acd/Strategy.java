package org.hotlinecti.acd;

import java.util.Locale;

/**
 * How a queue picks among the ready agents that may take a call. Chosen per queue by its wire name
 * ({@code longest-idle}, {@code fewest-calls} ...).
 */
public enum Strategy {
    /** The agent idle longest (idle time restarts when an agent becomes ready after a call or a break). */
    LONGEST_IDLE,
    /** The agent who answered the fewest calls since login; ties by longest idle. */
    FEWEST_CALLS,
    /** The agent with the least talk time since login; ties by longest idle. */
    LEAST_TALK_TIME,
    /** Round robin with memory: the first agent, in definition order, after the one this queue served last. */
    ROUND_ROBIN_MEMORY,
    /** Top-down: always the first ready agent in definition order. */
    LINEAR,
    /** Uniformly at random (the engine's injected, seeded random generator). */
    RANDOM,
    /** At random, weighted by the agent's level in the skill that makes it eligible. */
    WEIGHTED_RANDOM,
    /** The highest level in the matching skill; ties by longest idle. */
    MOST_SKILLED,
    /** The lowest level that still qualifies (keeps experts free); ties by longest idle. */
    LEAST_SKILLED;

    /** The name used in configuration, e.g. {@code round-robin-memory}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a wire name; unknown names are an error listing the valid ones. */
    public static Strategy byName(String name) {
        for (Strategy s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        StringBuilder valid = new StringBuilder();
        for (Strategy s : values()) {
            valid.append(valid.length() == 0 ? "" : ", ").append(s.wireName());
        }
        throw new IllegalArgumentException("unknown strategy '" + name + "'; valid: " + valid);
    }
}
