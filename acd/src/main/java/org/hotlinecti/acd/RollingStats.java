package org.hotlinecti.acd;

/**
 * Outcome counters over the last 24 hours in one-minute buckets with running totals: recording and reading are O(1)
 * amortised (a bucket is cleared when the window passes it). The window at minute {@code m} holds the outcomes of
 * minutes {@code m-1439 .. m}.
 */
final class RollingStats {

    static final int MINUTES = 1440;
    static final int ANSWERED = 0;
    static final int ANSWERED_IN_SL = 1;
    static final int ABANDONED = 2;
    static final int ABANDONED_IN_SL = 3;
    static final int EXITED = 4;
    static final int OVERFLOWED = 5;
    static final int ANSWER_WAIT_MS = 6;
    private static final int FIELDS = 7;

    private final long[] buckets = new long[MINUTES * FIELDS];
    private final long[] totals = new long[FIELDS];
    private long lastMinute = Long.MIN_VALUE;

    void add(long nowMs, int field, long value) {
        advance(Math.floorDiv(nowMs, 60_000L));
        int slot = (int) Math.floorMod(lastMinute, (long) MINUTES);
        buckets[slot * FIELDS + field] += value;
        totals[field] += value;
    }

    long total(long nowMs, int field) {
        advance(Math.floorDiv(nowMs, 60_000L));
        return totals[field];
    }

    /** Moves the window's end to {@code minute}, clearing the buckets that fall out; a clock going back is ignored. */
    private void advance(long minute) {
        if (lastMinute == Long.MIN_VALUE) {
            lastMinute = minute;
            return;
        }
        if (minute <= lastMinute) {
            return;
        }
        long steps = Math.min(minute - lastMinute, MINUTES);
        for (long k = 1; k <= steps; k++) {
            int slot = (int) Math.floorMod(lastMinute + k, (long) MINUTES);
            int base = slot * FIELDS;
            for (int f = 0; f < FIELDS; f++) {
                totals[f] -= buckets[base + f];
                buckets[base + f] = 0;
            }
        }
        lastMinute = minute;
    }
}
