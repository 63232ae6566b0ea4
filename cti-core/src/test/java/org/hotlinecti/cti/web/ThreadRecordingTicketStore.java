package org.hotlinecti.cti.web;

import io.vertx.core.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.hotlinecti.cti.ticket.TicketStore;

/** Counts calls made on an event loop (there must be none) around a real store. */
final class ThreadRecordingTicketStore implements TicketStore {

    final AtomicInteger callsOnEventLoop = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    private final TicketStore delegate;

    ThreadRecordingTicketStore(TicketStore delegate) {
        this.delegate = delegate;
    }

    private void record() {
        calls.incrementAndGet();
        if (Context.isOnEventLoopThread()) {
            callsOnEventLoop.incrementAndGet();
        }
    }

    @Override
    public Ticket saveCallEnded(CallSummary call, Map<String, String> form) {
        record();
        return delegate.saveCallEnded(call, form);
    }

    @Override
    public Optional<Ticket> saveForm(String draftId, Map<String, String> form) {
        record();
        return delegate.saveForm(draftId, form);
    }

    @Override
    public Optional<Ticket> byNumber(String number) {
        record();
        return delegate.byNumber(number);
    }

    @Override
    public Optional<Ticket> byLinkedId(String linkedId) {
        record();
        return delegate.byLinkedId(linkedId);
    }

    @Override
    public List<Ticket> find(TicketQuery query) {
        record();
        return delegate.find(query);
    }

    @Override
    public long count() {
        record();
        return delegate.count();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
