package org.hotlinecti.cti.ticket.journal;

import java.util.List;

/**
 * What the journal found on start.
 *
 * @param segments       segment files read
 * @param records        valid records replayed (their tickets and events go to the database again; the store
 *                       ignores those already there)
 * @param damagedRecords damaged or truncated regions found: each stops the replay of its segment
 * @param damagedBytes   bytes skipped after the valid prefix of damaged segments
 * @param problems       one line per damaged region: file, offset, what was wrong
 */
public record ReplayReport(int segments, long records, long damagedRecords, long damagedBytes, List<String> problems) {

    public ReplayReport {
        problems = List.copyOf(problems);
    }
}
