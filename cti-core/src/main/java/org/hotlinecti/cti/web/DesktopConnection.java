package org.hotlinecti.cti.web;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket of an agent desktop or a monitor, written only on its own event loop. What it has not sent yet
 * is bounded: a client that stops reading until {@link #MAX_QUEUED_BYTES} pile up is disconnected, so it can neither
 * exhaust memory nor hold up anyone else.
 */
final class DesktopConnection {

    private static final Logger LOG = LoggerFactory.getLogger(DesktopConnection.class);

    /** Unsent bytes a connection may hold before it counts as not reading. */
    static final int MAX_QUEUED_BYTES = 256 * 1024;
    /** Close code for a client that did not keep up (RFC 6455 1008: policy violation). */
    static final short TOO_SLOW = 1008;

    private final ServerWebSocket socket;
    private final Context context;
    private final String label;
    // Confined to the event loop of this connection.
    private boolean closing;
    private boolean agentSent;

    DesktopConnection(ServerWebSocket socket, Context context, String label) {
        this.socket = socket;
        this.context = context;
        this.label = label;
        socket.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    }

    /** Queues a message; any thread, never blocks. */
    void send(String text) {
        context.runOnContext(v -> write(text));
    }

    /** Queues an agent update; a later {@link #sendAgentSnapshot} must not overwrite it with older state. */
    void sendAgentUpdate(String text) {
        context.runOnContext(v -> {
            agentSent = true;
            write(text);
        });
    }

    /** Queues the agent's state as read at connect time, unless an update already went out. */
    void sendAgentSnapshot(String text) {
        context.runOnContext(v -> {
            if (!agentSent) {
                agentSent = true;
                write(text);
            }
        });
    }

    /** Closes with a WebSocket close code and reason; any thread. */
    void close(short code, String reason) {
        context.runOnContext(v -> {
            if (!closing) {
                closing = true;
                socket.close(code, reason);
            }
        });
    }

    String label() {
        return label;
    }

    private void write(String text) {
        if (closing || socket.isClosed()) {
            return;
        }
        if (socket.writeQueueFull()) {
            LOG.warn("Disconnecting {}: it stopped reading ({} unsent bytes)", label, MAX_QUEUED_BYTES);
            closing = true;
            disconnect();
            return;
        }
        socket.writeTextMessage(text);
    }

    /**
     * Drops the connection at once. A close frame (even through {@code shutdown} with a timeout) would queue behind
     * the unread data and Vert.x only starts its closing timeout once that frame is written, which never happens, so
     * the TCP connection is closed below Vert.x's WebSocket handler instead. That handler's context is Vert.x-internal
     * API ({@link WebSocketInternal}); should a later Vert.x drop it, the close frame is the fallback.
     */
    private void disconnect() {
        if (socket instanceof WebSocketInternal internal) {
            internal.channelHandlerContext().close();
        } else {
            socket.close(TOO_SLOW, "client too slow");
        }
    }
}
