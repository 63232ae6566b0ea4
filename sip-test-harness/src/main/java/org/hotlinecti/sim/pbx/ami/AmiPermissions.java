package org.hotlinecti.sim.pbx.ami;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AMI permission classes ({@code read=} / {@code write=} in manager.conf, {@code Privilege:} of events, the
 * {@code Events:} mask) as the bit masks Asterisk uses, so that filtering is one AND per event and session.
 */
final class AmiPermissions {

    /** Every class; Asterisk's {@code all} is INT_MAX. */
    static final int ALL = Integer.MAX_VALUE;
    static final int SYSTEM = 1;
    static final int CALL = 1 << 1;
    static final int REPORTING = 1 << 9;
    static final int SECURITY = 1 << 18;
    /** Returned by {@link #parseEventMask} for an empty mask, which Asterisk rejects. */
    static final int INVALID = -1;

    private static final Map<String, Integer> BITS = Map.ofEntries(
            Map.entry("system", SYSTEM),
            Map.entry("call", CALL),
            Map.entry("log", 1 << 2),
            Map.entry("verbose", 1 << 3),
            Map.entry("command", 1 << 4),
            Map.entry("agent", 1 << 5),
            Map.entry("user", 1 << 6),
            Map.entry("config", 1 << 7),
            Map.entry("dtmf", 1 << 8),
            Map.entry("reporting", REPORTING),
            Map.entry("cdr", 1 << 10),
            Map.entry("dialplan", 1 << 11),
            Map.entry("originate", 1 << 12),
            Map.entry("agi", 1 << 13),
            Map.entry("cc", 1 << 15),
            Map.entry("aoc", 1 << 16),
            Map.entry("test", 1 << 17),
            Map.entry("security", SECURITY),
            Map.entry("message", 1 << 30),
            Map.entry("all", ALL),
            Map.entry("none", 0));

    private static final Map<String, Integer> PRIVILEGE_CACHE = new ConcurrentHashMap<>();

    private AmiPermissions() {
    }

    static boolean isKnown(String className) {
        return BITS.containsKey(className.trim().toLowerCase(Locale.ROOT));
    }

    /** Mask of a user's {@code read}/{@code write} classes. */
    static int maskOf(Collection<String> classNames) {
        int mask = 0;
        for (String name : classNames) {
            mask |= BITS.getOrDefault(name.trim().toLowerCase(Locale.ROOT), 0);
        }
        return mask;
    }

    /**
     * The category of an event from its {@code Privilege} value ({@code call,all} → call). {@code all} is only the
     * label Asterisk appends; unknown classes count for nothing, as in Asterisk.
     */
    static int categoryOfPrivilege(String privilege) {
        return PRIVILEGE_CACHE.computeIfAbsent(privilege, p -> {
            int mask = 0;
            for (String token : p.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.equals("all")) {
                    mask |= BITS.getOrDefault(name, 0);
                }
            }
            return mask;
        });
    }

    /**
     * Parses an {@code Events:} / {@code EventMask:} value as Asterisk does: digits are a raw mask; {@code on},
     * {@code yes}, {@code true}... mean every class; {@code off}, {@code no}, {@code false}... mean none; anything else
     * is a comma-separated class list (unknown names ignored).
     *
     * @return the mask, or {@link #INVALID} for an empty value
     */
    static int parseEventMask(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return INVALID;
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return (int) Math.min(Long.parseLong(v), Integer.MAX_VALUE);
            } catch (NumberFormatException e) {
                return ALL;
            }
        }
        String lower = v.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "no", "false", "n", "f", "off":
                return 0;
            case "yes", "true", "y", "t", "on":
                return ALL;
            default:
                int mask = 0;
                for (String token : lower.split(",")) {
                    mask |= BITS.getOrDefault(token.trim(), 0);
                }
                return mask;
        }
    }

    /** True when a session with these masks receives an event of {@code category}, as Asterisk decides it. */
    static boolean admits(int readMask, int eventMask, int category) {
        return (readMask & category) == category && (eventMask & category) == category;
    }
}
