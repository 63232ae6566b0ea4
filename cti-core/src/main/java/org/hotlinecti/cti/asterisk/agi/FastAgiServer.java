package org.hotlinecti.cti.asterisk.agi;

import org.hotlinecti.cti.api.AgiStatus;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.hotlinecti.cti.call.AgiCall;
import org.hotlinecti.cti.call.IvrSessions;
import org.hotlinecti.ivr.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI server Asterisk's dialplan calls ({@code AGI(agi://<cti>:<port>/inbound)}, {@code .../survey}), on
 * Vert.x {@link NetServer}s (one per event loop, sharing the port): no thread per session and no pool sized for
 * sessions; a caller in the IVR costs a socket and a few objects, so thousands of concurrent sessions cost only
 * memory. Each session stays on the event loop that accepted it.
 *
 * <h2>Sessions</h2>
 * The server reads the {@code agi_*} header, asks Asterisk for the Linkedid ({@code GET FULL VARIABLE
 * ${CHANNEL(linkedid)}}), then calls {@link IvrSessions#inbound} or {@link IvrSessions#survey} with a {@link Channel}
 * whose stages complete on the connection's event loop. When the returned stage completes (normally or not) the
 * socket is closed and the dialplan goes on at its next priority. A caller hanging up ends the IVR with
 * {@link org.hotlinecti.ivr.ChannelHungUpException}, logged in one line; any other IVR failure is logged with its
 * stack trace.
 *
 * <h2>Defined answers</h2>
 * <ul>
 * <li><b>Full</b> ({@link FastAgiSettings#maxSessions()} callers in the IVR): the session gets
 * {@code SET VARIABLE CTI_AGI_STATUS BUSY}, a {@code VERBOSE} line on the Asterisk console, and is closed; the dialplan
 * continues at its next priority (the shipped dialplan: to the waiting context, so the caller is not cut off), a
 * warning is logged and {@link AgiStatus#busyRefusals()} counts it.</li>
 * <li><b>Unknown script</b>: {@code SET VARIABLE CTI_AGI_STATUS NOT_FOUND}, a {@code VERBOSE} line naming the known
 * scripts, close; an error is logged, {@link AgiStatus#unknownScripts()} counts it.</li>
 * <li><b>Refused peer</b> (not in {@link FastAgiSettings#allowedPeers()}): the connection is closed before anything
 * is read, a warning names the peer, {@link AgiStatus#refusedPeers()} counts it.</li>
 * <li><b>Not FastAGI</b> (over-long line, garbage, no header): logged and closed;
 * {@link AgiStatus#protocolErrors()}.</li>
 * </ul>
 *
 * <h2>Long calls</h2>
 * Once the header is in there is no idle or read timeout: a caller may sit in a voicemail recording or a long prompt
 * for many minutes. (A peer that sends no header within 30 s is not Asterisk and is closed as a protocol error.)
 * Dead peers are noticed by TCP keep-alive (enabled on every session; the interval is the operating system's,
 * {@code net.ipv4.tcp_keepalive_time}) and by Asterisk closing the socket, which it does when the channel goes away.
 */
public final class FastAgiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FastAgiServer.class);

    private static final int BACKLOG = 1024;
    private static final long START_STOP_SECONDS = 10;
    /** Vert.x's own default number of event loops: sessions spread over all cores. */
    private static final int EVENT_LOOPS = 2 * Runtime.getRuntime().availableProcessors();
    private static final AtomicInteger NEXT_SHARED_RANDOM_PORT = new AtomicInteger(-1);

    private final Vertx vertx;
    private final FastAgiSettings settings;
    private final PeerAllowList allowList;
    private final SessionCounters counters;
    private final Map<String, BiFunction<Channel, AgiCall, CompletionStage<Void>>> scripts;
    private final Set<AgiSession> sessions = ConcurrentHashMap.newKeySet();

    private final List<NetServer> servers = new ArrayList<>();
    private String deployment;
    private volatile boolean listening;
    private boolean closed;

    /**
     * @param vertx    the Vert.x instance whose event loops run the sessions (not closed by this server)
     * @param settings where to listen, capacity, allowed peers
     * @param ivr      runs the IVR for each session
     */
    public FastAgiServer(Vertx vertx, FastAgiSettings settings, IvrSessions ivr) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(ivr, "ivr");
        this.allowList = PeerAllowList.parse(settings.allowedPeers());
        this.counters = new SessionCounters(settings.maxSessions());
        Map<String, BiFunction<Channel, AgiCall, CompletionStage<Void>>> byName = new LinkedHashMap<>();
        byName.put("inbound", ivr::inbound);
        byName.put("survey", ivr::survey);
        byName.put("voicemail", ivr::voicemail);
        byName.put("callback", ivr::callback);
        this.scripts = java.util.Collections.unmodifiableMap(byName);
    }

    /**
     * Binds the port and starts accepting sessions, with one listener per event loop.
     *
     * @throws IOException           if the address cannot be bound (the message names address and port)
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void start() throws IOException {
        if (!servers.isEmpty() || closed) {
            throw new IllegalStateException("FastAGI server already " + (closed ? "closed" : "started"));
        }
        // Listeners on the same address and port share one socket in Vert.x, which hands new connections round-robin
        // to their event loops. A negative port means "a random port shared by the servers using this number":
        // each FastAgiServer takes its own number, so two of them never share by accident.
        int port = settings.port() == 0 ? NEXT_SHARED_RANDOM_PORT.getAndDecrement() : settings.port();
        NetServerOptions options = new NetServerOptions()
                .setHost(settings.bind())
                .setPort(port)
                .setAcceptBacklog(BACKLOG)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                .setIdleTimeout(0)
                .setReuseAddress(true);
        // One verticle instance per event loop: since Vert.x 4.5 every listen() from the same outside thread shares
        // that thread's one context, so a loop of listen() calls would put every session on a single event loop.
        List<NetServer> started = Collections.synchronizedList(new ArrayList<>());
        try {
            deployment = vertx.deployVerticle(() -> new Listener(options, started),
                            new DeploymentOptions().setInstances(EVENT_LOOPS))
                    .toCompletionStage().toCompletableFuture().get(START_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot listen for FastAGI on " + settings.bind() + ":" + settings.port() + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding FastAGI on " + settings.bind() + ":" + settings.port());
        }
        servers.addAll(started);
        port = servers.get(0).actualPort();
        listening = true;
        log.info("FastAGI listening on {}:{} (at most {} sessions, {} event loops; peers {})", settings.bind(), port,
                settings.maxSessions(), EVENT_LOOPS, allowList);
    }

    /** Accepts on the event loop of its own context; Vert.x closes its server when the deployment is undeployed. */
    private final class Listener extends VerticleBase {
        private final NetServerOptions options;
        private final List<NetServer> started;

        Listener(NetServerOptions options, List<NetServer> started) {
            this.options = options;
            this.started = started;
        }

        @Override
        public Future<?> start() {
            NetServer server = vertx.createNetServer(options).connectHandler(FastAgiServer.this::accept);
            return server.listen().onSuccess(started::add);
        }
    }

    private void accept(NetSocket socket) {
        String address = socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
        if (!allowList.allows(address)) {
            counters.refusedPeers.increment();
            log.warn("FastAGI connection from {} refused: not in agi.allowed_peers {}", address, allowList);
            socket.close();
            return;
        }
        Context context = Vertx.currentContext();
        AgiSession session = new AgiSession(socket, context, scripts, counters, sessions::remove);
        sessions.add(session);
        if (closed) {
            session.close();
            return;
        }
        session.start();
    }

    /** The port bound by {@link #start()} (the picked one when 0 was asked for). */
    public synchronized int port() {
        if (servers.isEmpty()) {
            throw new IllegalStateException("FastAGI server not started");
        }
        return servers.get(0).actualPort();
    }

    /** How many callers are inside the IVR right now. */
    public int activeSessions() {
        return counters.active();
    }

    /** Counters and capacity for health checks; cheap, callable from any thread. */
    public AgiStatus health() {
        return counters.snapshot(listening);
    }

    /**
     * Stops accepting and closes the sessions still open: their IVR sees the caller gone and Asterisk continues those
     * calls' dialplan. Idempotent.
     */
    @Override
    public void close() {
        int port;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            listening = false;
            if (servers.isEmpty()) {
                return;
            }
            port = servers.get(0).actualPort();
        }
        closeServers();
        List.copyOf(sessions).forEach(AgiSession::closeFromAnyThread);
        log.info("FastAGI server on port {} closed", port);
    }

    private synchronized void closeServers() {
        if (deployment == null) {
            return;
        }
        try {
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(START_STOP_SECONDS,
                    TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("FastAGI server socket did not close cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deployment = null;
        servers.clear();
    }
}
