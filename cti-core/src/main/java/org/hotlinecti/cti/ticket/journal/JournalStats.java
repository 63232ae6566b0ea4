package org.hotlinecti.cti.ticket.journal;

/**
 * Counters of the durable ticket path, for the status page and the benchmark.
 *
 * @param appended       records made durable in the journal since start
 * @param fsyncs         journal syncs since start (appended / fsyncs is the group-commit factor)
 * @param drained        records written to the database since start (replayed ones included)
 * @param pending        records durable in the journal but not yet in the database
 * @param segments       journal segment files on disk
 * @param drainFailures  database attempts that failed since start (each is retried)
 * @param lastError      the last database failure, or empty
 * @param damagedRecords damaged or truncated regions found in the journal on start (see {@link ReplayReport})
 * @param rejected       records the database refused as invalid; kept in {@code rejected.jsonl} in the journal
 *                       directory and never retried
 */
public record JournalStats(long appended, long fsyncs, long drained, long pending, int segments, long drainFailures,
        String lastError, long damagedRecords, long rejected) {
}
