package org.hotlinecti.cti.asterisk.ami;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.hotlinecti.cti.asterisk.AmiConnectException;
import org.hotlinecti.cti.asterisk.AmiLoginRefusedException;
import org.hotlinecti.cti.call.PbxActionException;
import org.hotlinecti.cti.call.PbxActionException.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP session with AMI, confined to one Vert.x event loop: banner, login (MD5 challenge or plain), CoreSettings,
 * then events and actions with ActionID correlation, per-action timeouts and keep-alive pings.
 *
 * <p>Everything in here runs on the event loop and never blocks. Events and the completions of callers' actions go
 * through the {@link AmiEventHandoff} to the consumer thread; the login steps and the pings are handled on the event
 * loop itself, so a slow consumer can never make a healthy connection look dead.
 */
final class AmiConnection {

    private static final Logger log = LoggerFactory.getLogger(AmiConnection.class);

    private enum State { CONNECTING, BANNER, LOGGING_IN, READY, CLOSED }

    /** An action waiting for its response. */
    private static final class Pending {
        final String name;
        final boolean list;
        /** For the connection's own actions (login, ping): run on the event loop. */
        final Consumer<AmiMessage> internalSuccess;
        final Consumer<String> internalFailure;
        /** For callers' actions: completed through the hand-off, in order with events. */
        final CompletableFuture<Object> external;
        long timer = -1;
        AmiMessage listStart;
        List<AmiMessage> items;

