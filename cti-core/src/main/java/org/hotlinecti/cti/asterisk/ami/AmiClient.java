package org.hotlinecti.cti.asterisk.ami;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.hotlinecti.cti.asterisk.AmiConnectException;
import org.hotlinecti.cti.call.PbxActionException;
import org.hotlinecti.cti.call.PbxActionException.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI's own AMI client: one logged-in session with one Asterisk, kept alive and re-established.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>The socket is read and written on one Vert.x event loop owned by the client. It only parses packets
 *   ({@link AmiDecoder}), matches responses to actions by ActionID, and appends work to the hand-off; it never runs
 *   listener code and never waits for it.</li>
 *   <li>The {@link AmiListener} and the completion of every future returned by {@link #send} / {@link #sendList}
 *   run on one consumer thread, {@code ami-events-<host:port>}, in stream order (an action's response is seen in
 *   order with the events around it). The consumer may be slow: events wait in memory (high-water warning, see
 *   {@link AmiClientOptions}) and the reader keeps reading.</li>
 * </ul>
 *
 * <h2>Health</h2>
 * A Ping every {@code pingInterval}; an unanswered one after {@code pingTimeout} closes the connection as dead. A lost
 * connection (peer closed, dead, backlog over capacity) is reported with {@link AmiListener#disconnected} and
 * re-opened with back-off ({@code reconnectMinDelay}, doubling up to {@code reconnectMaxDelay}), forever, until
 * {@link #close()}; each new login reports {@link AmiListener#connected} again. Actions sent while disconnected fail
 * at once with {@link Outcome#NOT_SENT}.
 *
 * <h2>Errors</h2>
 * Futures fail with {@link PbxActionException}: {@link Outcome#REFUSED} ({@code Response: Error}, with Asterisk's
 * message), {@link Outcome#NOT_SENT}, or {@link Outcome#UNKNOWN} (no response in time, connection lost meanwhile).
 * Nothing is ever retried by the client: only the caller knows whether repeating an action is safe.
 */
public final class AmiClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmiClient.class);
    /** Seconds over which {@link AmiHealth#eventsPerSecond()} is averaged. */
    private static final int RATE_WINDOW = 10;

    private final AmiClientOptions options;
    private final AmiListener listener;
    private final Vertx vertx;
    private final Context context;
    private final NetClient netClient;
    private final AmiEventHandoff handoff;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    private volatile AmiConnection current;
    private volatile boolean started;
    private volatile boolean closed;
    /** Health, written on the event loop (and by connect/close), read by {@link #health()}. */
    private volatile AmiHealth.State state = AmiHealth.State.CONNECTING;
    private volatile Instant stateSince = Instant.now();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    /** Events counted at each of the last {@link #RATE_WINDOW} one-second ticks; event loop only. */
    private final long[] eventSamples = new long[RATE_WINDOW + 1];
    private int sampleIndex;
    private int samplesTaken;
    private volatile double eventsPerSecond;
    /** Event loop only. */
    private long delayMillis;
    private long retryTimer = -1;

    public AmiClient(AmiClientOptions options, AmiListener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        this.context = vertx.getOrCreateContext();
        this.netClient = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .setTcpNoDelay(true).setTcpKeepAlive(true)
                .setReceiveBufferSize(1 << 20));
        this.handoff = new AmiEventHandoff(options.address(), options.backlogHighWater(), options.backlogCapacity(),
                listener::event);
        this.delayMillis = options.reconnectMinDelay().toMillis();
        vertx.setPeriodic(1_000, id -> sampleEventRate());
    }

    /**
     * Opens the first session and logs in; from then on the client reconnects by itself whenever the session is lost.
     * Blocks for at most about the connect timeout.
     *
     * @throws AmiConnectException   when Asterisk cannot be reached, sends no banner, or refuses the login; the message
     *                               says which in one line
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void connect() {
        if (closed || started) {
            throw new IllegalStateException("AMI client for " + options.address() + " is "
                    + (closed ? "closed" : "already started"));
        }
        CompletableFuture<String> first = new CompletableFuture<>();
        context.runOnContext(v -> openConnection().onComplete(ar -> {
            if (ar.succeeded()) {
                first.complete(ar.result());
            } else {
                first.completeExceptionally(ar.cause());
            }
        }));
        try {
            first.get(options.connectTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
            started = true;
            log.info("AMI logged in to {} as '{}' (Asterisk {})", options.address(), options.username(),
                    asteriskVersion().isEmpty() ? "version unknown" : asteriskVersion());
        } catch (ExecutionException e) {
            AmiConnectException failure = e.getCause() instanceof AmiConnectException ace ? ace
                    : new AmiConnectException("AMI at " + options.address() + ": " + e.getCause(), e.getCause());
            recordError(failure.getMessage());
            throw failure;
        } catch (TimeoutException e) {
            recordError("AMI at " + options.address() + " did not complete the login");
            throw new AmiConnectException("AMI at " + options.address() + " did not complete the login", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmiConnectException("interrupted while connecting to AMI at " + options.address(), e);
        }
    }

    /**
     * Like {@link #connect()}, but an Asterisk that cannot be reached (refused, timed out, no banner, no answer to
     * the login) is an outage, not a failure: the client logs it, reports {@link AmiHealth.State#CONNECTING} with the
     * error, and keeps trying with the usual back-off until Asterisk answers; {@link AmiListener#connected} then comes
     * as after any reconnect. Blocks for at most about the connect timeout.
     *
     * @return true when the first attempt logged in, false when the client is retrying in the background
     * @throws org.hotlinecti.cti.asterisk.AmiLoginRefusedException when Asterisk answered and refused the login
     *                                                               (wrong user/secret, address not permitted): a
     *                                                               misconfiguration that retrying cannot cure
     * @throws IllegalStateException                                 if already started or closed
     */
    public boolean start() {
        try {
            connect();
            return true;
        } catch (org.hotlinecti.cti.asterisk.AmiLoginRefusedException refused) {
            throw refused;
        } catch (AmiConnectException outage) {
            synchronized (this) {
                if (closed) {
                    throw outage;
                }
                started = true;
            }
            log.warn("{}; the CTI starts anyway and keeps trying (back-off up to {} ms)", outage.getMessage(),
                    options.reconnectMaxDelay().toMillis());
            context.runOnContext(v -> {
                if (!closed && retryTimer < 0 && (current == null || !current.isReady())) {
                    scheduleReconnect();
                }
            });
            return false;
        }
    }

    /** The session's health now. */
    public AmiHealth health() {
        return new AmiHealth(state, stateSince, reconnects.get(), lastError, lastErrorAt, events.get(),
                eventsPerSecond, handoff.backlog(), handoff.maxBacklog(), options.backlogHighWater(),
                asteriskVersion());
    }

    /** Sends an action; the future completes with its response on the consumer thread. */
    public CompletableFuture<AmiMessage> send(AmiAction action) {
        return send(action, options.actionTimeout());
    }

    /** Sends an action with its own timeout. */
    @SuppressWarnings("unchecked")
    public CompletableFuture<AmiMessage> send(AmiAction action, Duration timeout) {
        return (CompletableFuture<AmiMessage>) (CompletableFuture<?>) dispatch(action, timeout, false);
    }

    /**
     * Sends a list action (CoreShowChannels, Status, BridgeList ...) and collects the events carrying its ActionID up
     * to the {@code EventList: Complete} event.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<AmiListResponse> sendList(AmiAction action) {
        return (CompletableFuture<AmiListResponse>) (CompletableFuture<?>) dispatch(action, options.actionTimeout(),
                true);
    }

    private CompletableFuture<Object> dispatch(AmiAction action, Duration timeout, boolean list) {
        Objects.requireNonNull(action, "action");
        AmiConnection c = current;
        if (closed || c == null || !c.isReady()) {
            return CompletableFuture.failedFuture(new PbxActionException(action.name(), Outcome.NOT_SENT,
                    closed ? "AMI client closed" : "AMI not connected"));
        }
        return c.send(action, timeout, list);
    }

    /** Whether a session is logged in now. */
    public boolean isConnected() {
        AmiConnection c = current;
        return c != null && c.isReady();
    }

    /** The Asterisk version of the current (or last) session, or empty. */
    public String asteriskVersion() {
        AmiConnection c = current;
        return c == null ? "" : c.asteriskVersion();
    }

    /** Events read from the socket so far. */
    public long eventsReceived() {
        return events.get();
    }

    /** Events and completions waiting for the consumer now. */
    public long backlog() {
        return handoff.backlog();
    }

    /** The largest backlog seen (the high-water figure). */
    public long maxBacklog() {
        return handoff.maxBacklog();
    }

    /** Sessions re-established after a loss. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Whether the caller runs on this client's consumer thread. */
    public boolean onConsumerThread() {
        return handoff.isConsumerThread();
    }

    /**
     * Drops the current connection as if it had died (for tests and operator commands): the client reports
     * {@link AmiListener#disconnected} and reconnects.
     */
    public void dropConnection(String reason) {
        AmiConnection c = current;
        if (c != null) {
            context.runOnContext(v -> c.close(reason, false));
        }
    }

    // ------------------------------------------------------------------ event loop

    private io.vertx.core.Future<String> openConnection() {
        AmiConnection c = new AmiConnection(vertx, context, options, handoff, listener, events,
                connections.incrementAndGet(), this::connectionClosed);
        current = c;
        return c.open(netClient).onSuccess(version -> {
            if (!closed && c == current) {
                enter(AmiHealth.State.CONNECTED);
            }
        });
    }

    private void connectionClosed(AmiConnection c) {
        if (closed || c != current) {
            return;
        }
        String reason = c.endReason();
        if (reason != null) {
            recordError(reason);
        }
        if (state == AmiHealth.State.CONNECTED) {
            enter(AmiHealth.State.RECONNECTING);
        }
        if (!started) {
            return;
        }
        scheduleReconnect();
    }

    private void enter(AmiHealth.State next) {
        if (state != next) {
            state = next;
            stateSince = Instant.now();
        }
    }

    private void recordError(String error) {
        lastError = error;
        lastErrorAt = Instant.now();
    }

    /** Event loop: one sample a second, the rate over the last {@link #RATE_WINDOW} samples (fewer at first). */
    private void sampleEventRate() {
        long now = events.get();
        sampleIndex = (sampleIndex + 1) % eventSamples.length;
        eventSamples[sampleIndex] = now;
        samplesTaken = Math.min(samplesTaken + 1, RATE_WINDOW);
        long then = eventSamples[Math.floorMod(sampleIndex - samplesTaken, eventSamples.length)];
        eventsPerSecond = (now - then) / (double) samplesTaken;
    }

    private void scheduleReconnect() {
        long delay = delayMillis;
        delayMillis = Math.min(options.reconnectMaxDelay().toMillis(), delayMillis * 2);
        retryTimer = vertx.setTimer(delay, id -> {
            retryTimer = -1;
            if (closed) {
                return;
            }
            openConnection().onComplete(ar -> {
                if (ar.succeeded()) {
                    delayMillis = options.reconnectMinDelay().toMillis();
                    reconnects.incrementAndGet();
                    log.info("AMI reconnected to {} (Asterisk {})", options.address(), ar.result());
                } else {
                    recordError(ar.cause().getMessage());
                    log.warn("AMI reconnect to {} failed: {}; next try in {} ms", options.address(),
                            ar.cause().getMessage(), delayMillis);
                }
            });
        });
    }

    /**
     * Logs off (waiting briefly for Asterisk's Goodbye), reports a last {@link AmiListener#disconnected} with
     * {@code requested = true} when a session was open, fails actions still waiting, lets the consumer finish queued
     * events (at most the action timeout), and stops the client's threads. Idempotent; do not call from the listener.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        enter(AmiHealth.State.CLOSED);
        CompletableFuture<Void> socketClosed = new CompletableFuture<>();
        context.runOnContext(v -> {
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
            }
            AmiConnection c = current;
            if (c == null) {
                socketClosed.complete(null);
                return;
            }
            c.ended().whenComplete((ok, e) -> socketClosed.complete(null));
            c.logoffAndClose(Duration.ofMillis(Math.min(1_000, options.actionTimeout().toMillis())));
        });
        try {
            socketClosed.get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("AMI close of {}: {}", options.address(), e.toString());
        }
        try {
            netClient.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("AMI net client close: {}", e.toString());
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("AMI client event loop did not stop cleanly: {}", e.toString());
        }
        handoff.close(options.actionTimeout().toMillis());
        log.info("AMI client for {} closed", options.address());
    }
}
