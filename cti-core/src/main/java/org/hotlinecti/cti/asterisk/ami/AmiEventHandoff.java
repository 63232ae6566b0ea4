package org.hotlinecti.cti.asterisk.ami;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off between the socket's event loop and the domain: the event loop appends work (an event to deliver, an
 * action's completion) and returns at once; one consumer thread runs the work in exactly the order it was appended.
 * One consumer in stream order keeps every call's events in order however its Linkedid or Uniqueid changes, and keeps
 * an action's response in order with the events around it.
 *
 * <p>The reader never waits for the consumer: Asterisk drops a client whose socket does not take its writes for about
 * 100 ms, so a slow consumer must cost memory, not reading. The backlog is watched: crossing the high-water mark logs
 * a warning (and again at every doubling), draining below half of it logs the recovery, and {@link #maxBacklog()}
 * keeps the worst seen. Past {@code capacity} {@link #offer} refuses: the caller must then treat the stream as broken
 * (the client drops the connection and resynchronises), so nothing is ever lost without a trace.
 */
final class AmiEventHandoff implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmiEventHandoff.class);

    private final String name;
    private final int highWater;
    private final int capacity;
    private final Thread consumer;
    private final Object lock = new Object();

    /** Guarded by {@link #lock}. */
    private ArrayList<Object> incoming = new ArrayList<>(1024);
    private final java.util.function.Consumer<AmiMessage> eventSink;
    private volatile boolean closed;
    private boolean consumerWaiting;
    /** Producer side only: items of the current batch. */
    private final ArrayList<Object> staged = new ArrayList<>(512);
    private boolean batching;
    /** Appended but not yet run. */
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong maxBacklog = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    /** Warning state; a race between producer and consumer only shifts a log line. */
    private volatile long nextWarnAt;
    private volatile boolean aboveHighWater;

    /**
     * @param name      names the consumer thread ({@code ami-events-<name>})
     * @param highWater backlog size that triggers the warning
     * @param capacity  backlog size past which {@link #offer} refuses
     * @param eventSink runs on the consumer thread for each event given to {@link #offerEvent}
     */
    AmiEventHandoff(String name, int highWater, int capacity, java.util.function.Consumer<AmiMessage> eventSink) {
        this.eventSink = eventSink;
        this.name = name;
        this.highWater = highWater;
        this.capacity = capacity;
        this.nextWarnAt = highWater;
        this.consumer = new Thread(this::run, "ami-events-" + name);
        consumer.setDaemon(true);
        consumer.start();
    }

    /**
     * Appends work for the consumer (any thread, but the client calls it from its event loop only, which keeps the
     * order). Never blocks.
     *
     * @return false when the backlog is at capacity or the hand-off is closed; the work was not taken
     */
    boolean offer(Runnable work) {
        return offer(work, false);
    }

    /** Like {@link #offer(Runnable)} for an event, which goes to the event sink (no allocation per event). */
    boolean offerEvent(AmiMessage event) {
        return offer(event, false);
    }

    /**
     * Like {@link #offer(Runnable)} but past the capacity too: for the few items that must reach the consumer even
     * when the stream is being abandoned (an action's completion, the disconnection notice).
     */
    boolean offerPastCapacity(Runnable work) {
        return offer(work, true);
    }

    /**
     * Starts staging: until {@link #endBatch()}, offered items are collected and handed over in one step (one lock,
     * one counter update for a whole socket read instead of one per event). Producer thread only.
     */
    void beginBatch() {
        batching = true;
    }

    /** Hands over what was staged since {@link #beginBatch()}. Producer thread only. */
    void endBatch() {
        batching = false;
        flush();
    }

    private boolean offer(Object work, boolean pastCapacity) {
        if (closed) {
            return false;
        }
        if (!pastCapacity && backlog.get() + staged.size() + 1 > capacity) {
            return false;
        }
        staged.add(work);
        if (!batching) {
            flush();
        }
        return true;
    }

    private void flush() {
        int n = staged.size();
        if (n == 0) {
            return;
        }
        long size = backlog.addAndGet(n);
        boolean taken;
        synchronized (lock) {
            taken = !closed;
            if (taken) {
                incoming.addAll(staged);
                if (consumerWaiting) {
                    lock.notify();
                }
            }
        }
        if (!taken) {
            backlog.addAndGet(-n);
            // closed meanwhile: completions and notices still run (here), events are dropped with the session
            for (Object item : staged) {
                if (item instanceof Runnable r) {
                    r.run();
                }
            }
            staged.clear();
            return;
        }
        staged.clear();
        if (size > maxBacklog.getPlain()) {
            maxBacklog.accumulateAndGet(size, Math::max);
        }
        if (size >= nextWarnAt) {
            aboveHighWater = true;
            log.warn("AMI {}: {} events wait for the consumer (high-water mark {}, capacity {}); the reader keeps "
                    + "reading", name, size, highWater, capacity);
            nextWarnAt = size * 2;
        }
    }

    /** Work appended and not yet finished. */
    long backlog() {
        return backlog.get();
    }

    /** The largest backlog seen. */
    long maxBacklog() {
        return maxBacklog.get();
    }

    /** Work items run so far. */
    long delivered() {
        return delivered.get();
    }

    boolean isConsumerThread() {
        return Thread.currentThread() == consumer;
    }

    private void run() {
        ArrayList<Object> batch = new ArrayList<>(1024);
        while (true) {
            synchronized (lock) {
                while (incoming.isEmpty() && !closed) {
                    consumerWaiting = true;
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // close() interrupts only after draining is abandoned
                        return;
                    } finally {
                        consumerWaiting = false;
                    }
                }
                if (incoming.isEmpty()) {
                    return;
                }
                ArrayList<Object> full = incoming;
                incoming = batch;
                batch = full;
            }
            int n = batch.size();
            for (int i = 0; i < n; i++) {
                Object item = batch.get(i);
                try {
                    if (item instanceof AmiMessage event) {
                        eventSink.accept(event);
                    } else {
                        ((Runnable) item).run();
                    }
                } catch (RuntimeException | Error e) {
                    log.error("AMI {}: event consumer failed; going on with the next event", name, e);
                }
                // the backlog is counted down every so often, not per item: fewer cache misses on the counter
                if ((i & 255) == 255) {
                    backlog.addAndGet(-256);
                    delivered.addAndGet(256);
                }
            }
            backlog.addAndGet(-(n & 255));
            delivered.addAndGet(n & 255);
            batch.clear();
            long left = backlog.get();
            if (aboveHighWater && left < highWater / 2) {
                aboveHighWater = false;
                nextWarnAt = highWater;
                log.info("AMI {}: event backlog back to {} (worst {})", name, left, maxBacklog.get());
            }
        }
    }

    /**
     * Stops taking work and lets the consumer finish what is queued, waiting at most {@code waitMillis}; work still
     * queued then is abandoned (logged). Must not be called from the consumer thread when waiting is wanted.
     */
    void close(long waitMillis) {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        if (isConsumerThread()) {
            return;
        }
        try {
            consumer.join(waitMillis);
            if (consumer.isAlive()) {
                log.warn("AMI {}: consumer still busy after {} ms; {} queued events abandoned", name, waitMillis,
                        backlog.get());
                consumer.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            consumer.interrupt();
        }
    }

    @Override
    public void close() {
        close(TimeUnit.SECONDS.toMillis(5));
    }
}
