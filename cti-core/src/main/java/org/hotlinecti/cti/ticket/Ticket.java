package org.hotlinecti.cti.ticket;

import java.time.Instant;
import java.util.Map;

/**
 * A stored ticket (工单): one per call, created when the call ends.
 *
 * @param number    readable, unique number assigned by the store, e.g. {@code 20261122-0000042}
 * @param call      what is known about the call
 * @param form      the agent's form fields (category, summary ...); empty until the agent saved it
 * @param createdAt when the row was written
 */
public record Ticket(String number, CallSummary call, Map<String, String> form, Instant createdAt) {

    public Ticket {
        form = form == null ? Map.of() : Map.copyOf(form);
    }
}
