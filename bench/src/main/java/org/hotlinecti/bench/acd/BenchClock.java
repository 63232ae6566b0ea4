package org.hotlinecti.bench.acd;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the benchmark moves by hand, so simulated waits do not depend on how fast the machine is. */
final class BenchClock extends Clock {

    private long millis;

    BenchClock(long startMillis) {
        this.millis = startMillis;
    }

    void advanceMillis(long ms) {
        millis += ms;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
