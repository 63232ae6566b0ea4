package org.hotlinecti.cti.ticket.ledger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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

    /**
     * Details from alternating keys and values; pairs whose value is null or empty are left out, so call sites need
     * no null checks.
     */
    public static Map<String, String> details(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("details come in key, value pairs");
        }
        Map<String, String> detail = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String value = keysAndValues[i + 1];
            if (value != null && !value.isEmpty()) {
                detail.put(keysAndValues[i], value.replace(';', ','));
            }
        }
        return detail;
    }

    /**
     * The ledger event for an agent's state change, if it is one the ledger keeps: logging in or out, pausing (going
     * not ready) and unpausing (ready again after not ready). States by their wire names ({@code logged_out},
     * {@code not_ready}, {@code ready} ...).
     */
    public static Optional<CallEvent> agentChange(String agentId, String previous, String now, String reason,
            Instant at) {
        CallEventKind kind;
        if ("logged_out".equals(previous) && !"logged_out".equals(now)) {
            kind = CallEventKind.AGENT_LOGIN;
        } else if ("logged_out".equals(now) && !"logged_out".equals(previous)) {
            kind = CallEventKind.AGENT_LOGOFF;
        } else if ("not_ready".equals(now) && !"not_ready".equals(previous)) {
            kind = CallEventKind.PAUSE;
        } else if ("not_ready".equals(previous) && "ready".equals(now)) {
            kind = CallEventKind.UNPAUSE;
        } else {
            return Optional.empty();
        }
        return Optional.of(of("", kind, at, agentId, null, details("reason", reason)));
    }
}
