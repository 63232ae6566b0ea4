package org.hotlinecti.sim.pbx.ami;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sim PBX's Asterisk Manager Interface: a TCP server that a client cannot tell from Asterisk 22's AMI (banner,
 * login with plain or MD5 challenge, session actions, event filtering by permission class and event mask, security
 * events, Shutdown), with the channel actions delegated to the PBX core's {@link AmiActionHandler}.
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>{@link #publish}, {@link #setFullyBooted} and {@link #shutdown} may be called from any thread, never block on
 *   a client, and are serialized internally: every session sees events in one global publish order. Each session
 *   has a bounded outbound queue; a client that does not read for {@code writeTimeout}, or whose queue outgrows
 *   {@code maxOutboundBytes}, is disconnected (and logged) rather than slowing anyone down or losing events.</li>
 *   <li>Socket I/O runs on one Vert.x event loop owned by this server.</li>
 *   <li>{@link AmiActionHandler#handle} is called on an {@code ami-action-N} thread, never on the event loop, one
 *   action at a time per session (a session's next action is read only after the previous one was answered, as in
 *   Asterisk). The replies are queued to the session on the thread that completes the returned stage, at the moment
 *   it completes: complete it before publishing the events that must follow the response.</li>
 * </ul>
 *
 * <h2>What the server answers itself</h2>
 * Login (plain {@code Secret}, or {@code AuthType: MD5} + {@code Key} after {@code Challenge}), Challenge, Logoff,
 * Ping, Events, CoreSettings and CoreStatus; actions before login get {@code Permission denied}; an action without
 * {@code Action:} gets {@code Missing action in request}. Everything else goes to the handler. Action names are
 * case-insensitive (Asterisk-Java sends {@code SetVar}, {@code GetVar}): the handler must compare them so. The
 * write classes Asterisk requires for its core actions (Originate: originate; Redirect, Setvar, Bridge: call; ...)
 * are checked before the handler is called. The security events of manager sessions (SuccessfulAuth,
 * InvalidPassword, InvalidAccountID, ChallengeResponseFailed, RequestNotAllowed, RequestBadFormat) are published
 * like any other event.
 *
 * <p>Transport: Vert.x's NetServer (one event loop) gives non-blocking sockets, write-queue back-pressure and
 * timers; each session adds a bounded queue that producers append to without blocking and that the event loop
 * drains in batches of up to 64 KiB, which is what lets one client take several hundred thousand events per
 * second.
 *
 * <p>Lifecycle: construct, {@link #start()}, then {@link #close()}. {@link #shutdown(boolean)} imitates {@code core
 * stop now} / {@code core restart now} for the clients but keeps listening, so the sim can "come back" (call
 * {@link #setFullyBooted(boolean) setFullyBooted(true)} once it has).
 */
public final class AmiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmiServer.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String AMI_VERSION = "11.0.0";

    private final AmiServerConfig config;
    private final AmiActionHandler handler;
    private final AmiSecurityEvents securityEvents;
    private final Object publishLock = new Object();
    private final List<AmiSession> sessions = new CopyOnWriteArrayList<>();
    private final ExecutorService actionExecutor;

    private volatile Vertx vertx;
    private volatile NetServer netServer;
    private volatile boolean fullyBooted;
    private volatile boolean unresponsive;
    private volatile Instant startedAt;
    private volatile IntSupplier currentCalls = () -> 0;
    private volatile IntSupplier processedCalls = () -> 0;
    private long writeTimeoutTimer = -1;

    public AmiServer(AmiServerConfig config, AmiActionHandler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.securityEvents = new AmiSecurityEvents(config.clock());
        this.startedAt = config.clock().instant();
        AtomicInteger threads = new AtomicInteger();
        this.actionExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ami-action-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds and starts accepting connections. Uptime is counted from here.
     *
     * @throws IOException if the address cannot be bound
     */
    public synchronized void start() throws IOException {
        if (vertx != null) {
            throw new IllegalStateException("AMI server already started");
        }
        // One event loop is plenty for a handful of AMI clients and keeps all socket work on one thread.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost(config.host()).setPort(config.port())
                .setTcpNoDelay(true).setReuseAddress(true));
        server.connectHandler(socket -> {
            AmiSession session = new AmiSession(this, socket, Vertx.currentContext());
            sessions.add(session);
            session.start();
        });
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeVertx();
            throw new IOException("interrupted while binding AMI " + config.host() + ":" + config.port(), e);
        } catch (ExecutionException | TimeoutException e) {
            closeVertx();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("cannot bind AMI " + config.host() + ":" + config.port() + ": " + cause, cause);
        }
        netServer = server;
        startedAt = config.clock().instant();
        long period = Math.max(10, Math.min(250, config.writeTimeout().toMillis() / 4));
        writeTimeoutTimer = vertx.setPeriodic(period, id -> checkWriteTimeouts());
        log.info("AMI server listening on {}:{}", config.host(), server.actualPort());
    }

    /** The bound port (the picked one when the configured port is 0). */
    public int port() {
        NetServer s = netServer;
        if (s == null) {
            throw new IllegalStateException("AMI server not started");
        }
        return s.actualPort();
    }

    /**
     * Sends an event to every logged-in session whose read classes and event mask admit it.
     *
     * <p>The event starts with {@code Event:} and has a {@code Privilege:} field (e.g. {@code call,all}); the
     * session must have every class named there (other than {@code all}) in both, as Asterisk checks it. With
     * {@code timestampEvents} the server writes {@code Timestamp: <epoch>.<micros>} right after Privilege (a
     * Timestamp field in {@code event} is replaced, never duplicated).
     *
     * @throws IllegalArgumentException if {@code event} has no leading {@code Event} field or no {@code Privilege},
     *     or a key or value holds a line break (it would corrupt the framing for every client)
     */
    public void publish(AmiMessage event) {
        Objects.requireNonNull(event, "event");
        List<Map.Entry<String, String>> fields = event.fields();
        if (fields.isEmpty() || !fields.get(0).getKey().equalsIgnoreCase("Event")) {
            throw new IllegalArgumentException("an AMI event must start with an Event field: " + event);
        }
        String privilege = event.get("Privilege").orElseThrow(() -> new IllegalArgumentException(
                "AMI event " + fields.get(0).getValue() + " has no Privilege field"));
        requireWellFormed(event);
        int category = AmiPermissions.categoryOfPrivilege(privilege);
        if (unresponsive) {
            // a hung Asterisk writes nothing
            return;
        }
        synchronized (publishLock) {
            byte[] wire = null;
            for (AmiSession s : sessions) {
                if (s.admits(category)) {
                    if (wire == null) {
                        wire = encodeEvent(event, config.timestampEvents() ? timestamp() : null);
                    }
                    s.send(wire);
                }
            }
        }
    }

    /**
     * Marks the PBX booted or not. Turning it on publishes {@code FullyBooted} (with Timestamp, {@code Status}
     * first) to every session; clients logging in while booted get {@code FullyBooted} (no Timestamp) right after
     * {@code Authentication accepted}; clients logging in before it get only the later event, as in Asterisk.
     */
    public void setFullyBooted(boolean booted) {
        synchronized (publishLock) {
            boolean wasBooted = fullyBooted;
            fullyBooted = booted;
            if (booted && !wasBooted) {
                long up = uptimeSeconds();
                publish(AmiMessage.builder()
                        .add("Event", "FullyBooted")
                        .add("Privilege", "system,all")
                        .add("Status", "Fully Booted")
                        .add("Uptime", Long.toString(up))
                        .add("LastReload", Long.toString(up))
                        .build());
            }
        }
    }

    /**
     * Like {@code core stop now} ({@code restart = false}) or {@code core restart now}: publishes {@code Event:
     * Shutdown} / {@code Shutdown: Cleanly} / {@code Restart: False|True} ({@code system,all}), then closes every
     * session once that is written. Publish the channels' Hangup events before calling this. Afterwards the server
     * is not booted and its uptime starts again; it keeps listening.
     */
    public void shutdown(boolean restart) {
        synchronized (publishLock) {
            publish(AmiMessage.builder()
                    .add("Event", "Shutdown")
                    .add("Privilege", "system,all")
                    .add("Shutdown", "Cleanly")
                    .add("Restart", restart ? "True" : "False")
                    .build());
            fullyBooted = false;
            startedAt = config.clock().instant();
            for (AmiSession s : sessions) {
                s.closeGracefully();
            }
        }
        log.info("AMI server: shutdown (restart={}), {} session(s) closing", restart, sessions.size());
    }

    /**
     * Drops every connection at once, without a Shutdown event: what a client sees when Asterisk crashes or the
     * network path breaks. The server keeps listening.
     */
    public void dropConnections() {
        for (AmiSession s : sessions) {
            s.drop();
        }
        log.info("AMI server: every connection dropped");
    }

    /**
     * While on, the server behaves like a hung Asterisk: connections stay open but nothing is answered or sent (no
     * banner, no responses, no events). A client's keep-alive must notice. Turning it off resumes service for new and
     * open connections (events published meanwhile are gone, as they would be).
     */
    public void setUnresponsive(boolean on) {
        unresponsive = on;
        log.info("AMI server: {}", on ? "unresponsive (hung)" : "responsive again");
    }

    boolean unresponsive() {
        return unresponsive;
    }

    /** Moves the instant uptime counts from, so a test can play an Asterisk that has run for a while. */
    public void setStartedAt(Instant instant) {
        startedAt = Objects.requireNonNull(instant, "instant");
    }

    /** Seconds since start (or the last {@link #shutdown}), as FullyBooted and CoreStatus report it. */
    public long uptime() {
        return uptimeSeconds();
    }

    /** Open connections, logged in or not. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Connections that are logged in (and not logging off). */
    public int loggedInCount() {
        return (int) sessions.stream().filter(AmiSession::loggedIn).count();
    }

    /**
     * Sources of {@code CoreStatus}'s {@code CoreCurrentCalls} and {@code CoreProcessedCalls}; both report 0 until
     * set. Called on the event loop: they must be cheap and must not block.
     */
    public void setCallCounters(IntSupplier currentCalls, IntSupplier processedCalls) {
        this.currentCalls = Objects.requireNonNull(currentCalls, "currentCalls");
        this.processedCalls = Objects.requireNonNull(processedCalls, "processedCalls");
    }

    /** Stops listening and drops every connection at once. Idempotent. */
    @Override
    public synchronized void close() {
        Vertx v = vertx;
        if (v == null) {
            actionExecutor.shutdownNow();
            return;
        }
        if (writeTimeoutTimer >= 0) {
            v.cancelTimer(writeTimeoutTimer);
        }
        for (AmiSession s : sessions) {
            s.drop();
        }
        NetServer s = netServer;
        if (s != null) {
            try {
                s.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("AMI server did not close cleanly: {}", e.toString());
            }
        }
        closeVertx();
        actionExecutor.shutdownNow();
        log.info("AMI server closed");
    }

    // ---- for AmiSession ----

    AmiServerConfig config() {
        return config;
    }

    AmiActionHandler handler() {
        return handler;
    }

    ExecutorService actionExecutor() {
        return actionExecutor;
    }

    Vertx vertx() {
        return vertx;
    }

    Clock clock() {
        return config.clock();
    }

    AmiSecurityEvents securityEvents() {
        return securityEvents;
    }

    boolean fullyBooted() {
        return fullyBooted;
    }

    void underPublishLock(Runnable r) {
        synchronized (publishLock) {
            r.run();
        }
    }

    void sessionClosed(AmiSession session) {
        sessions.remove(session);
    }

    /** {@code <epoch seconds>.<microseconds, 6 digits>}, as in {@code Timestamp:}. */
    String timestamp() {
        Instant now = config.clock().instant();
        String micros = Integer.toString(now.getNano() / 1000);
        return now.getEpochSecond() + "." + "000000".substring(micros.length()) + micros;
    }

    /** The FullyBooted a session gets right after logging in: no Timestamp, Status last. */
    AmiMessage fullyBootedOnLogin() {
        long up = uptimeSeconds();
        return AmiMessage.builder()
                .add("Event", "FullyBooted")
                .add("Privilege", "system,all")
                .add("Uptime", Long.toString(up))
                .add("LastReload", Long.toString(up))
                .add("Status", "Fully Booted")
                .build();
    }

    AmiMessage coreSettings() {
        return AmiMessage.builder()
                .add("Response", "Success")
                .add("AMIversion", AMI_VERSION)
                .add("AsteriskVersion", config.asteriskVersion())
                .add("SystemName", "")
                .add("CoreMaxCalls", "0")
                .add("CoreMaxLoadAvg", "0.000000")
                .add("CoreRunUser", "")
                .add("CoreRunGroup", "")
                .add("CoreMaxFilehandles", "0")
                .add("CoreRealTimeEnabled", "No")
                .add("CoreCDRenabled", "No")
                .add("CoreHTTPenabled", "No")
                .add("SoundsSearchCustomDir", "No")
                .build();
    }

    AmiMessage coreStatus() {
        ZonedDateTime started = startedAt.atZone(config.clock().getZone());
        return AmiMessage.builder()
                .add("Response", "Success")
                .add("CoreStartupDate", DATE.format(started))
                .add("CoreStartupTime", TIME.format(started))
                .add("CoreReloadDate", DATE.format(started))
                .add("CoreReloadTime", TIME.format(started))
                .add("CoreCurrentCalls", Integer.toString(currentCalls.getAsInt()))
                .add("CoreProcessedCalls", Integer.toString(processedCalls.getAsInt()))
                .build();
    }

    private long uptimeSeconds() {
        return Math.max(0, Duration.between(startedAt, config.clock().instant()).getSeconds());
    }

    /**
     * Rejects a message that cannot be written as AMI: no fields, or a line break in a key or value.
     *
     * @throws IllegalArgumentException naming the offending field
     */
    static void requireWellFormed(AmiMessage m) {
        if (m.fields().isEmpty()) {
            throw new IllegalArgumentException("an AMI message needs at least one field");
        }
        for (Map.Entry<String, String> f : m.fields()) {
            if (hasLineBreak(f.getKey()) || hasLineBreak(f.getValue()) || f.getKey().isEmpty()) {
                throw new IllegalArgumentException("AMI field '" + f.getKey().replace("\r", "\\r")
                        .replace("\n", "\\n") + "' of " + m.fields().get(0).getValue()
                        + " is empty or holds a line break");
            }
        }
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }

    private static byte[] encodeEvent(AmiMessage event, String timestamp) {
        StringBuilder sb = new StringBuilder(event.fields().size() * 32 + 48);
        boolean inserted = timestamp == null;
        for (Map.Entry<String, String> f : event.fields()) {
            String key = f.getKey();
            if (key.equalsIgnoreCase("Timestamp")) {
                continue;
            }
            sb.append(key).append(": ").append(f.getValue()).append("\r\n");
            if (!inserted && key.equalsIgnoreCase("Privilege")) {
                sb.append("Timestamp: ").append(timestamp).append("\r\n");
                inserted = true;
            }
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private void checkWriteTimeouts() {
        long now = System.nanoTime();
        long limit = config.writeTimeout().toNanos();
        for (AmiSession s : sessions) {
            if (s.stalledNanos(now) >= limit) {
                s.disconnect("client did not read for " + config.writeTimeout().toMillis() + " ms (writeTimeout)");
            }
        }
    }

    private void closeVertx() {
        Vertx v = vertx;
        if (v != null) {
            try {
                v.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Vert.x of the AMI server did not close cleanly: {}", e.toString());
            }
        }
    }
}
