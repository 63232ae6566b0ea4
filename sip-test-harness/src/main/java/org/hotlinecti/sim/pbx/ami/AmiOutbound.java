package org.hotlinecti.sim.pbx.ami;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The outbound side of one AMI session: a bounded byte queue that any thread may append to without blocking, drained
 * on the session's event loop into the socket in batches.
 *
 * <p>Batching matters: one socket write per event would cost a system call per event, which caps a single client
 * well below the rate the core can publish. Only the event loop touches the socket; producers just enqueue and make
 * sure a drain is scheduled.
 *
 * <p>When the socket cannot take more (Netty's write buffer is above its high-water mark) the queue is not drained
 * and the time the stall started is kept, so the server can disconnect a client that stops reading for
 * {@code writeTimeout}. Bytes are never dropped for a live session: if the queue outgrows its bound the session is
 * disconnected instead.
 */
final class AmiOutbound {

    private static final int BATCH_BYTES = 64 * 1024;
    private static final int MAX_BYTES_PER_TURN = 1024 * 1024;
    private static final int SOCKET_HIGH_WATER_MARK = 256 * 1024;
    private static final long NOT_STALLED = Long.MIN_VALUE;

    private final NetSocket socket;
    private final Context context;
    private final long maxQueuedBytes;
    private final Consumer<String> onOverflow;

    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean endWhenFlushed;
    private volatile long stalledSince = NOT_STALLED;
    /** Event loop only: the last write handed to the socket, to close only once everything is flushed. */
    private Future<Void> lastWrite;
    private boolean ended;

    private final long closeTimeoutMillis;

    /**
     * @param closeTimeoutMillis how long a graceful close may wait for the client to take the last bytes before the
     *     connection is cut
     */
    AmiOutbound(NetSocket socket, Context context, long maxQueuedBytes, long closeTimeoutMillis,
            Consumer<String> onOverflow) {
        this.socket = socket;
        this.context = context;
        this.maxQueuedBytes = maxQueuedBytes;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.onOverflow = onOverflow;
        socket.setWriteQueueMaxSize(SOCKET_HIGH_WATER_MARK);
        socket.drainHandler(v -> {
            stalledSince = NOT_STALLED;
            drain();
        });
    }

    /**
     * Queues bytes for the client. Never blocks.
     *
     * @return false if the session no longer takes output (closing, closed, or the bound was just exceeded)
     */
    boolean offer(byte[] bytes) {
        if (closed || endWhenFlushed) {
            return false;
        }
        long total = queuedBytes.addAndGet(bytes.length);
        if (total > maxQueuedBytes) {
            onOverflow.accept("outbound buffer exceeded " + maxQueuedBytes + " bytes");
            return false;
        }
        queue.offer(bytes);
        scheduleDrain();
        return true;
    }

    /** Writes what is queued, then closes the connection (after Logoff, a failed Login, Shutdown). */
    void closeWhenFlushed() {
        endWhenFlushed = true;
        scheduleDrain();
    }

    /** Drops what is queued and closes the connection now. */
    void abort() {
        closed = true;
        queue.clear();
        queuedBytes.set(0);
        context.runOnContext(v -> {
            ended = true;
            hardClose();
        });
    }

    /**
     * Closes the TCP connection at once, discarding unsent bytes. Vert.x's own close() first flushes what is
     * pending, which never completes for a client that stopped reading, so this goes to Netty underneath.
     */
    private void hardClose() {
        if (socket instanceof NetSocketInternal internal) {
            // The context of Vert.x's own handler: closing from there skips its flush-then-close interception.
            internal.channelHandlerContext().close();
        } else {
            socket.close();
        }
    }

    /** How long the socket has refused more data, or 0. */
    long stalledNanos(long nowNanos) {
        long since = stalledSince;
        return since == NOT_STALLED ? 0 : nowNanos - since;
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void drain() {
        drainScheduled.set(false);
        if (closed || ended) {
            return;
        }
        int budget = MAX_BYTES_PER_TURN;
        while (true) {
            if (socket.writeQueueFull()) {
                if (stalledSince == NOT_STALLED) {
                    stalledSince = System.nanoTime();
                }
                return;
            }
            if (budget <= 0) {
                // Let other sessions on this event loop have their turn.
                scheduleDrain();
                return;
            }
            Buffer batch = null;
            byte[] next;
            while ((batch == null || batch.length() < BATCH_BYTES) && (next = queue.poll()) != null) {
                long left = queuedBytes.addAndGet(-next.length);
                if (batch == null) {
                    // sized to what is queued, not always BATCH_BYTES: one small event must not cost 64 KiB of garbage
                    batch = Buffer.buffer((int) Math.max(next.length, Math.min(BATCH_BYTES, left + next.length)));
                }
                batch.appendBytes(next);
            }
            if (batch == null) {
                break;
            }
            budget -= batch.length();
            lastWrite = socket.write(batch);
        }
        if (endWhenFlushed && queue.isEmpty()) {
            ended = true;
            if (lastWrite == null) {
                socket.close();
            } else {
                lastWrite.onComplete(ar -> socket.close());
                context.owner().setTimer(closeTimeoutMillis, id -> hardClose());
            }
        }
    }
}
