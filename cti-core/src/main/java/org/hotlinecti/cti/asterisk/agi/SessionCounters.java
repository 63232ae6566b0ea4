package org.hotlinecti.cti.asterisk.agi;

import org.hotlinecti.cti.api.AgiStatus;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The server's capacity and counters, shared by all sessions (they run on different event-loop threads). */
final class SessionCounters {

    private final int maxSessions;
    private final AtomicInteger active = new AtomicInteger();
    final LongAdder started = new LongAdder();
    final LongAdder busy = new LongAdder();
    final LongAdder refusedPeers = new LongAdder();
    final LongAdder unknownScripts = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();

    SessionCounters(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** Takes a place in the IVR; false when all {@code maxSessions} are taken. */
    boolean tryEnter() {
        while (true) {
            int now = active.get();
            if (now >= maxSessions) {
                return false;
            }
            if (active.compareAndSet(now, now + 1)) {
                started.increment();
                return true;
            }
        }
    }

    void leave() {
        active.decrementAndGet();
    }

    int active() {
        return active.get();
    }

    int maxSessions() {
        return maxSessions;
    }

    AgiStatus snapshot(boolean listening) {
        return new AgiStatus(listening, active.get(), maxSessions, started.sum(), busy.sum(), refusedPeers.sum(),
                unknownScripts.sum(), protocolErrors.sum());
    }
}