        Pending(String name, boolean list, Consumer<AmiMessage> internalSuccess, Consumer<String> internalFailure,
                CompletableFuture<Object> external) {
            this.name = name;
            this.list = list;
            this.internalSuccess = internalSuccess;
            this.internalFailure = internalFailure;
            this.external = external;
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final AmiClientOptions options;
    private final AmiEventHandoff handoff;
    private final AmiListener listener;
    private final AtomicLong eventCounter;
    private final Consumer<AmiConnection> onClosed;
    private final String idPrefix;
    private final AmiDecoder decoder;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Promise<String> opened = Promise.promise();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private State state = State.CONNECTING;
    private NetSocket socket;
    private long nextId;
    private long loginTimer = -1;
    private long pingTimer = -1;
    private boolean pingOutstanding;
    private List<AmiMessage> heldDuringLogin = new ArrayList<>();
    private String asteriskVersion = "";
    private String closeReason;
    /** Why a session that had logged in ended; set when the socket closed. */
    private volatile String endReason;
    private boolean closeRequested;
    /** Logoff sent: Asterisk's Goodbye and its closing the socket are expected. */
    private boolean loggingOff;
    private volatile boolean ready;

    AmiConnection(Vertx vertx, Context context, AmiClientOptions options, AmiEventHandoff handoff,
            AmiListener listener, AtomicLong eventCounter, long number, Consumer<AmiConnection> onClosed) {
        this.vertx = vertx;
        this.context = context;
        this.options = options;
        this.handoff = handoff;
        this.listener = listener;
        this.eventCounter = eventCounter;
        this.onClosed = onClosed;
        this.idPrefix = "cti-" + number + "-";
        this.decoder = new AmiDecoder(new AmiDecoder.Sink() {
            @Override
            public void banner(String banner) {
                onBanner(banner);
            }

            @Override
            public void message(AmiMessage message) {
                onMessage(message);
            }

            @Override
            public void malformed(String problem, String actionId) {
                onMalformed(problem, actionId);
            }
        });
    }

    /** Connects and logs in (call on the event loop); completes with the Asterisk version, or fails with {@link AmiConnectException}. */
    Future<String> open(NetClient client) {
        long timeout = options.connectTimeout().toMillis();
        loginTimer = vertx.setTimer(timeout, id -> {
            loginTimer = -1;
            String why = switch (state) {
                case CONNECTING -> "cannot reach AMI at " + options.address() + ": connect timed out after " + timeout
                        + " ms";
                case BANNER -> "AMI at " + options.address() + " sent no 'Asterisk Call Manager' banner within "
                        + timeout + " ms (is it an AMI port?)";
                default -> "AMI login to " + options.address() + " as '" + options.username()
                        + "' got no answer within " + timeout + " ms";
            };
            opened.tryFail(new AmiConnectException(why, null));
            close(why, false);
        });
        client.connect(options.port(), options.host()).onComplete(ar -> {
            if (ar.failed()) {
                cancelLoginTimer();
                state = State.CLOSED;
                opened.tryFail(new AmiConnectException("cannot reach AMI at " + options.address() + ": "
                        + describeConnectFailure(ar.cause()), ar.cause()));
                ended.complete(null);
                onClosed.accept(this);
                return;
            }
            socket = ar.result();
            if (state == State.CLOSED) {
                socket.close();
                ended.complete(null);
                onClosed.accept(this);
                return;
            }
            state = State.BANNER;
            socket.handler(this::onData);
            socket.closeHandler(v -> onSocketClosed());
            socket.exceptionHandler(e -> log.debug("AMI {}: {}", options.address(), e.toString()));
        });
        return opened.future();
    }

    /** Completes once the socket is closed (or was never opened). */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** Why this logged-in session ended, or null (still open, or it never logged in). */
    String endReason() {
        return endReason;
    }

    boolean isReady() {
        return ready;
    }

    String asteriskVersion() {
        return asteriskVersion;
    }

    // ------------------------------------------------------------------ reading

    private void onData(Buffer data) {
        if (closeReason != null) {
            // closing (dead, overflowed, logged off): what still arrives is not delivered, the resync covers it
            return;
        }
        byte[] bytes = data.getBytes();
        handoff.beginBatch();
        try {
            decoder.feed(bytes, 0, bytes.length);
        } finally {
            handoff.endBatch();
        }
    }

    private void onBanner(String banner) {
        if (state != State.BANNER) {
            return;
        }
        state = State.LOGGING_IN;
        log.debug("AMI {} says '{}'", options.address(), banner);
        if (options.md5Login()) {
            internal(AmiAction.named("Challenge").add("AuthType", "MD5"), options.connectTimeout(),
                    response -> {
                        if (!isSuccess(response) || response.get("Challenge") == null) {
                            loginRefused(response.getOrEmpty("Message"));
                            return;
                        }
                        login(AmiAction.named("Login").add("Username", options.username()).add("AuthType", "MD5")
                                .add("Key", md5Hex(response.get("Challenge") + options.secret()))
                                .add("Events", "on"));
                    }, this::loginFailed);
        } else {
            login(AmiAction.named("Login").add("Username", options.username()).add("Secret", options.secret())
                    .add("Events", "on"));
        }
    }

    private void login(AmiAction login) {
        internal(login, options.connectTimeout(), response -> {
            if (!isSuccess(response)) {
                loginRefused(response.getOrEmpty("Message"));
                return;
            }
            // CoreSettings names the Asterisk version; a user without the right class gets an error: version unknown
            internal(AmiAction.named("CoreSettings"), options.connectTimeout(), settings -> {
                if (isSuccess(settings)) {
                    asteriskVersion = settings.getOrEmpty("AsteriskVersion");
                }
                becomeReady();
            }, why -> becomeReady());
        }, this::loginFailed);
    }

    /** Asterisk answered the login with an error: wrong user or secret, or address not permitted. */
    private void loginRefused(String why) {
        String message = loginFailure(why);
        opened.tryFail(new AmiLoginRefusedException(message));
        close(message, false);
    }

    /** The login got no answer (timeout, connection lost): an outage, not a refusal. */
    private void loginFailed(String why) {
        String message = loginFailure(why);
        opened.tryFail(new AmiConnectException(message, null));
        close(message, false);
    }

    private String loginFailure(String why) {
        return "AMI login to " + options.address() + " as '" + options.username() + "' failed: "
                + (why == null || why.isEmpty() ? "no reason given" : why);
    }

    private void becomeReady() {
        if (state != State.LOGGING_IN) {
            return;
        }
        cancelLoginTimer();
        state = State.READY;
        ready = true;
        String version = asteriskVersion;
        handoff.offer(() -> listener.connected(version));
        List<AmiMessage> held = heldDuringLogin;
        heldDuringLogin = null;
        for (AmiMessage event : held) {
            deliver(event);
        }
        long interval = options.pingInterval().toMillis();
        pingTimer = vertx.setPeriodic(interval, interval, id -> ping());
        opened.tryComplete(version);
    }

    private void onMessage(AmiMessage message) {
        if (message.isEvent()) {
            String actionId = message.actionId();
            if (actionId != null) {
                Pending p = pending.get(actionId);
                if (p != null && p.list) {
                    listItem(actionId, p, message);
                    return;
                }
            }
            // written by this event loop only; read elsewhere for figures
            eventCounter.setRelease(eventCounter.getPlain() + 1);
            if (state == State.READY) {
                deliver(message);
            } else if (state == State.LOGGING_IN) {
                heldDuringLogin.add(message);
            }
            return;
        }
        String actionId = message.actionId();
        Pending p = actionId == null ? null : pending.get(actionId);
        if (p == null) {
            log.debug("AMI {}: response to no pending action (late or foreign): {}", options.address(),
                    message.getOrEmpty("Message"));
            return;
        }
        if (p.list && isSuccess(message)) {
            p.listStart = message;
            p.items = new ArrayList<>();
            if (!"start".equalsIgnoreCase(message.getOrEmpty("EventList"))) {
                // a list action answered without a list: nothing follows
                finish(actionId, p, new AmiListResponse(message, List.of(), message));
            }
            return;
        }
        finish(actionId, p, message);
    }

    private void listItem(String actionId, Pending p, AmiMessage item) {
        if ("Complete".equalsIgnoreCase(item.getOrEmpty("EventList"))) {
            AmiMessage start = p.listStart != null ? p.listStart : item;
            finish(actionId, p, new AmiListResponse(start, p.items == null ? List.of() : p.items, item));
        } else {
            if (p.items == null) {
                p.items = new ArrayList<>();
            }
            p.items.add(item);
        }
    }

    private void onMalformed(String problem, String actionId) {
        log.warn("AMI {} sent a malformed packet ({}); skipped", options.address(), problem);
        Pending p = actionId == null ? null : pending.get(actionId);
        if (p != null) {
            fail(actionId, p, Outcome.UNKNOWN, "malformed response: " + problem);
        }
    }

    private void deliver(AmiMessage event) {
        if (closeReason != null) {
            return;
        }
        if (!handoff.offerEvent(event)) {
            // never drop silently: the stream is now incomplete, so the session is restarted and resynchronised
            log.error("AMI {}: event backlog over its capacity of {} (consumer stalled?); dropping the connection "
                    + "to resynchronise", options.address(), options.backlogCapacity());
            close("event backlog over capacity " + options.backlogCapacity(), false);
        }
    }

    // ------------------------------------------------------------------ actions

    /** Sends a caller's action (any thread). The future completes on the consumer thread. */
    CompletableFuture<Object> send(AmiAction action, Duration timeout, boolean list) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            if (state != State.READY) {
                result.completeExceptionally(new PbxActionException(action.name(), Outcome.NOT_SENT,
                        "AMI not connected"));
                return;
            }
            write(action, timeout, new Pending(action.name(), list, null, null, result));
        });
        return result;
    }

    private void internal(AmiAction action, Duration timeout, Consumer<AmiMessage> success,
            Consumer<String> failure) {
        write(action, timeout, new Pending(action.name(), false, success, failure, null));
    }

    private void write(AmiAction action, Duration timeout, Pending p) {
        String actionId = idPrefix + (++nextId);
        byte[] bytes;
        try {
            bytes = action.encode(actionId);
        } catch (RuntimeException e) {
            complete(p, null, new PbxActionException(p.name, Outcome.NOT_SENT, e.getMessage(), e));
            return;
        }
        pending.put(actionId, p);
        long millis = timeout.toMillis();
        p.timer = vertx.setTimer(millis, id -> {
            p.timer = -1;
            fail(actionId, p, Outcome.UNKNOWN, "no response within " + millis + " ms");
        });
        socket.write(Buffer.buffer(bytes)).onFailure(e -> fail(actionId, p, Outcome.NOT_SENT,
                "cannot write to AMI: " + e.getMessage()));
    }

    private void finish(String actionId, Pending p, Object response) {
        if (pending.remove(actionId) != p) {
            return;
        }
        cancel(p);
        AmiMessage head = response instanceof AmiListResponse l ? l.response() : (AmiMessage) response;
        if (!isSuccess(head) && !"Goodbye".equalsIgnoreCase(head.getOrEmpty("Response"))) {
            String message = head.getOrEmpty("Message");
            complete(p, null, new PbxActionException(p.name, Outcome.REFUSED,
                    message.isEmpty() ? "refused" : message));
            return;
        }
        complete(p, response, null);
    }

    private void fail(String actionId, Pending p, Outcome outcome, String why) {
        if (pending.remove(actionId) != p) {
            return;
        }
        cancel(p);
        complete(p, null, new PbxActionException(p.name, outcome, why));
    }

    private void cancel(Pending p) {
        if (p.timer >= 0) {
            vertx.cancelTimer(p.timer);
            p.timer = -1;
        }
    }

    private void complete(Pending p, Object response, PbxActionException failure) {
        if (p.external == null) {
            if (failure == null) {
                p.internalSuccess.accept((AmiMessage) response);
            } else if (failure.outcome() == Outcome.REFUSED) {
                p.internalSuccess.accept(errorOf(failure));
            } else {
                p.internalFailure.accept(failure.getMessage());
            }
            return;
        }
        Runnable completion = failure == null ? () -> p.external.complete(response)
                : () -> p.external.completeExceptionally(failure);
        if (!handoff.offerPastCapacity(completion)) {
            completion.run();
        }
    }

    /** The connection's own steps want the Error response itself. */
    private static AmiMessage errorOf(PbxActionException refused) {
        String prefix = refused.action() + ": ";
        String message = refused.getMessage().startsWith(prefix)
                ? refused.getMessage().substring(prefix.length()) : refused.getMessage();
        return AmiMessage.of("Response", "Error", "Message", message);
    }

    private void ping() {
        if (state != State.READY || pingOutstanding) {
            return;
        }
        pingOutstanding = true;
        long millis = options.pingTimeout().toMillis();
        internal(AmiAction.named("Ping"), options.pingTimeout(), pong -> pingOutstanding = false,
                why -> close("no answer to keep-alive Ping within " + millis + " ms: connection dead", false));
    }

    // ------------------------------------------------------------------ closing

    /** Closes the session (event loop). The first reason given is the one reported. */
    void close(String reason, boolean requested) {
        if (closeReason == null) {
            closeReason = reason;
            closeRequested = requested;
        }
        if (socket != null) {
            socket.close();
        } else if (state == State.CONNECTING) {
            state = State.CLOSED;
        }
    }

    /** Sends Logoff and closes once answered or after {@code wait} (event loop). */
    void logoffAndClose(Duration wait) {
        if (state != State.READY) {
            close("AMI session closed by the CTI", true);
            return;
        }
        String reason = "AMI session closed by the CTI";
        loggingOff = true;
        internal(AmiAction.named("Logoff"), wait, bye -> close(reason, true), why -> close(reason, true));
    }

    private void onSocketClosed() {
        boolean wasReady = state == State.READY;
        state = State.CLOSED;
        ready = false;
        cancelLoginTimer();
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
            pingTimer = -1;
        }
        if (closeReason == null && loggingOff) {
            closeReason = "AMI session closed by the CTI";
            closeRequested = true;
        }
        String reason = closeReason != null ? closeReason : "AMI connection to " + options.address() + " lost";
        if (wasReady) {
            endReason = reason;
        }
        for (Map.Entry<String, Pending> e : List.copyOf(pending.entrySet())) {
            fail(e.getKey(), e.getValue(), Outcome.UNKNOWN, "AMI connection lost before the response");
        }
        if (wasReady) {
            boolean requested = closeRequested;
            if (!handoff.offerPastCapacity(() -> listener.disconnected(reason, requested))) {
                log.warn("AMI {}: {} (client closed, not reported)", options.address(), reason);
            }
        } else {
            opened.tryFail(new AmiConnectException(closeReason != null ? closeReason
                    : "AMI at " + options.address() + " closed the connection during login", null));
        }
        ended.complete(null);
        onClosed.accept(this);
    }

    private void cancelLoginTimer() {
        if (loginTimer >= 0) {
            vertx.cancelTimer(loginTimer);
            loginTimer = -1;
        }
    }

    private static boolean isSuccess(AmiMessage response) {
        return "Success".equalsIgnoreCase(response.getOrEmpty("Response"));
    }

    private static String describeConnectFailure(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.startsWith("Connection refused")) {
            return "Connection refused";
        }
        return m;
    }

    private static String md5Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                    s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 not available", e);
        }
    }
}
