package org.hotlinecti.cti.ticket.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One entry of the call ledger: something the CTI acted on, with when and the ids involved.
 *
 * @param eventId    unique id of the entry (a random UUID): storing the same entry twice keeps one row
 * @param linkedId   the call's Asterisk Linkedid; empty for an agent's own events (login, pause)
 * @param kind       what happened
 * @param occurredAt when the CTI saw it
 * @param agent      the agent involved, or null
 * @param queue      the queue (skill) involved, or null
 * @param detail     further facts, e.g. {@code line}, {@code caller}, {@code disposition}, {@code reason}; keys and
 *                   values must not contain {@code ';'} or {@code '='}
 */
public record CallEvent(String eventId, String linkedId, CallEventKind kind, Instant occurredAt, String agent,
        String queue, Map<String, String> detail) {

    public CallEvent {
        Objects.requireNonNull(eventId, "eventId");
        linkedId = linkedId == null ? "" : linkedId;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(occurredAt, "occurredAt");
        detail = detail == null ? Map.of() : Map.copyOf(new TreeMap<>(detail));
        for (Map.Entry<String, String> e : detail.entrySet()) {
            if (e.getKey().contains(";") || e.getKey().contains("=") || e.getValue().contains(";")) {
                throw new IllegalArgumentException("detail keys and values must not contain ';' (keys not '='): "
                        + e.getKey());
            }
        }
    }

    /** A new event with a fresh id. */
    public static CallEvent of(String linkedId, CallEventKind kind, Instant occurredAt, String agent, String queue,
            Map<String, String> detail) {
        return new CallEvent(UUID.randomUUID().toString(), linkedId, kind, occurredAt, agent, queue, detail);
    }
}
