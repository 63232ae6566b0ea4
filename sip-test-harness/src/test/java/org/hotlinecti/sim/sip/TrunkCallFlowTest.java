package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trunk caller (UAC) against the sim PBX endpoint (UAS): each side asserts its own final state. */
class TrunkCallFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestPbx pbx;
    private SipPhoneStack world;

    @BeforeEach
    void start() throws Exception {
        pbx = TestPbx.start();
        world = SipPhoneStack.start("trunk-test");
    }

    @AfterEach
    void stop() {
        world.close();
        pbx.close();
    }

    private TrunkCaller caller() {
        return world.newCaller("13800001111", "Zhang San", "127.0.0.1", pbx.port());
    }

    @Test
    void callerDialsSendsDtmfAndHangsUp() throws Exception {
        TrunkCaller caller = caller();
        caller.dial("12345").get(5, TimeUnit.SECONDS);

        assertThat(caller.state()).isEqualTo(CallerState.CONNECTED);
        assertThat(caller.connectedAt()).isNotNull();
        TestPbx.InboundCall call = pbx.call(caller.callId());
        assertThat(call.leg.toUser()).isEqualTo("12345");
        assertThat(call.leg.fromUser()).isEqualTo("13800001111");
        assertThat(call.leg.fromDisplayName()).isEqualTo("Zhang San");

        caller.sendDtmf("12").get(5, TimeUnit.SECONDS);
        assertThat(call.dtmf).containsExactly("1/250", "2/250");

        caller.hangup().get(5, TimeUnit.SECONDS);
        assertThat(caller.state()).isEqualTo(CallerState.ENDED_BY_CALLER);
        assertThat(caller.ended().get(5, TimeUnit.SECONDS)).isEqualTo(CallerState.ENDED_BY_CALLER);
        assertThat(caller.endedAt()).isAfterOrEqualTo(caller.connectedAt());
        assertThat(call.remoteHangups).as("reported before the BYE was answered").hasValue(1);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> call.remoteHangups.get() == 1);
    }

    @Test
    void pbxHangsUpTheCaller() throws Exception {
        TrunkCaller caller = caller();
        caller.dial("12345").get(5, TimeUnit.SECONDS);
        TestPbx.InboundCall call = pbx.call(caller.callId());

        call.leg.hangup();

        assertThat(caller.ended().get(5, TimeUnit.SECONDS)).isEqualTo(CallerState.ENDED_BY_PBX);
        assertThat(caller.state()).isEqualTo(CallerState.ENDED_BY_PBX);
        assertThat(call.remoteHangups).hasValue(0);
        assertThat(caller.sendDtmf('1')).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void callerCancelsBeforeAnswer() throws Exception {
        pbx.onInvite = leg -> { };
        TrunkCaller caller = caller();
        CompletableFuture<Void> dialled = caller.dial("12345");
        await().atMost(WAIT).until(() -> pbx.call(caller.callId()) != null);
        TestPbx.InboundCall call = pbx.call(caller.callId());

        caller.hangup().get(5, TimeUnit.SECONDS);

        assertThat(caller.state()).isEqualTo(CallerState.ENDED_BY_CALLER);
        assertThat(dialled).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(487));
        await().atMost(WAIT).until(() -> call.remoteHangups.get() == 1);
        call.leg.answer(); // too late: ignored
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> caller.state() == CallerState.ENDED_BY_CALLER);
        assertThat(call.remoteHangups).hasValue(1);
    }

    @Test
    void pbxRejectsWith404() {
        pbx.onInvite = leg -> leg.reject(404);
        TrunkCaller caller = caller();

        assertThat(caller.dial("99999")).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThat(caller.state()).isEqualTo(CallerState.FAILED);
        assertThat(caller.ended()).succeedsWithin(WAIT).isEqualTo(CallerState.FAILED);
    }

    @Test
    void pbxHangsUpAnUnansweredCallWith603() {
        pbx.onInvite = InboundLeg::hangup;
        TrunkCaller caller = caller();

        assertThat(caller.dial("12345")).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(603));
    }

    @Test
    void rejectNeedsAnErrorStatus() {
        pbx.onInvite = leg -> { };
        TrunkCaller caller = caller();
        caller.dial("12345");
        await().atMost(WAIT).until(() -> pbx.call(caller.callId()) != null);

        assertThatThrownBy(() -> pbx.call(caller.callId()).leg.reject(200)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badDtmfDigitsAreRefusedBeforeAnythingIsSent() throws Exception {
        TrunkCaller caller = caller();
        caller.dial("12345").get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> caller.sendDtmf("1x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> caller.sendDtmf('x')).isInstanceOf(IllegalArgumentException.class);
        caller.sendDtmf("*#A").get(5, TimeUnit.SECONDS);
        assertThat(pbx.call(caller.callId()).dtmf).containsExactly("*/250", "#/250", "A/250");
    }

    @Test
    void chineseDisplayNamesReachThePbx() throws Exception {
        TrunkCaller caller = world.newCaller("13800001111", "李四", "127.0.0.1", pbx.port());
        caller.dial("12345").get(5, TimeUnit.SECONDS);

        assertThat(pbx.call(caller.callId()).leg.fromDisplayName()).isEqualTo("李四");
    }

    @Test
    void aStageMayBlockOnAnotherFutureOfTheSameCaller() throws Exception {
        TrunkCaller caller = caller();

        caller.dial("12345").thenRun(() -> caller.sendDtmf('7').join()).get(5, TimeUnit.SECONDS);

        assertThat(pbx.call(caller.callId()).dtmf).containsExactly("7/250");
    }

    @Test
    void aCallerDialsOnlyOnce() throws Exception {
        TrunkCaller caller = caller();
        caller.dial("12345").get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> caller.dial("12345")).isInstanceOf(IllegalStateException.class);
    }
}
