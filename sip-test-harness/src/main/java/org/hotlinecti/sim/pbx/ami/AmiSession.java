package org.hotlinecti.sim.pbx.ami;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMI connection: its login state and masks, the actions it sent (answered one at a time, in order, as
 * Asterisk's session thread does) and its {@link AmiOutbound} queue.
 *
 * <p>Input is handled on the connection's event loop. The session-level actions (Login, Challenge, Logoff, Ping,
 * Events, CoreSettings, CoreStatus) are answered here; every other action goes to the {@link AmiActionHandler} on
 * the server's action executor, and the next action is read only once it answered.
 */
final class AmiSession {

    private static final Logger log = LoggerFactory.getLogger(AmiSession.class);

    static final String BANNER = "Asterisk Call Manager/11.0.0\r\n";
    static final int MAX_LINE_BYTES = 8 * 1024;
    static final int MAX_HEADERS = 128;
    private static final int PAUSE_INPUT_AT = 256;
    private static final int RESUME_INPUT_AT = 32;

    /** Write classes Asterisk requires for its core actions (any one of them suffices); others are not checked. */
    private static final Map<String, Integer> ACTION_AUTHORITY = Map.ofEntries(
            Map.entry("hangup", AmiPermissions.SYSTEM | AmiPermissions.CALL),
            Map.entry("status", AmiPermissions.SYSTEM | AmiPermissions.CALL | AmiPermissions.REPORTING),
            Map.entry("setvar", AmiPermissions.CALL),
            Map.entry("getvar", AmiPermissions.CALL | AmiPermissions.REPORTING),
            Map.entry("redirect", AmiPermissions.CALL),
            Map.entry("atxfer", AmiPermissions.CALL),
            Map.entry("blindtransfer", AmiPermissions.CALL),
            Map.entry("bridge", AmiPermissions.CALL),
            Map.entry("originate", AmiPermissions.maskOf(List.of("originate"))),
            Map.entry("command", AmiPermissions.maskOf(List.of("command"))),
            Map.entry("userevent", AmiPermissions.maskOf(List.of("user"))),
            Map.entry("coresettings", AmiPermissions.SYSTEM | AmiPermissions.REPORTING),
            Map.entry("corestatus", AmiPermissions.SYSTEM | AmiPermissions.REPORTING),
            Map.entry("coreshowchannels", AmiPermissions.SYSTEM | AmiPermissions.REPORTING),
            Map.entry("devicestatelist", AmiPermissions.CALL | AmiPermissions.REPORTING),
            Map.entry("mixmonitor", AmiPermissions.SYSTEM),
            Map.entry("stopmixmonitor", AmiPermissions.SYSTEM | AmiPermissions.CALL));

    private final AmiServer server;
    private final NetSocket socket;
    private final Context context;
    private final AmiOutbound out;
    private final AmiActionDecoder decoder;
    private final String sessionId;
    private final String localAddress;
    private final String remoteAddress;
    private final String peer;

    // Event loop only.
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private boolean busy;
    private boolean inputPaused;
    private boolean inputClosed;
    private String challenge;
    private long authTimer = -1;

    // Read by publishing threads.
    private volatile boolean loggedIn;
    private volatile int readMask;
    private volatile int writeMask;
    private volatile int eventMask = AmiPermissions.ALL;
    private volatile String username = "";
    private volatile Instant sessionStart;
    private final AtomicBoolean gone = new AtomicBoolean();

    AmiSession(AmiServer server, NetSocket socket, Context context) {
        this.server = server;
        this.socket = socket;
        this.context = context;
        this.out = new AmiOutbound(socket, context, server.config().maxOutboundBytes(),
                server.config().writeTimeout().toMillis(), reason -> disconnect(reason));
        this.decoder = new AmiActionDecoder(MAX_LINE_BYTES, MAX_HEADERS, new AmiActionDecoder.Listener() {
            @Override
            public void onAction(AmiMessage action) {
                inbox.add(action);
            }

            @Override
            public void onMalformed(String message, String actionId) {
                inbox.add(new Malformed(message, actionId));
            }
        });
        this.sessionId = String.format("0x7f%010x", ThreadLocalRandom.current().nextLong(1L << 40));
        this.localAddress = securityAddress(socket.localAddress());
        this.remoteAddress = securityAddress(socket.remoteAddress());
        this.peer = socket.remoteAddress().hostAddress() + ":" + socket.remoteAddress().port();
    }

