package org.hotlinecti.cti.ticket;

/**
 * Filter and page for listing tickets; null fields do not filter. Results are newest first.
 *
 * @param limit  1..500
 * @param offset 0 or more
 */
public record TicketQuery(String caller, String line, String agent, Disposition disposition, int limit, int offset) {

    public static final int MAX_LIMIT = 500;

    public TicketQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    public static TicketQuery latest(int limit) {
        return new TicketQuery(null, null, null, null, limit, 0);
    }
}
