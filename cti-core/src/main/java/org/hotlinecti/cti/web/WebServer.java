package org.hotlinecti.cti.web;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.BindException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hotlinecti.cti.api.AgentCommands;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.api.RoutingViews;
import org.hotlinecti.cti.api.StatusSource;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI's HTTP server: the REST API under {@code /api}, the WebSockets of agent desktops ({@code /ws/agents/{id}})
 * and monitors ({@code /ws/monitor}), and the static pages from {@code classpath:web/} ({@code /} is the live
 * monitor page). It is also the {@link DesktopGateway} through which the call model pushes live updates.
 *
 * <p>Threading: HTTP and WebSocket handlers run on Vert.x event loops and never block. {@link TicketStore} calls run
 * on the blocking executor given here. {@link AgentCommands} and {@link StatusSource} are called on the event loop and
 * must return without blocking (their stages may complete on any thread). The {@link DesktopGateway} methods may be
 * called from any thread; they encode the message on the calling thread, queue it to each receiving connection's event
 * loop and return; they never throw. A WebSocket client that stops reading is disconnected once
 * {@value DesktopConnection#MAX_QUEUED_BYTES} bytes are waiting for it.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()}. The Vert.x instance belongs to the caller and stays open.
 */
public final class WebServer implements DesktopGateway, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    /** Largest WebSocket message a desktop may send: a full form fits (see {@link RestApi#MAX_BODY_BYTES}). */
    static final int MAX_WEBSOCKET_MESSAGE_BYTES = (int) RestApi.MAX_BODY_BYTES;
    private static final long START_STOP_TIMEOUT_SECONDS = 10;
    private static final String MONITOR_PATH = "/ws/monitor";
    private static final String DESKTOP_PATH = "/ws/agents/";
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'";

    private final Vertx vertx;
    private final String host;
    private final int requestedPort;
    private final DesktopHub hub;
    private final DesktopSockets sockets;
    private final RestApi api;
    private volatile HttpServer server;
    private volatile int boundPort = -1;

    /**
     * @param vertx            the Vert.x instance to run on (not closed by this server)
     * @param host             the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port             the port to bind; 0 picks a free one (see {@link #port()})
     * @param agents           what desktops and the API ask of the agents
     * @param tickets          where tickets are read; called on {@code blockingExecutor} only
     * @param status           answers {@code GET /api/status}
     * @param blockingExecutor runs the blocking ticket store calls
     */
    public WebServer(Vertx vertx, String host, int port, AgentCommands agents, TicketStore tickets,
            StatusSource status, Executor blockingExecutor) {
        this(vertx, host, port, agents, tickets, status, null, blockingExecutor);
    }

    /**
     * As above, with routing views: {@code routing} answers {@code GET /api/queues} (wallboard) and
     * {@code GET /api/callbacks} (null: those paths answer 404).
     */
    public WebServer(Vertx vertx, String host, int port, AgentCommands agents, TicketStore tickets,
            StatusSource status, RoutingViews routing, Executor blockingExecutor) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        this.requestedPort = port;
        JsonCodec json = new JsonCodec();
        DesktopMessages messages = new DesktopMessages(json);
        this.hub = new DesktopHub(messages);
        this.sockets = new DesktopSockets(hub, messages, json, Objects.requireNonNull(agents, "agents"));
        this.api = new RestApi(json, agents, Objects.requireNonNull(tickets, "tickets"),
                Objects.requireNonNull(status, "status"), routing,
                Objects.requireNonNull(blockingExecutor, "blockingExecutor"));
    }

    /** Enables {@code POST /api/ivr/reload} (live reload of the IVR files); without it the endpoint answers 404. */
    public void ivrAdmin(IvrAdmin admin) {
        api.ivrAdmin(Objects.requireNonNull(admin, "admin"));
    }

    /**
     * Binds and starts serving; returns once the server listens.
     *
     * @throws IllegalStateException if the address cannot be bound (the message says why, e.g. the port is taken),
     *                               if already started, or if called on an event loop (it blocks)
     */
    public void start() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("WebServer.start() blocks; do not call it on an event loop");
        }
        if (server != null) {
            throw new IllegalStateException("WebServer already started on " + baseUrl());
        }
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(requestedPort)
                .setMaxWebSocketFrameSize(MAX_WEBSOCKET_MESSAGE_BYTES)
                .setMaxWebSocketMessageSize(MAX_WEBSOCKET_MESSAGE_BYTES);
        // Upgrades are handled by Vert.x core rather than the router: the router wraps the socket, and a socket that
        // stops reading can then no longer be dropped (see DesktopConnection).
        HttpServer created = vertx.createHttpServer(options)
                .requestHandler(router())
                .webSocketHandshakeHandler(this::handshake)
                .webSocketHandler(this::onWebSocket);
        try {
            created.listen().toCompletionStage().toCompletableFuture()
                    .get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            created.close();
            Throwable cause = e.getCause();
            String why = cause instanceof BindException ? "address already in use or not available ("
                    + cause.getMessage() + ")" : String.valueOf(cause);
            throw new IllegalStateException("Cannot listen on " + host + ":" + requestedPort + ": " + why, cause);
        } catch (TimeoutException e) {
            created.close();
            throw new IllegalStateException("Cannot listen on " + host + ":" + requestedPort
                    + ": not listening after " + START_STOP_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            created.close();
            throw new IllegalStateException("Interrupted while starting the web server", e);
        }
        server = created;
        boundPort = created.actualPort();
        LOG.info("Web server listening on {}", baseUrl());
    }

    /**
     * The port listened on (the picked one when constructed with 0).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        int port = boundPort;
        if (port < 0) {
            throw new IllegalStateException("WebServer not started");
        }
        return port;
    }

    /** E.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shownHost + ":" + port();
    }

    /** Stops listening and drops every connection; blocks until done (at most a few seconds). */
    @Override
    public void close() {
        HttpServer s = server;
        if (s == null) {
            return;
        }
        server = null;
        try {
            s.close().toCompletionStage().toCompletableFuture().get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Web server did not close cleanly", e);
        }
    }

    @Override
    public void screenPop(ScreenPop pop) {
        hub.screenPop(pop);
    }

    @Override
    public void agentChanged(AgentView agent) {
        hub.agentChanged(agent);
    }

    @Override
    public void ticketSaved(Ticket ticket) {
        hub.ticketSaved(ticket);
    }

    /** Open WebSocket connections (desktops and monitors). */
    int webSocketCount() {
        return hub.connectionCount();
    }

    private Router router() {
        Router router = Router.router(vertx);
        api.mount(router);
        // WebSocket upgrades never reach the router (see start()); a plain request for an endpoint does.
        router.get("/ws/*").handler(rc -> api.sendError(rc, 400,
                "this is a WebSocket endpoint: connect with a WebSocket client"));
        router.get("/*").handler(rc -> {
            rc.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff");
            rc.next();
        });
        router.get("/*").handler(StaticHandler.create("web"));
        api.mountErrorHandlers(router);
        return router;
    }

    /** Accepts the upgrade for the two endpoints, 404 for any other path. */
    private void handshake(ServerWebSocketHandshake handshake) {
        if (endpoint(handshake.path()).isPresent()) {
            handshake.accept();
        } else {
            handshake.reject(404);
        }
    }

    private void onWebSocket(ServerWebSocket socket) {
        Context context = vertx.getOrCreateContext();
        Optional<String> endpoint = endpoint(socket.path());
        if (endpoint.isEmpty()) {
            socket.close((short) 1008, "no such endpoint");
        } else if (endpoint.get().isEmpty()) {
            sockets.openMonitor(socket, context);
        } else {
            sockets.openAgentDesktop(endpoint.get(), socket, context);
        }
    }

    /** "" for the monitor, the agent id for a desktop, empty for any other path. */
    private static Optional<String> endpoint(String path) {
        if (MONITOR_PATH.equals(path)) {
            return Optional.of("");
        }
        if (path == null || !path.startsWith(DESKTOP_PATH) || path.length() == DESKTOP_PATH.length()) {
            return Optional.empty();
        }
        String segment = path.substring(DESKTOP_PATH.length());
        if (segment.contains("/")) {
            return Optional.empty();
        }
        try {
            // Percent-decoding only: a '+' in a path is a plus.
            return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
