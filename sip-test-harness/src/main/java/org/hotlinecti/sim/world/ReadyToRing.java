package org.hotlinecti.sim.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The "agent ready → agent's phone ringing" latency of a simulated world (issue 3: p99 ≤ 20 ms through the sim PBX).
 * The CTI reports the {@link System#nanoTime()} at which its call loop began processing an agent's ready when that
 * ready got a waiting call offered; the agent's phone reports the instant the next INVITE reached it. Both run in one
 * JVM, so the difference is the latency (CTI decision, AMI Redirect, dialplan, SIP INVITE). Thread-safe.
 */
public final class ReadyToRing {

    private final Map<String, Long> readySince = new ConcurrentHashMap<>();
    /** {ready nanos, latency nanos} per sample. */
    private final List<long[]> samples = new ArrayList<>();

    /** The CTI offered a call to the agent on {@code extension} right as it became ready at {@code readyNanos}. */
    public void readied(String extension, long readyNanos) {
        readySince.put(extension, readyNanos);
    }

    /** The phone of {@code extension} received an INVITE at {@code inviteNanos}. */
    public void rang(String extension, long inviteNanos) {
        Long since = readySince.remove(extension);
        if (since != null) {
            synchronized (samples) {
                samples.add(new long[] {since, inviteNanos - since});
            }
        }
    }

    /** The figures so far. */
    public Figures figures() {
        return figures(s -> true);
    }

    /** The figures of the readies at or after {@code readyFromNanos} (a run's warm-up left out). */
    public Figures figures(long readyFromNanos) {
        // compared as nanoTime values are: by the sign of the difference
        return figures(s -> s[0] - readyFromNanos >= 0);
    }

    private Figures figures(java.util.function.Predicate<long[]> counted) {
        long[] sorted;
        synchronized (samples) {
            sorted = samples.stream().filter(counted).mapToLong(s -> s[1]).sorted().toArray();
        }
        return new Figures(sorted.length, percentileMs(sorted, 0.50), percentileMs(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    /** Nearest-rank percentile in milliseconds; 0 without samples. */
    private static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /**
     * @param count  samples (readies that got a call and whose phone then rang)
     * @param p50Ms  median in milliseconds
     * @param p99Ms  99th percentile (nearest rank) in milliseconds
     * @param maxMs  the largest sample
     */
    public record Figures(int count, double p50Ms, double p99Ms, double maxMs) {

        /** {@code ready_to_ring_count=.. ready_to_ring_p50_ms=.. ready_to_ring_p99_ms=..} for a console line. */
        public String line() {
            return String.format(java.util.Locale.ROOT, "ready_to_ring_count=%d ready_to_ring_p50_ms=%.2f "
                    + "ready_to_ring_p99_ms=%.2f", count, p50Ms, p99Ms);
        }

        /** The same as JSON members (without braces). */
        public String jsonMembers() {
            return String.format(java.util.Locale.ROOT, "\"ready_to_ring_count\":%d,\"ready_to_ring_p50_ms\":%.3f,"
                    + "\"ready_to_ring_p99_ms\":%.3f", count, p50Ms, p99Ms);
        }
    }
}
