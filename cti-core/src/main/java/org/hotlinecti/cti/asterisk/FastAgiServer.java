package org.hotlinecti.cti.asterisk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.MappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;
import org.hotlinecti.cti.call.IvrSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI server Asterisk's dialplan calls ({@code AGI(agi://<cti>:<port>/inbound)}, {@code .../survey}), over
 * Asterisk-Java's {@link DefaultAgiServer}.
 *
 * <h2>Sessions</h2>
 * Each connection runs on its own pool thread ({@code fastagi-session-<port>-N}): the adapter reads the
 * {@code agi_*} header, asks Asterisk for the channel's Linkedid ({@code GET FULL VARIABLE ${CHANNEL(linkedid)}}),
 * then calls {@link IvrSessions#inbound} or {@link IvrSessions#survey} with a {@link org.hotlinecti.ivr.Channel}
 * for that call.
 * When the method returns or throws, Asterisk-Java sets {@code AJ_AGISTATUS} on the channel ({@code SUCCESS}, or
 * {@code NOT_FOUND} for an unknown script) and closes the socket; the dialplan goes on at its next priority.
 * A caller hanging up ends the IVR with {@link org.hotlinecti.ivr.ChannelHungUpException}, logged in one line;
 * any other exception from the IVR is logged with its stack trace. Either way the session ends normally.
 *
 * <h2>Limits</h2>
 * At most {@code maxSessions} sessions run at once. Asterisk-Java hands connections to a pool without a queue: when
 * all are busy it logs a warning and closes the new connection at once, before reading its header; Asterisk then
 * continues that call's dialplan as if the AGI had ended (the inbound caller goes to the waiting context without
 * having been through the IVR).
 */
public final class FastAgiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FastAgiServer.class);

    private static final int BACKLOG = 200;
    private static final int SESSION_IDLE_SECONDS = 60;
    /** Longest wait for one AGI reply: a prompt plus digit collection; a dead peer is noticed after this. */
    private static final int SESSION_READ_TIMEOUT_MILLIS = (int) TimeUnit.MINUTES.toMillis(30);
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final String bindAddress;
    private final int requestedPort;
    private final int maxSessions;
    private final AtomicInteger activeSessions = new AtomicInteger();
    private final Set<AgiSessionSocket> openSockets = ConcurrentHashMap.newKeySet();
    private final MappingStrategy mapping;

    private ServerSocket serverSocket;
    private ThreadPoolExecutor sessionPool;
    private SessionServer server;
    private Thread acceptThread;
    private boolean closed;

    /**
     * @param bindAddress address to listen on, e.g. {@code 0.0.0.0} or the address Asterisk reaches the CTI at
     * @param port        TCP port, 0 to let the system pick one (see {@link #port()})
     * @param maxSessions how many calls may be in the IVR at once
     * @param ivr         runs the IVR for each session
     */
    public FastAgiServer(String bindAddress, int port, int maxSessions, IvrSessions ivr) {
        this.bindAddress = AsteriskInputs.requireToken("bind address", bindAddress);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("FastAGI port must be 0..65535, got " + port);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
        }
        Objects.requireNonNull(ivr, "ivr");
        this.requestedPort = port;
        this.maxSessions = maxSessions;
        this.mapping = new IvrScriptMapping(Map.of(
                "inbound", new IvrSessionScript("inbound", ivr::inbound, activeSessions),
                "survey", new IvrSessionScript("survey", ivr::survey, activeSessions),
                "voicemail", new IvrSessionScript("voicemail", ivr::voicemail, activeSessions),
                "callback", new IvrSessionScript("callback", ivr::callback, activeSessions)));
    }

    /**
     * Binds the port and starts accepting sessions on a background thread.
     *
     * @throws IOException           if the address cannot be resolved or the port cannot be bound (message names both)
     * @throws IllegalStateException if already started or closed
     */
    public synchronized void start() throws IOException {
        if (server != null || closed) {
            throw new IllegalStateException("FastAGI server already " + (closed ? "closed" : "started"));
        }
        InetAddress address = InetAddress.getByName(bindAddress);
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, requestedPort), BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen for FastAGI on " + bindAddress + ":" + requestedPort + ": "
                    + e.getMessage(), e);
        }
        serverSocket = socket;
        sessionPool = new ThreadPoolExecutor(0, maxSessions, SESSION_IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), NamedDaemonThreadFactory.numbered("fastagi-session-" + socket.getLocalPort()),
                (task, pool) -> {
                    log.warn("FastAGI session refused: all {} sessions busy; Asterisk continues that call's dialplan "
                            + "without the IVR", maxSessions);
                    throw new RejectedExecutionException("FastAGI session limit " + maxSessions + " reached");
                });
        server = new SessionServer(mapping, new AgiServerSocket(socket, openSockets, SESSION_READ_TIMEOUT_MILLIS),
                sessionPool);
        // Only for Asterisk-Java's own "Listening on ..." log line.
        server.setAddress(address);
        server.setPort(socket.getLocalPort());
        acceptThread = new Thread(this::acceptLoop, "fastagi-accept-" + socket.getLocalPort());
        acceptThread.setDaemon(true);
        acceptThread.start();
        log.info("FastAGI listening on {}:{} (at most {} sessions)", bindAddress, socket.getLocalPort(), maxSessions);
    }

    private void acceptLoop() {
        try {
            server.startup();
        } catch (IOException | RuntimeException e) {
            log.error("FastAGI accept loop on port {} stopped", port(), e);
        }
    }

    /** The port bound by {@link #start()} (the picked one when 0 was asked for). */
    public synchronized int port() {
        if (serverSocket == null) {
            throw new IllegalStateException("FastAGI server not started");
        }
        return serverSocket.getLocalPort();
    }

    /** How many sessions are inside the IVR right now. */
    public int activeSessions() {
        return activeSessions.get();
    }

    /**
     * Stops accepting, closes the sockets of sessions still running (their IVR sees the caller gone) and waits briefly
     * for their threads. Idempotent.
     */
    @Override
    public void close() {
        SessionServer running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = server;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            // Asterisk-Java closes only a socket its accept thread has already picked up; this one may not have yet.
            serverSocket.close();
        } catch (IOException e) {
            log.debug("Closing FastAGI server socket: {}", e.toString());
        }
        sessionPool.shutdown();
        for (AgiSessionSocket socket : openSockets) {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("Closing FastAGI session socket: {}", e.toString());
            }
        }
        try {
            if (!sessionPool.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("{} FastAGI sessions still running after close", activeSessions.get());
            }
            acceptThread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("FastAGI server on port {} closed", serverSocket.getLocalPort());
    }

    /** Asterisk-Java's server with our bound socket and our bounded pool. */
    private static final class SessionServer extends DefaultAgiServer {

        private final ServerSocketFacade socket;
        private final ThreadPoolExecutor pool;

        SessionServer(MappingStrategy mapping, ServerSocketFacade socket, ThreadPoolExecutor pool) {
            super(mapping);
            this.socket = socket;
            this.pool = pool;
        }

        @Override
        protected ServerSocketFacade createServerSocket() {
            return socket;
        }

        @Override
        protected ThreadPoolExecutor createPool() {
            return pool;
        }
    }
}
