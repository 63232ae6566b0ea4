package org.hotlinecti.cti.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** Fixed pools of named daemon threads, so thread dumps say what each thread is for. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A pool of {@code threads} daemon threads named {@code <name>-1}, {@code <name>-2} ... */
    public static ExecutorService pool(String name, int threads) {
        AtomicLong n = new AtomicLong();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
