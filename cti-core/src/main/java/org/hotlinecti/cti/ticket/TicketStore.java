package org.hotlinecti.cti.ticket;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where tickets live. Blocking API: callers run it on a thread meant for I/O, never on the call loop or an event loop.
 *
 * <p>Contract every implementation honours (and its contract test checks):
 * <ul>
 *   <li>exactly one ticket per Linkedid: {@link #saveCallEnded} is idempotent and returns the ticket already stored
 *       when called again for the same Linkedid, whatever the second summary says;</li>
 *   <li>ticket numbers are unique, never reused, and read {@code yyyyMMdd-NNNNNNN} (date of the call's end in the
 *       centre's zone, then a sequence);</li>
 *   <li>a method that returned normally has made its change durable in the database.</li>
 * </ul>
 */
public interface TicketStore extends AutoCloseable {

    /**
     * Writes the ticket of a finished call, with the agent's form if one was saved before the call ended.
     *
     * @return the stored ticket (the earlier one if this Linkedid already had a ticket)
     */
    Ticket saveCallEnded(CallSummary call, Map<String, String> form);

    /**
     * Hands over the ticket of a finished call and returns as soon as it is durable (survives a crash of the CTI),
     * without waiting for the database when the store has a durable journal in front of it. Same idempotency as
     * {@link #saveCallEnded}: handing the same Linkedid over again never makes a second ticket.
     *
     * <p>The default implementation is {@link #saveCallEnded} (durable means stored in the database). A journaled
     * store returns after its journal sync, even while the database is down; the returned stage then completes
     * when the database has taken the ticket, possibly much later.
     *
     * @return completes with the stored ticket (and its number) once it is in the database, or exceptionally when
     *         the database refuses it for good (it is then kept aside, not retried)
     * @throws RuntimeException when the ticket could not be made durable; nothing was kept and the caller should
     *                          hand it over again later
     */
    default CompletionStage<Ticket> handOver(CallSummary call, Map<String, String> form) {
        return CompletableFuture.completedFuture(saveCallEnded(call, form));
    }

    /**
     * Attaches (replaces) the agent's form on the ticket whose call had this draft id.
     *
     * @return the updated ticket, or empty if no ticket with that draft id exists yet
     */
    Optional<Ticket> saveForm(String draftId, Map<String, String> form);

    /**
     * Hands over the agent's form for the ticket with this draft id and returns as soon as it is durable, like
     * {@link #handOver} does for tickets: a journaled store returns after its journal sync, even while the database
     * is down, and applies the forms of one draft in the order they were handed over. The default implementation is
     * {@link #saveForm}.
     *
     * @return completes with the updated ticket, or empty if no ticket with that draft id exists when the form is
     *         applied; exceptionally when the database refuses the form for good
     * @throws RuntimeException when the form could not be made durable; nothing was kept and the caller should hand
     *                          it over again later
     */
    default CompletionStage<Optional<Ticket>> handOverForm(String draftId, Map<String, String> form) {
        return CompletableFuture.completedFuture(saveForm(draftId, form));
    }

    Optional<Ticket> byNumber(String number);

    Optional<Ticket> byLinkedId(String linkedId);

    /** Tickets matching {@code query}, newest first. */
    List<Ticket> find(TicketQuery query);

    /** Number of tickets stored. */
    long count();

    @Override
    void close();
}
