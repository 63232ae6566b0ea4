package org.hotlinecti.cti.asterisk;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named after what they do, so a thread dump tells AMI event delivery from AGI sessions. Daemon: the
 * adapters are closed explicitly on shutdown; a forgotten one must not keep the JVM alive.
 */
final class NamedDaemonThreadFactory implements ThreadFactory {

    private final String prefix;
    private final boolean numbered;
    private final AtomicInteger next = new AtomicInteger(1);

    private NamedDaemonThreadFactory(String prefix, boolean numbered) {
        this.prefix = prefix;
        this.numbered = numbered;
    }

    /** Threads all called {@code name} (for single-thread executors). */
    static ThreadFactory single(String name) {
        return new NamedDaemonThreadFactory(name, false);
    }

    /** Threads called {@code prefix-1}, {@code prefix-2} ... */
    static ThreadFactory numbered(String prefix) {
        return new NamedDaemonThreadFactory(prefix, true);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, numbered ? prefix + "-" + next.getAndIncrement() : prefix);
        thread.setDaemon(true);
        return thread;
    }
}
