package org.hotlinecti.sim.sip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated outside world's SIP side: trunk callers and agent phones, all on one JAIN-SIP stack on 127.0.0.1.
 *
 * <p>Each agent phone has its own UDP port (its own contact, like a real desk phone); all trunk callers share one
 * port, as calls from a carrier all come from its SBC. Threads do not grow with the number of actors beyond the RI's
 * two per phone port (socket reader and parser): one event thread for the whole stack, one RI timer thread, one
 * actor timer thread, and a two-thread pool that completes futures and runs {@link AgentPhoneListener} callbacks off
 * the SIP thread.
 *
 * <p>All methods are thread-safe.
 */
public final class SipPhoneStack implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(SipPhoneStack.class);
    private static final AtomicInteger POOL_THREADS = new AtomicInteger();

    private final String name;
    private final Clock clock;
    private final int t1Millis;
    private final DispatchingSipStack stack;
    private final ScheduledExecutorService timer;
    private final ForkJoinPool callbackPool;
    private final Map<String, TrunkCaller> callersByCallId = new ConcurrentHashMap<>();
    private final List<AgentPhone> phones = new CopyOnWriteArrayList<>();
    private SipProvider callerProvider;
    private volatile boolean closed;

    private SipPhoneStack(String name, Clock clock, Duration t1) {
        this.name = name;
        this.clock = clock;
        this.t1Millis = (int) t1.toMillis();
        this.stack = DispatchingSipStack.start(name);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sim-phones-" + name + "-timer"));
        // A ForkJoinPool stays at two threads, yet adds one while a completion stage blocks in join()/get(), so
        // user code that waits on another actor future inside a stage cannot starve the pool.
        this.callbackPool = new ForkJoinPool(2, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("sim-phones-" + name + "-callback-" + POOL_THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, null, true);
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    /** Starts a stack for actors on 127.0.0.1; times come from the system UTC clock. */
    public static SipPhoneStack start(String name) {
        return start(name, Clock.systemUTC());
    }

    /** Starts a stack for actors on 127.0.0.1; call times ({@link PhoneCall}, {@link TrunkCaller}) come from {@code clock}. */
    public static SipPhoneStack start(String name, Clock clock) {
        return start(name, clock, JainSipPbxEndpoint.DEFAULT_T1);
    }

    /** With a shorter T1 tests see transaction timeouts (64*T1) in seconds instead of 32 s. */
    static SipPhoneStack start(String name, Clock clock, Duration t1) {
        return new SipPhoneStack(Objects.requireNonNull(name, "name"), Objects.requireNonNull(clock, "clock"), t1);
    }

    /**
     * A PSTN caller with the given number and display name that will call the PBX at {@code pbxHost:pbxPort}.
     * Each caller places one call.
     */
    public TrunkCaller newCaller(String callerNumber, String displayName, String pbxHost, int pbxPort) {
        requireText(callerNumber, "caller number");
        requireText(pbxHost, "PBX host");
        return new TrunkCaller(this, callerProvider(), callerNumber, displayName, pbxHost, pbxPort);
    }

    /**
     * An agent's phone for {@code endpoint} (e.g. {@code agent1001}) on a free UDP port of its own; it registers with
     * {@code password} when challenged ({@code null}: no credentials).
     */
    public AgentPhone newAgentPhone(String endpoint, String password, String pbxHost, int pbxPort) {
        requireText(endpoint, "endpoint");
        requireText(pbxHost, "PBX host");
        requireOpen();
        AgentPhone phone = new AgentPhone(this, endpoint, password, pbxHost, pbxPort);
        try {
            SipProvider provider = stack.addProvider(HOST, 0, phone.handler());
            phone.attach(provider);
        } catch (IOException e) {
            throw new UncheckedIOException("no UDP port for phone " + endpoint, e);
        }
        phones.add(phone);
        return phone;
    }

    /**
     * Releases sockets and threads. Hangs up nothing: the PBX sees the actors vanish. Futures still pending fail with
     * {@link SipCallFailedException} ({@link SipCallFailedException#NO_RESPONSE}). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stack.close();
        timer.shutdownNow();
        for (TrunkCaller caller : callersByCallId.values()) {
            caller.abandon();
        }
        for (AgentPhone phone : phones) {
            phone.abandon();
        }
        callbackPool.shutdown();
        LOG.debug("SIP phone stack {} closed", name);
    }

    private synchronized SipProvider callerProvider() {
        requireOpen();
        if (callerProvider == null) {
            try {
                callerProvider = stack.addProvider(HOST, 0, new CallerDispatch());
            } catch (IOException e) {
                throw new UncheckedIOException("no UDP port for trunk callers", e);
            }
        }
        return callerProvider;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("SIP phone stack " + name + " is closed");
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    // ---- services for the actors ----

    boolean isClosed() {
        return closed;
    }

    SipMessages messages() {
        return stack.messages();
    }

    DispatchingSipStack sipStack() {
        return stack;
    }

    Clock clock() {
        return clock;
    }

    long transactionTimeoutMillis() {
        return 64L * t1Millis;
    }

    void tune(ClientTransaction ct) {
        if (t1Millis != JainSipPbxEndpoint.DEFAULT_T1.toMillis()) {
            ct.setRetransmitTimer(t1Millis);
        }
    }

    /** For listener callbacks that must keep their order. */
    SerialExecutor newSerialExecutor() {
        return new SerialExecutor(callbackPool);
    }

    /**
     * Completes an actor future off the SIP thread. Not serialised per actor: a stage that blocks on a later future of
     * the same actor must not wait behind itself.
     */
    void completeLater(Runnable completion) {
        try {
            callbackPool.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // closed: complete here rather than never
        }
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return timer.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("SIP actor timer task failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // closed
        }
    }

    void callerDialling(String callId, TrunkCaller caller) {
        callersByCallId.put(callId, caller);
    }

    /** An ended caller stays reachable for 64*T1 so late retransmissions still find it. */
    void callerEnded(String callId, TrunkCaller caller) {
        schedule(() -> callersByCallId.remove(callId, caller), transactionTimeoutMillis());
    }

    /** Routes the shared caller port's events by Call-ID. */
    private final class CallerDispatch implements SipEventHandler {

        @Override
        public void onRequest(RequestEvent event) {
            TrunkCaller caller = callersByCallId.get(SipMessages.callIdOf(event.getRequest()));
            if (caller != null) {
                caller.onRequest(event);
            } else if (!event.getRequest().getMethod().equals(javax.sip.message.Request.ACK)) {
                messages().respond(event, SipMessages.serverTransactionOf(event), 481, TrunkCaller.USER_AGENT);
            }
        }

        @Override
        public void onResponse(ResponseEvent event) {
            TrunkCaller caller = callersByCallId.get(SipMessages.callIdOf(event.getResponse()));
            if (caller != null) {
                caller.onResponse(event);
            }
        }

        @Override
        public void onTimeout(TimeoutEvent event) {
            if (event.isServerTransaction()) {
                return;
            }
            TrunkCaller caller = callersByCallId.get(SipMessages.callIdOf(event.getClientTransaction().getRequest()));
            if (caller != null) {
                caller.onTimeout(event.getClientTransaction());
            }
        }

        @Override
        public void onDialogTimeout(DialogTimeoutEvent event) {
            LOG.debug("dialog timeout {} on {}", event.getReason(), event.getDialog().getCallId().getCallId());
        }
    }
}
