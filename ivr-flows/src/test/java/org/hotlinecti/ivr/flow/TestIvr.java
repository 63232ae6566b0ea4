package org.hotlinecti.ivr.flow;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.IvrOutcome;

/** The shipped configuration at a given local time in Shanghai, and a way to run a call through it. */
final class TestIvr {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** A Monday in March 2026, office hours. */
    static final LocalDateTime MONDAY_10AM = LocalDateTime.of(2026, 3, 2, 10, 0);
    /** The same Monday at night. */
    static final LocalDateTime MONDAY_9PM = LocalDateTime.of(2026, 3, 2, 21, 0);

    final IvrConfig config;
    final FlowInterpreter interpreter;

    TestIvr(LocalDateTime at) {
        this(IvrConfig.loadDefault(clock(at)));
    }

    TestIvr(IvrConfig config) {
        this.config = config;
        this.interpreter = new FlowInterpreter(() -> config);
    }

    static Clock clock(LocalDateTime at) {
        return Clock.fixed(at.atZone(SHANGHAI).toInstant(), SHANGHAI);
    }

    IvrCall call(String dialled, String caller) {
        return new IvrCall(config.lineDirectory().serving(dialled), caller);
    }

    IvrOutcome run(Channel channel, String dialled) {
        return interpreter.run(channel, call(dialled, "13800001111")).toCompletableFuture().join();
    }

    IvrOutcome run(Channel channel, String dialled, String flow) {
        return interpreter.run(channel, call(dialled, "13800001111"), flow).toCompletableFuture().join();
    }
}
