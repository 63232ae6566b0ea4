package org.hotlinecti.cti.ticket;

import java.time.Instant;

/**
 * Filter and page for listing tickets; null fields do not filter, set fields must all match. Results are newest
 * first (by the call's end, then by number).
 *
 * @param number      the ticket number, exactly
 * @param caller      the caller's number, exactly
 * @param line        the line dialled, exactly
 * @param department  the department of the line, exactly
 * @param agent       the agent who answered, exactly
 * @param disposition how the call ended
 * @param endedFrom   calls that ended at or after this instant
 * @param endedBefore calls that ended before this instant; must be after {@code endedFrom} when both are set
 * @param limit       1..{@value #MAX_LIMIT}
 * @param offset      0 or more
 */
public record TicketQuery(String number, String caller, String line, String department, String agent,
        Disposition disposition, Instant endedFrom, Instant endedBefore, int limit, int offset) {

    public static final int MAX_LIMIT = 500;

    public TicketQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        if (endedFrom != null && endedBefore != null && !endedBefore.isAfter(endedFrom)) {
            throw new IllegalArgumentException("the end of the date range (" + endedBefore
                    + ") must be after its start (" + endedFrom + ")");
        }
    }

    /** The filters of the first version: caller, line, agent and disposition. */
    public TicketQuery(String caller, String line, String agent, Disposition disposition, int limit, int offset) {
        this(null, caller, line, null, agent, disposition, null, null, limit, offset);
    }

    public static TicketQuery latest(int limit) {
        return new TicketQuery(null, null, null, null, limit, 0);
    }
}