    /** Event loop: greets the client and starts reading. */
    void start() {
        socket.handler(this::onData);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> log.debug("AMI session {}: {}", peer, e.toString()));
        if (!server.unresponsive()) {
            out.offer(BANNER.getBytes(StandardCharsets.US_ASCII));
        }
        authTimer = server.vertx().setTimer(server.config().authTimeout().toMillis(), id -> {
            authTimer = -1;
            if (!loggedIn && !inputClosed) {
                log.info("AMI client {} did not log in within {}; closing", peer, server.config().authTimeout());
                inputClosed = true;
                out.closeWhenFlushed();
            }
        });
    }

    String sessionId() {
        return sessionId;
    }

    String localAddress() {
        return localAddress;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    String username() {
        return username;
    }

    Instant sessionStart() {
        return sessionStart;
    }

    boolean loggedIn() {
        return loggedIn;
    }

    /** Any thread: whether an event of {@code category} goes to this session now. */
    boolean admits(int category) {
        return loggedIn && AmiPermissions.admits(readMask, eventMask, category);
    }

    /** Any thread, under the server's publish lock: queues bytes for the client. */
    void send(byte[] bytes) {
        out.offer(bytes);
    }

    long stalledNanos(long nowNanos) {
        return out.stalledNanos(nowNanos);
    }

    /** Any thread: stops events and closes once what is queued has been written (Shutdown). */
    void closeGracefully() {
        loggedIn = false;
        out.closeWhenFlushed();
    }

    /** Any thread: drops the connection now, logging why (write timeout, outbound bound). */
    void disconnect(String reason) {
        if (gone.compareAndSet(false, true)) {
            loggedIn = false;
            log.warn("AMI session {} (user '{}') disconnected: {}", peer, username, reason);
            out.abort();
        }
    }

    /** Any thread: drops the connection now because the server stops. */
    void drop() {
        if (gone.compareAndSet(false, true)) {
            loggedIn = false;
            log.debug("AMI session {} (user '{}') dropped: server closing", peer, username);
            out.abort();
        }
    }

    private void onClosed() {
        gone.set(true);
        loggedIn = false;
        if (authTimer >= 0) {
            server.vertx().cancelTimer(authTimer);
        }
        server.sessionClosed(this);
        log.debug("AMI session {} closed", peer);
    }

    private void onData(Buffer data) {
        if (inputClosed || server.unresponsive()) {
            return;
        }
        decoder.feed(data.getBytes());
        if (!inputPaused && inbox.size() >= PAUSE_INPUT_AT) {
            inputPaused = true;
            socket.pause();
        }
        processNext();
    }

    private void processNext() {
        while (!busy && !inputClosed && !inbox.isEmpty()) {
            Object next = inbox.poll();
            if (next instanceof Malformed m) {
                log.warn("AMI client {} sent a malformed action ({}); closing", peer, m.message());
                inputClosed = true;
                reply(m.actionId(), AmiReplies.error(m.message()));
                out.closeWhenFlushed();
                return;
            }
            busy = true;
            dispatch((AmiMessage) next);
        }
        if (inputPaused && inbox.size() <= RESUME_INPUT_AT) {
            inputPaused = false;
            socket.resume();
        }
    }

    /** Marks the current action answered and goes on with the next one (event loop). */
    private void done() {
        busy = false;
        processNext();
    }

    private void dispatch(AmiMessage action) {
        String name = action.getAll("Action").stream().filter(a -> !a.isEmpty()).findFirst().orElse("");
        String actionId = action.getOrEmpty("ActionID");
        if (name.isEmpty()) {
            reply(actionId, AmiReplies.error("Missing action in request"));
            server.publish(server.securityEvents().requestBadFormat(this, "NONE"));
            done();
            return;
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (!loggedIn && !key.equals("login") && !key.equals("logoff") && !key.equals("challenge")) {
            reply(actionId, AmiReplies.error("Permission denied"));
            server.publish(server.securityEvents().requestNotAllowed(this, name));
            done();
            return;
        }
        Integer authority = ACTION_AUTHORITY.get(key);
        if (authority != null && (writeMask & authority) == 0) {
            reply(actionId, AmiReplies.error("Permission denied"));
            server.publish(server.securityEvents().requestNotAllowed(this, name));
            done();
            return;
        }
        switch (key) {
            case "login" -> login(action, actionId);
            case "challenge" -> challenge(action, actionId);
            case "logoff" -> logoff(actionId);
            case "ping" -> {
                reply(actionId, AmiMessage.builder().add("Response", "Success").add("Ping", "Pong")
                        .add("Timestamp", server.timestamp()).build());
                done();
            }
            case "events" -> events(action, actionId);
            case "coresettings" -> {
                reply(actionId, server.coreSettings());
                done();
            }
            case "corestatus" -> {
                reply(actionId, server.coreStatus());
                done();
            }
            default -> delegate(action, name, actionId);
        }
    }

    private void login(AmiMessage action, String actionId) {
        if (loggedIn) {
            reply(actionId, AmiReplies.success("Already authenticated"));
            done();
            return;
        }
        String user = action.getOrEmpty("Username");
        Optional<AmiUser> account = user.isEmpty() ? Optional.empty() : server.config().user(user);
        boolean ok = false;
        if (!user.isEmpty() && account.isEmpty()) {
            server.publish(server.securityEvents().invalidAccountId(this, user));
        } else if (account.isPresent() && action.getOrEmpty("AuthType").equalsIgnoreCase("MD5")) {
            String key = action.getOrEmpty("Key");
            if (!key.isEmpty() && challenge != null) {
                String expected = md5Hex(challenge + account.get().secret());
                ok = expected.equals(key);
                if (!ok) {
                    server.publish(server.securityEvents().challengeResponseFailed(this, challenge, key, expected));
                }
            }
        } else if (account.isPresent()) {
            ok = account.get().secret().equals(action.getOrEmpty("Secret"));
            if (!ok) {
                server.publish(server.securityEvents().invalidPassword(this, user));
            }
        }
        if (!ok) {
            log.info("AMI client {} failed to authenticate as '{}'", peer, user);
            inputClosed = true;
            long delay = server.config().authFailureDelay().toMillis();
            Runnable fail = () -> {
                reply(actionId, AmiReplies.error("Authentication failed"));
                out.closeWhenFlushed();
            };
            if (delay <= 0) {
                fail.run();
            } else {
                server.vertx().setTimer(delay, id -> fail.run());
            }
            return;
        }
        AmiUser u = account.get();
        if (authTimer >= 0) {
            server.vertx().cancelTimer(authTimer);
            authTimer = -1;
        }
        server.underPublishLock(() -> {
            username = u.username();
            readMask = u.readMask();
            writeMask = u.writeMask();
            int mask = AmiPermissions.parseEventMask(action.getOrEmpty("Events"));
            if (mask != AmiPermissions.INVALID) {
                eventMask = mask;
            }
            sessionStart = server.clock().instant();
            reply(actionId, AmiReplies.success("Authentication accepted"));
            if (server.fullyBooted() && (eventMask & AmiPermissions.SYSTEM) != 0
                    && (readMask & AmiPermissions.SYSTEM) != 0) {
                send(server.fullyBootedOnLogin().toWire().getBytes(StandardCharsets.UTF_8));
            }
            loggedIn = true;
            server.publish(server.securityEvents().successfulAuth(this));
        });
        log.info("AMI user '{}' logged in from {}", u.username(), peer);
        done();
    }

    private void challenge(AmiMessage action, String actionId) {
        if (action.getOrEmpty("AuthType").equalsIgnoreCase("MD5")) {
            if (challenge == null) {
                challenge = Long.toString(ThreadLocalRandom.current().nextLong(1L << 31));
            }
            reply(actionId, AmiMessage.builder().add("Response", "Success").add("Challenge", challenge).build());
        } else {
            reply(actionId, AmiReplies.error("Must specify AuthType"));
        }
        done();
    }

    private void logoff(String actionId) {
        inputClosed = true;
        server.underPublishLock(() -> {
            loggedIn = false;
            reply(actionId, AmiMessage.builder().add("Response", "Goodbye")
                    .add("Message", "Thanks for all the fish.").build());
        });
        out.closeWhenFlushed();
        log.info("AMI user '{}' logged off from {}", username, peer);
    }

    private void events(AmiMessage action, String actionId) {
        int mask = AmiPermissions.parseEventMask(action.getOrEmpty("EventMask"));
        if (mask == AmiPermissions.INVALID) {
            reply(actionId, AmiReplies.error("Invalid event mask"));
        } else {
            server.underPublishLock(() -> {
                eventMask = mask;
                reply(actionId, AmiMessage.builder().add("Response", "Success")
                        .add("Events", mask > 0 ? "On" : "Off").build());
            });
        }
        done();
    }

    private void delegate(AmiMessage action, String name, String actionId) {
        AtomicBoolean answered = new AtomicBoolean();
        AmiActionHandler.Reply reply = new AmiActionHandler.Reply() {
            @Override
            public void send(List<AmiMessage> messages) {
                answer(messages, null);
            }

            @Override
            public void fail(Throwable error) {
                answer(null, error);
            }

            private void answer(List<AmiMessage> messages, Throwable error) {
                if (!answered.compareAndSet(false, true)) {
                    log.error("AMI action handler answered {} more than once; later answers dropped", name);
                    return;
                }
                // queued now, under the publish lock: events the handler publishes next come after it
                server.underPublishLock(() -> deliver(name, actionId, messages, error));
                context.runOnContext(v -> done());
            }
        };
        try {
            server.actionExecutor().execute(() -> {
                try {
                    server.handler().handle(action, reply);
                } catch (RuntimeException e) {
                    if (answered.get()) {
                        log.error("AMI action {} failed after its answer", name, e);
                    } else {
                        reply.fail(e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            reply.fail(new IllegalStateException("Asterisk is shutting down"));
        }
    }

    private void deliver(String name, String actionId, List<AmiMessage> replies, Throwable error) {
        if (error != null) {
            Throwable cause = unwrap(error);
            log.warn("AMI action {} from {} failed", name, peer, cause);
            String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            reply(actionId, AmiReplies.error(message));
            return;
        }
        if (replies == null || replies.isEmpty()) {
            log.error("AMI action handler returned no response to {}", name);
            reply(actionId, AmiReplies.error("Internal error: no response to " + name));
            return;
        }
        for (AmiMessage m : replies) {
            try {
                AmiServer.requireWellFormed(m);
            } catch (IllegalArgumentException e) {
                log.error("AMI action handler gave a malformed reply to {}: {}", name, e.getMessage());
                reply(actionId, AmiReplies.error("Internal error: malformed response to " + name));
                return;
            }
        }
        for (AmiMessage m : replies) {
            reply(actionId, m);
        }
        AmiMessage first = replies.get(0);
        if (first.getOrEmpty("Response").equals("Error")
                && first.getOrEmpty("Message").equals(AmiReplies.unknownActionMessage(name))) {
            server.publish(server.securityEvents().requestBadFormat(this, name));
        }
    }

    /** Writes a response, adding the action's ActionID right after its first line when it has none. */
    private void reply(String actionId, AmiMessage message) {
        AmiMessage m = message;
        if (!actionId.isEmpty() && m.get("ActionID").isEmpty() && !m.fields().isEmpty()) {
            m = m.withFieldAfter(m.fields().get(0).getKey(), "ActionID", actionId);
        }
        send(m.toWire().getBytes(StandardCharsets.UTF_8));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String md5Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                    s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 not available", e);
        }
    }

    /** {@code IPV4/TCP/127.0.0.1/5038}, as Asterisk's security events print addresses. */
    private static String securityAddress(SocketAddress a) {
        String host = a.hostAddress();
        String family = host != null && host.contains(":") ? "IPV6" : "IPV4";
        return family + "/TCP/" + host + "/" + a.port();
    }

    private record Malformed(String message, String actionId) {
    }
}
