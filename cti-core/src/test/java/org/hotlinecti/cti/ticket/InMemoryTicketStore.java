package org.hotlinecti.cti.ticket;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A TicketStore in memory for tests of its users; can be told to fail the next N writes. */
public final class InMemoryTicketStore implements TicketStore {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Map<String, Ticket> byLinkedId = new LinkedHashMap<>();
    private final Clock clock;
    private final ZoneId zone;
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private long sequence;

    public InMemoryTicketStore(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    /** The next {@code n} saveCallEnded calls throw, as a database outage would. */
    public void failNextWrites(int n) {
        failuresToInject.set(n);
    }

    /** How many times saveCallEnded was called, failures included. */
    public int writeAttempts() {
        return attempts.get();
    }

    @Override
    public synchronized Ticket saveCallEnded(CallSummary call, Map<String, String> form) {
        attempts.incrementAndGet();
        if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("database unavailable (injected)");
        }
        return byLinkedId.computeIfAbsent(call.linkedId(), id -> new Ticket(
                DAY.format(call.endedAt().atZone(zone)) + "-" + String.format("%07d", ++sequence), call, form,
                clock.instant()));
    }

    @Override
    public synchronized Optional<Ticket> saveForm(String draftId, Map<String, String> form) {
        for (Map.Entry<String, Ticket> e : byLinkedId.entrySet()) {
            Ticket t = e.getValue();
            if (draftId.equals(t.call().draftId())) {
                Ticket updated = new Ticket(t.number(), t.call(), form, t.createdAt());
                e.setValue(updated);
                return Optional.of(updated);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Ticket> byNumber(String number) {
        return byLinkedId.values().stream().filter(t -> t.number().equals(number)).findFirst();
    }

    @Override
    public synchronized Optional<Ticket> byLinkedId(String linkedId) {
        return Optional.ofNullable(byLinkedId.get(linkedId));
    }

    @Override
    public synchronized List<Ticket> find(TicketQuery q) {
        List<Ticket> all = new ArrayList<>(byLinkedId.values());
        all.sort(Comparator.comparing((Ticket t) -> t.call().endedAt()).thenComparing(Ticket::number).reversed());
        return all.stream()
                .filter(t -> q.number() == null || q.number().equals(t.number()))
                .filter(t -> q.department() == null || q.department().equals(t.call().department()))
                .filter(t -> q.endedFrom() == null || !t.call().endedAt().isBefore(q.endedFrom()))
                .filter(t -> q.endedBefore() == null || t.call().endedAt().isBefore(q.endedBefore()))
                .filter(t -> q.caller() == null || q.caller().equals(t.call().caller()))
                .filter(t -> q.line() == null || q.line().equals(t.call().line()))
                .filter(t -> q.agent() == null || q.agent().equals(t.call().agent()))
                .filter(t -> q.disposition() == null || q.disposition() == t.call().disposition())
                .skip(q.offset()).limit(q.limit()).toList();
    }

    @Override
    public synchronized long count() {
        return byLinkedId.size();
    }

    @Override
    public void close() {
    }
}
