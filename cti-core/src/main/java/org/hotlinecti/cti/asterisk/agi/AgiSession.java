package org.hotlinecti.cti.asterisk.agi;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hotlinecti.cti.call.AgiCall;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FastAGI connection, driven by the event loop it was accepted on: every field is touched only there (work from
 * other threads is handed over with {@link #onContext}), so no lock and no thread is held while the caller listens.
 *
 * <p>Life: read the header; pick the script (unknown: answer {@code NOT_FOUND}); take a place ({@code BUSY} when
 * full); ask for the Linkedid; run the IVR; when its stage completes, close the socket so the dialplan goes on.
 * Asterisk closing the socket, a protocol error or the server closing fail the command in progress with
 * {@link ChannelHungUpException}: for the IVR the caller is gone.
 */
final class AgiSession implements AgiStreamDecoder.Listener {

    private static final Logger log = LoggerFactory.getLogger(AgiSession.class);

    static final String STATUS_VARIABLE = "CTI_AGI_STATUS";
    static final String LINKEDID_COMMAND = "GET FULL VARIABLE \"${CHANNEL(linkedid)}\"";
    /** Asterisk sends the header at once; a peer that does not is not Asterisk (the only timer a session has). */
    static final long HEADER_TIMEOUT_MILLIS = 30_000;

    private final NetSocket socket;
    private final Context context;
    private final Map<String, BiFunction<Channel, AgiCall, CompletionStage<Void>>> scripts;
    private final SessionCounters counters;
    private final Consumer<AgiSession> onEnd;
    private final AgiStreamDecoder decoder = new AgiStreamDecoder(this);
    private final String peer;
    /** The event loop's thread: code already on it needs no hand-over (one thread, so no race). */
    private final Thread loop = Thread.currentThread();

    private CompletableFuture<AgiReply> pending;
    private String pendingCommand;
    private String channelName = "(no header yet)";
    private String script = "";
    private boolean holdsPlace;
    private boolean closed;

    /** Must be called on the event loop that runs {@code context} (the connection's). */
    AgiSession(NetSocket socket, Context context,
            Map<String, BiFunction<Channel, AgiCall, CompletionStage<Void>>> scripts, SessionCounters counters,
            Consumer<AgiSession> onEnd) {
        this.socket = socket;
        this.context = context;
        this.scripts = scripts;
        this.counters = counters;
        this.onEnd = onEnd;
        this.peer = socket.remoteAddress() == null ? "?" : socket.remoteAddress().toString();
    }

    void start() {
        long headerTimer = context.owner().setTimer(HEADER_TIMEOUT_MILLIS, id -> {
            if (!decoder.headerDone() && !closed) {
                protocolError("no agi_* header within " + HEADER_TIMEOUT_MILLIS + " ms");
            }
        });
        socket.handler(buffer -> {
            decoder.feed(buffer.getBytes());
            if (decoder.headerDone()) {
                context.owner().cancelTimer(headerTimer);
            }
        });
        socket.closeHandler(v -> ended("Asterisk closed the FastAGI connection"));
        socket.exceptionHandler(e -> log.debug("FastAGI connection from {} ({}): {}", peer, channelName,
                e.toString()));
    }

    String channelName() {
        return channelName;
    }

    // --- decoder events (on the event loop)

    @Override
    public void header(AgiRequest request) {
        channelName = request.channel();
        script = request.script();
        BiFunction<Channel, AgiCall, CompletionStage<Void>> entryPoint = scripts.get(script);
        if (entryPoint == null) {
            counters.unknownScripts.increment();
            log.error("FastAGI request for unknown script '{}' ({}) on {}; known: {}; answered {}=NOT_FOUND",
                    script, request.get("request"), channelName, scripts.keySet(), STATUS_VARIABLE);
            refuse("NOT_FOUND", "hotline-cti: no FastAGI script '" + script + "' (known: "
                    + String.join(", ", scripts.keySet()) + ")");
            return;
        }
        if (!counters.tryEnter()) {
            counters.busy.increment();
            log.warn("FastAGI '{}' on {} refused: all {} sessions busy; answered {}=BUSY, the dialplan continues "
                    + "without the IVR", script, channelName, counters.maxSessions(), STATUS_VARIABLE);
            refuse("BUSY", "hotline-cti: FastAGI full (" + counters.maxSessions() + " sessions); continuing");
            return;
        }
        holdsPlace = true;
        send(LINKEDID_COMMAND).whenComplete((reply, failure) -> {
            if (failure != null) {
                log.info("FastAGI '{}' on {} ended before the IVR started: {}", script, channelName,
                        unwrap(failure).getMessage());
                close();
                return;
            }
            runIvr(entryPoint, request, reply);
        });
    }

    @Override
    public void reply(AgiReply reply) {
        CompletableFuture<AgiReply> waiting = pending;
        if (waiting == null) {
            protocolError("reply without a command: " + AgiText.printable(reply.text()));
            return;
        }
        pending = null;
        pendingCommand = null;
        waiting.complete(reply);
    }

    @Override
    public void protocolError(String message) {
        counters.protocolErrors.increment();
        log.warn("FastAGI connection from {} ({}) closed: {}", peer, channelName, message);
        ended("FastAGI protocol error: " + message);
    }

    // --- commands

    /**
     * Sends one command line (without terminator) and completes with Asterisk's reply, on the event loop. Fails with
     * {@link ChannelHungUpException} when the connection is or gets closed, with {@link IllegalStateException} when
     * a command is already waiting for its reply.
     */
    CompletionStage<AgiReply> send(String command) {
        if (closed) {
            return CompletableFuture.failedFuture(gone("FastAGI connection closed"));
        }
        if (pending != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "AGI command '" + pendingCommand + "' on " + channelName + " still waits for its reply"));
        }
        pending = new CompletableFuture<>();
        pendingCommand = command;
        CompletableFuture<AgiReply> reply = pending;
        socket.write(command + "\n");
        return reply;
    }

    /** Runs {@code work} on this session's event loop (at once when already there) and hands back its stage. */
    <T> CompletionStage<T> onContext(Supplier<CompletionStage<T>> work) {
        if (Thread.currentThread() == loop) {
            return safely(work);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> safely(work).whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
            } else {
                result.complete(value);
            }
        }));
        return result;
    }

    /** Ends the session: the socket is closed, so Asterisk continues the dialplan. Idempotent. */
    void close() {
        ended("session ended");
    }

    /** {@link #close()} from any thread. */
    void closeFromAnyThread() {
        onContext(() -> {
            close();
            return CompletableFuture.completedFuture(null);
        });
    }

    private void refuse(String status, String message) {
        send("SET VARIABLE " + AgiText.quote("variable", STATUS_VARIABLE) + " " + AgiText.quote("status", status))
                .thenCompose(reply -> send("VERBOSE " + AgiText.quote("message", message) + " 1"))
                .whenComplete((reply, failure) -> close());
    }

    private void runIvr(BiFunction<Channel, AgiCall, CompletionStage<Void>> entryPoint, AgiRequest request,
            AgiReply linkedIdReply) {
        String linkedId = linkedIdReply.isSuccess() && "1".equals(linkedIdReply.result())
                && linkedIdReply.extra() != null && !linkedIdReply.extra().isBlank()
                ? linkedIdReply.extra() : null;
        if (linkedId == null) {
            log.warn("{} did not tell its Linkedid ({}); using its Uniqueid {}", channelName, linkedIdReply.text(),
                    request.uniqueId());
            linkedId = request.uniqueId();
        }
        AgiCall call = request.toCall(script, linkedId);
        AgiChannel channel = new AgiChannel(this, channelName, linkedIdReply.hangupNotified());
        if (log.isInfoEnabled()) {
            log.info("FastAGI '{}' on {} (Linkedid {}) from {} to {}", script, channelName, linkedId,
                    PhoneNumbers.mask(call.callerNumber()), call.dialledNumber());
        }
        CompletionStage<Void> flow;
        try {
            flow = entryPoint.apply(channel, call);
            if (flow == null) {
                flow = CompletableFuture.failedFuture(new IllegalStateException("the IVR returned no stage"));
            }
        } catch (RuntimeException e) {
            flow = CompletableFuture.failedFuture(e);
        }
        flow.whenComplete((v, failure) -> onContext(() -> {
            logOutcome(failure);
            close();
            return CompletableFuture.completedFuture(null);
        }));
    }

    private void logOutcome(Throwable failure) {
        Throwable cause = failure == null ? null : unwrap(failure);
        if (cause == null) {
            log.debug("FastAGI '{}' on {} ended", script, channelName);
        } else if (cause instanceof ChannelHungUpException) {
            log.info("FastAGI '{}' ended: {}", script, cause.getMessage());
        } else {
            log.error("IVR '{}' failed on {}", script, channelName, cause);
        }
    }

    private void ended(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (holdsPlace) {
            holdsPlace = false;
            counters.leave();
        }
        CompletableFuture<AgiReply> waiting = pending;
        pending = null;
        if (waiting != null) {
            waiting.completeExceptionally(gone(reason + " during '" + pendingCommand + "'"));
        }
        socket.close();
        onEnd.accept(this);
    }

    private ChannelHungUpException gone(String reason) {
        return new ChannelHungUpException(channelName + " left the IVR (" + reason + ")");
    }

    private static <T> CompletionStage<T> safely(Supplier<CompletionStage<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
