package org.hotlinecti.sim.sip;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A tiny PBX core for call-flow tests: takes every trunk INVITE (auto-answers unless told otherwise), records what
 * each inbound leg reports, and dials phones with a recording listener. Bridges nothing.
 */
final class TestPbx implements AutoCloseable {

    /** What the test PBX saw on one inbound leg. */
    static final class InboundCall implements InboundLegListener {
        final InboundLeg leg;
        final List<String> dtmf = new CopyOnWriteArrayList<>();
        final AtomicInteger remoteHangups = new AtomicInteger();

        InboundCall(InboundLeg leg) {
            this.leg = leg;
        }

        @Override
        public void onDtmf(char digit, int durationMs) {
            dtmf.add(digit + "/" + durationMs);
        }

        @Override
        public void onRemoteHangup() {
            remoteHangups.incrementAndGet();
        }
    }

    /** Records an outbound leg's callbacks in order, e.g. {@code [ringing, answered, remoteHangup]}. */
    static final class OutboundEvents implements OutboundLegListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onRinging() {
            events.add("ringing");
        }

        @Override
        public void onAnswered() {
            events.add("answered");
        }

        @Override
        public void onRejected(int statusCode) {
            events.add("rejected:" + statusCode);
        }

        @Override
        public void onFailed(String reason) {
            events.add("failed");
        }

        @Override
        public void onRemoteHangup() {
            events.add("remoteHangup");
        }
    }

    final JainSipPbxEndpoint endpoint;
    final Map<String, InboundCall> inbound = new ConcurrentHashMap<>();
    /** What to do with each new inbound leg; answers by default. */
    volatile Consumer<InboundLeg> onInvite = InboundLeg::answer;

    private TestPbx(JainSipPbxEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    static TestPbx start() throws IOException {
        return start(Clock.systemUTC(), JainSipPbxEndpoint.DEFAULT_T1);
    }

    static TestPbx start(Clock clock, Duration t1) throws IOException {
        TestPbx pbx = new TestPbx(new JainSipPbxEndpoint("127.0.0.1", 0, clock, t1));
        pbx.endpoint.start(leg -> {
            InboundCall call = new InboundCall(leg);
            pbx.inbound.put(leg.callId(), call);
            pbx.onInvite.accept(leg);
            return call;
        });
        return pbx;
    }

    int port() {
        return endpoint.port();
    }

    InboundCall call(String callId) {
        return inbound.get(callId);
    }

    OutboundEvents dial(String endpointName, String contact, CallerId from) {
        OutboundEvents events = new OutboundEvents();
        endpoint.dial(endpointName, contact, from, events);
        return events;
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
