package org.hotlinecti.cti.ticket.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.hotlinecti.cti.ticket.TicketStore;
import org.hotlinecti.cti.ticket.jdbc.DatabaseException;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore.CallEnded;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallLedger;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ticket store the CTI uses: a local journal in front of the database, so that a ticket survives a kill -9 of
 * the CTI and an outage of the database.
 *
 * <p>{@link #submit} appends the ended call to the journal; its {@link Submission#durable()} future completes once
 * the record is synced to disk (many calls share one sync), and {@link Submission#stored()} once the ticket is in
 * the database. A single drain thread writes journaled records to the database in batches, in journal order,
 * insert-if-absent by Linkedid; when the database fails it retries the same batch with back-off (doubling from
 * {@link JournalOptions#retryInitial()} to {@link JournalOptions#retryMax()}) for as long as it takes, while the journal
 * keeps taking calls. On start, every record still in the journal is written again; those already in the database
 * are kept as they are (no second ticket, no second number). Journal segments are deleted once all their records are
 * in the database and the database has synced them.
 *
 * <p>{@link #saveCallEnded} is {@code submit} then a wait for the database of at most
 * {@link JournalOptions#ackTimeout()}; when that runs out it throws a {@link DatabaseException} saying the ticket is
 * durable but not stored yet, and a later call for the same Linkedid waits for the same record (nothing is appended
 * twice while it is pending). {@link #handOver} waits for the journal only. {@link #saveForm} is journaled too and
 * applied in journal order, after the tickets journaled before it. The reads ({@link #byNumber}, {@link #find} ...) go
 * to the database directly.
 *
 * <p>It is also the {@link CallLedger}: events are journaled (without waiting for the sync) and drained with the
 * tickets.
 */
public final class DurableTicketStore implements TicketStore, CallLedger {

    private static final Logger LOG = LoggerFactory.getLogger(DurableTicketStore.class);
    private static final String TICKET = "ticket";
    private static final String EVENT = "event";
    private static final String FORM = "form";

    /**
     * The two acknowledgements of a submitted ticket.
     *
     * @param durable completes when the ticket is synced to the journal: from then on it survives a crash
     * @param stored  completes with the stored ticket (and its number) when it is in the database
     */
    public record Submission(CompletableFuture<Void> durable, CompletableFuture<Ticket> stored) {
    }

    /**
     * What one journal record holds: a ticket (call and form), a ledger event, or an agent's form for the ticket
     * with {@code draftId} (records written before forms were journaled have no {@code draftId}).
     */
    record Entry(String type, CallSummary call, Map<String, String> form, CallEvent event, String draftId) {
    }

    private static final class Pending {
        final Entry entry;
        final CompletableFuture<Void> durable = new CompletableFuture<>();
        final CompletableFuture<Ticket> stored = new CompletableFuture<>();
        volatile long segment;
        volatile byte[] payload;

        Pending(Entry entry) {
            this.entry = entry;
        }
    }

    private final JournalOptions options;
    private final JdbcTicketStore store;
    private final JdbcCallLedger ledger;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Map<String, Pending> pendingTickets = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> toDrain = new LinkedBlockingQueue<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong drained = new AtomicLong();
    private final AtomicLong drainFailures = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile String lastError = "";
    private final TicketJournal journal;
    private final Thread drainer;
    private volatile boolean closed;

    private DurableTicketStore(JournalOptions options, JdbcTicketStore store, JdbcCallLedger ledger)
            throws IOException {
        this.options = options;
        this.store = store;
        this.ledger = ledger;
        this.journal = TicketJournal.open(options.dir(), options.segmentBytes(), this::replayed);
        this.drainer = new Thread(this::drainLoop, "ticket-journal-drain");
        drainer.setDaemon(true);
        drainer.start();
    }

    /**
     * Opens the journal in {@link JournalOptions#dir()}, queues what it holds for the database, and starts draining.
     *
     * @param store  the database's ticket store; closed by {@link #close()}
     * @param ledger the database's call ledger
     * @throws UncheckedIOException when the journal directory cannot be read or written
     */
    public static DurableTicketStore open(JournalOptions options, JdbcTicketStore store, JdbcCallLedger ledger) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(ledger, "ledger");
        try {
            return new DurableTicketStore(options, store, ledger);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the ticket journal in " + options.dir() + ": " + e, e);
        }
    }

    /**
     * Journals the ticket of a finished call. Returns at once; see {@link Submission}. While a ticket for the same
     * Linkedid is still on its way to the database, its submission is returned and nothing is appended.
     *
     * @throws IllegalArgumentException when the store could never hold this call (see
     *                                  {@link JdbcTicketStore#checkStorable}); nothing is journaled then
     * @throws IllegalStateException    after {@link #close()}
     */
    public Submission submit(CallSummary call, Map<String, String> form) {
        Objects.requireNonNull(call, "call");
        checkOpen();
        JdbcTicketStore.checkStorable(call);
        Pending fresh = new Pending(new Entry(TICKET, call, form == null ? Map.of() : Map.copyOf(form), null, null));
        Pending earlier = pendingTickets.putIfAbsent(call.linkedId(), fresh);
        if (earlier != null) {
            return new Submission(earlier.durable, earlier.stored);
        }
        append(fresh);
        return new Submission(fresh.durable, fresh.stored);
    }

    /** Journals a ledger event; never blocks, never throws for a journal failure (it is logged). */
    @Override
    public void record(CallEvent event) {
        Objects.requireNonNull(event, "event");
        if (closed) {
            LOG.warn("call event {} of call {} after the ticket store closed: not recorded", event.kind(),
                    event.linkedId());
            return;
        }
        Pending p = new Pending(new Entry(EVENT, null, null, event, null));
        append(p);
        p.durable.exceptionally(e -> {
            LOG.error("call event {} of call {} could not be journaled: {}", event.kind(), event.linkedId(),
                    e.toString());
            return null;
        });
    }

    @Override
    public List<CallEvent> eventsOf(String linkedId) {
        checkOpen();
        return ledger.eventsOf(linkedId);
    }

    @Override
    public Ticket saveCallEnded(CallSummary call, Map<String, String> form) {
        Submission s = submit(call, form);
        return awaitStored(s.durable(), s.stored(), "ticket of call " + call.linkedId());
    }

    /**
     * {@link #submit}, then a wait for the journal sync only (at most {@link JournalOptions#ackTimeout()}): the call
     * path is acknowledged at fsync speed whether or not the database is up.
     */
    @Override
    public CompletionStage<Ticket> handOver(CallSummary call, Map<String, String> form) {
        Submission s = submit(call, form);
        awaitSynced(s.durable(), "ticket of call " + call.linkedId());
        // a copy: the caller must not be able to complete the shared future
        return s.stored().copy();
    }

    /** Journals the form and waits for the journal sync only (at most {@link JournalOptions#ackTimeout()}). */
    @Override
    public CompletionStage<Optional<Ticket>> handOverForm(String draftId, Map<String, String> form) {
        Pending p = journalForm(draftId, form);
        awaitSynced(p.durable, "form of draft " + draftId);
        return p.stored.thenApply(Optional::ofNullable);
    }

    /**
     * Journals the form (so that it survives a kill -9 once synced, and a database outage), then waits at most
     * {@link JournalOptions#ackTimeout()} for the database to apply it, in journal order after the tickets journaled
     * before it.
     *
     * @throws DatabaseException when the database has not applied it in time; the form is then safe in the journal
     *                           if the message says so, and is applied when the database is back
     */
    @Override
    public Optional<Ticket> saveForm(String draftId, Map<String, String> form) {
        Pending p = journalForm(draftId, form);
        return Optional.ofNullable(awaitStored(p.durable, p.stored, "form of draft " + draftId));
    }

    private Pending journalForm(String draftId, Map<String, String> form) {
        Objects.requireNonNull(draftId, "draftId");
        Objects.requireNonNull(form, "form");
        checkOpen();
        Pending p = new Pending(new Entry(FORM, null, Map.copyOf(form), null, draftId));
        append(p);
        return p;
    }

    /** Waits at most {@link JournalOptions#ackTimeout()} for the journal sync of {@code what} ("ticket of call X"). */
    private void awaitSynced(CompletableFuture<Void> durable, String what) {
        try {
            durable.get(options.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DatabaseException("The " + what + " is not synced to the journal after "
                    + options.ackTimeout().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("Interrupted while journaling the " + what, e);
        } catch (ExecutionException e) {
            throw new DatabaseException("Cannot journal the " + what + ": " + rootMessage(e.getCause()),
                    e.getCause());
        }
    }

    /**
     * Waits at most {@link JournalOptions#ackTimeout()} for the database to store {@code what}; on time-out the
     * message says whether it is at least safe in the journal.
     */
    private Ticket awaitStored(CompletableFuture<Void> durable, CompletableFuture<Ticket> stored, String what) {
        try {
            return stored.get(options.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            boolean synced = durable.isDone() && !durable.isCompletedExceptionally();
            throw new DatabaseException("The " + what + (synced
                    ? " is safe in the journal but not in the database yet (" + lastError
                            + "); it will be written when the database accepts it"
                    : " is not synced to the journal yet"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("Interrupted while saving the " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new DatabaseException("Cannot save the " + what + ": " + cause, cause);
        }
    }

    @Override
    public Optional<Ticket> byNumber(String number) {
        checkOpen();
        return store.byNumber(number);
    }

    @Override
    public Optional<Ticket> byLinkedId(String linkedId) {
        checkOpen();
        return store.byLinkedId(linkedId);
    }

    @Override
    public List<Ticket> find(TicketQuery query) {
        checkOpen();
        return store.find(query);
    }

    @Override
    public long count() {
        checkOpen();
        return store.count();
    }

    /** What the journal found on start. */
    public ReplayReport replayReport() {
        return journal.replayReport();
    }

    public JournalStats stats() {
        return new JournalStats(journal.appended(), journal.fsyncs(), drained.get(), journal.outstanding(),
                journal.segmentCount(), drainFailures.get(), lastError, journal.replayReport().damagedRecords(),
                rejected.get());
    }

    /**
     * Stops taking tickets, syncs what was appended, and gives the database up to
     * {@link JournalOptions#ackTimeout()} to take what is pending; what it did not take stays in the journal for the
     * next start. Closes the database ticket store (not its data source).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        journal.close();
        long deadline = System.nanoTime() + options.ackTimeout().toNanos();
        while ((!toDrain.isEmpty() || inFlight.get() > 0) && System.nanoTime() < deadline
                && drainFailures.get() == drainFailuresAtLastSuccess) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopping.countDown();
        try {
            drainer.join(options.retryMax().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!toDrain.isEmpty()) {
            LOG.warn("{} journal record(s) not in the database at shutdown; they are written on the next start",
                    toDrain.size());
        }
        store.close();
    }

    // ---------------------------------------------------------------- journal side

    private void append(Pending p) {
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(p.entry);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot encode a journal record: " + e.getMessage(), e);
        }
        p.payload = payload;
        journal.append(payload).whenComplete((segment, failure) -> {
            if (failure != null) {
                if (p.entry.call() != null) {
                    pendingTickets.remove(p.entry.call().linkedId(), p);
                }
                p.durable.completeExceptionally(failure);
                p.stored.completeExceptionally(failure);
                return;
            }
            p.segment = segment;
            p.durable.complete(null);
            toDrain.add(p);
        });
    }

    private void replayed(TicketJournal.Replayed record) {
        Entry entry;
        try {
            entry = json.readValue(record.payload(), Entry.class);
        } catch (IOException | RuntimeException e) {
            // the frame checked out, so the bytes are what was written: a record this version cannot read
            LOG.error("Journal record in segment {} cannot be read ({}); kept in rejected.jsonl", record.segment(),
                    e.toString());
            reject(record.payload());
            // released once the drainer has started; the segment then goes when the rest of it is drained
            Pending unreadable = new Pending(null);
            unreadable.segment = record.segment();
            unreadable.payload = record.payload();
            toDrain.add(unreadable);
            return;
        }
        Pending p = new Pending(entry);
        p.segment = record.segment();
        p.payload = record.payload();
        p.durable.complete(null);
        if (entry.call() != null) {
            pendingTickets.putIfAbsent(entry.call().linkedId(), p);
        }
        toDrain.add(p);
    }

    // ---------------------------------------------------------------- drain side

    private volatile long drainFailuresAtLastSuccess;
    private boolean syncFailureLogged;

    private void drainLoop() {
        List<Pending> batch = new ArrayList<>();
        while (stopping.getCount() > 0) {
            Pending first;
            try {
                first = toDrain.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                deleteDrainedSegments();
                continue;
            }
            batch.add(first);
            toDrain.drainTo(batch, options.batchSize() - 1);
            inFlight.set(batch.size());
            try {
                if (!drainWithRetry(batch)) {
                    return;
                }
                deleteDrainedSegments();
            } finally {
                inFlight.set(0);
                batch.clear();
            }
        }
    }

    /** Writes the batch, retrying with back-off; false when the store is stopping (the batch stays journaled). */
    private boolean drainWithRetry(List<Pending> batch) {
        Duration delay = options.retryInitial();
        while (true) {
            try {
                drain(batch);
                long failures = drainFailures.get();
                if (failures != drainFailuresAtLastSuccess) {
                    LOG.info("The database accepts journaled records again (after {} failed attempt(s))",
                            failures - drainFailuresAtLastSuccess);
                    drainFailuresAtLastSuccess = failures;
                }
                return true;
            } catch (RuntimeException e) {
                if (isInvalidData(e) && batch.size() > 1) {
                    // one bad record must not hold the others back: write them one by one
                    for (Pending p : batch) {
                        if (!drainWithRetry(List.of(p))) {
                            return false;
                        }
                    }
                    return true;
                }
                if (isInvalidData(e)) {
                    rejectForGood(batch.get(0), e);
                    return true;
                }
                long failures = drainFailures.incrementAndGet();
                lastError = rootMessage(e);
                if (Long.bitCount(failures) == 1) {
                    LOG.warn("Cannot write {} journaled record(s) to the database (attempt failure #{}), retrying in"
                            + " {} ms: {}", batch.size(), failures, delay.toMillis(), lastError);
                }
                try {
                    if (stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                        return false;
                    }
                } catch (InterruptedException ie) {
                    return false;
                }
                delay = delay.multipliedBy(2).compareTo(options.retryMax()) > 0 ? options.retryMax()
                        : delay.multipliedBy(2);
            }
        }
    }

    private void drain(List<Pending> batch) {
        List<CallEnded> calls = new ArrayList<>();
        List<CallEvent> events = new ArrayList<>();
        List<Pending> forms = new ArrayList<>();
        for (Pending p : batch) {
            if (p.entry == null) {
                continue;
            }
            if (p.entry.call() != null) {
                calls.add(new CallEnded(p.entry.call(), p.entry.form()));
            } else if (p.entry.event() != null) {
                events.add(p.entry.event());
            } else if (FORM.equals(p.entry.type()) && p.entry.draftId() != null) {
                forms.add(p);
            }
        }
        Map<String, Ticket> stored = store.saveAllIfAbsent(calls);
        ledger.insertAll(events);
        // after the tickets of this batch, in journal order: a later save of the same draft wins, as it did live
        Map<Pending, Ticket> formTickets = new IdentityHashMap<>();
        for (Pending p : forms) {
            store.saveForm(p.entry.draftId(), p.entry.form()).ifPresent(t -> formTickets.put(p, t));
        }
        for (Pending p : batch) {
            if (p.entry != null && p.entry.call() != null) {
                String linkedId = p.entry.call().linkedId();
                Ticket ticket = stored.get(linkedId);
                pendingTickets.remove(linkedId, p);
                p.stored.complete(ticket);
            } else if (p.entry != null && FORM.equals(p.entry.type())) {
                // null: no ticket has that draft id (the caller gets an empty Optional)
                p.stored.complete(formTickets.get(p));
            }
            journal.release(p.segment);
            drained.incrementAndGet();
        }
    }

    private void rejectForGood(Pending p, RuntimeException e) {
        LOG.error("The database refuses a journaled record as invalid; kept in rejected.jsonl and not retried: {}",
                rootMessage(e));
        reject(p.payload);
        if (p.entry != null && p.entry.call() != null) {
            pendingTickets.remove(p.entry.call().linkedId(), p);
        }
        p.stored.completeExceptionally(e);
        journal.release(p.segment);
    }

    private void reject(byte[] payload) {
        rejected.incrementAndGet();
        try {
            Files.write(options.dir().resolve("rejected.jsonl"),
                    (new String(payload, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException io) {
            LOG.error("Cannot keep a rejected journal record: {}", io.toString());
        }
    }

    private void deleteDrainedSegments() {
        try {
            journal.deleteDrained(store::syncToDisk);
        } catch (RuntimeException e) {
            // the segments stay until the database can sync; their records are in it already
            if (!syncFailureLogged) {
                syncFailureLogged = true;
                LOG.warn("Drained journal segments are kept until the database syncs to disk: {}", rootMessage(e));
            }
            return;
        }
        syncFailureLogged = false;
    }

    /** A refusal that no retry can change: bad data (SQL state class 22 or 23) or a record the store rejects. */
    private static boolean isInvalidData(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ticket store is closed");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
