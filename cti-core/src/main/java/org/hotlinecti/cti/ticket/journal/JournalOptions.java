package org.hotlinecti.cti.ticket.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the ticket journal behaves.
 *
 * @param dir          directory of the journal's segment files (created if missing); one CTI per directory
 * @param segmentBytes a segment is closed and a new one begun once it holds this many bytes; a closed segment is
 *                     deleted once all its records are in the database
 * @param retryInitial first pause after the database refused a batch; doubles on each further failure
 * @param retryMax     longest pause between attempts while the database stays unavailable
 * @param ackTimeout   how long {@link DurableTicketStore#saveCallEnded} waits for the database after the ticket is
 *                     durable in the journal, before it reports that the ticket is not in the database yet
 * @param batchSize    most records written to the database in one transaction
 */
public record JournalOptions(Path dir, long segmentBytes, Duration retryInitial, Duration retryMax,
        Duration ackTimeout, int batchSize) {

    public JournalOptions {
        Objects.requireNonNull(dir, "dir");
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segment size must be at least 4096 bytes, was " + segmentBytes);
        }
        requirePositive(retryInitial, "retry initial");
        requirePositive(retryMax, "retry max");
        requirePositive(ackTimeout, "ack timeout");
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("retry max (" + retryMax + ") must not be below retry initial ("
                    + retryInitial + ")");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batch size must be 1..10000, was " + batchSize);
        }
    }

    /** The defaults of the reference configuration, in {@code dir}. */
    public static JournalOptions defaults(Path dir) {
        return new JournalOptions(dir, 16L * 1024 * 1024, Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 500);
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
    }
}
