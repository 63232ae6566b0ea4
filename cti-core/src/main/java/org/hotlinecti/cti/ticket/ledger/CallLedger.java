package org.hotlinecti.cti.ticket.ledger;

import java.util.List;

/**
 * The call ledger: every call event the CTI acts on, in order, so that a ticket can be explained afterwards and
 * reports rebuilt.
 *
 * <p>{@link #record} never blocks on I/O and never throws for a storage failure: it is called on the call loop. An
 * implementation buffers (durably, for the journaled one) and stores later; events of one call are stored in the
 * order they were recorded.
 */
public interface CallLedger {

    /** A ledger that keeps nothing (tests, tools). */
    CallLedger NONE = new CallLedger() {
        @Override
        public void record(CallEvent event) {
        }

        @Override
        public List<CallEvent> eventsOf(String linkedId) {
            return List.of();
        }
    };

    /** Appends {@code event}; returns at once. */
    void record(CallEvent event);

    /**
     * The stored events of one call, oldest first (events recorded moments ago may not be stored yet). Blocking:
     * call it on an I/O thread.
     */
    List<CallEvent> eventsOf(String linkedId);
}
