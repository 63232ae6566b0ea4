package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sim PBX (UAC) dialling agent phones (UAS): each side asserts its own final state. */
class AgentPhoneFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final CallerId CALLER = new CallerId("13800001111", "Zhang San");

    private TestPbx pbx;
    private SipPhoneStack world;
    private AgentPhone phone;

    @BeforeEach
    void start() throws Exception {
        pbx = TestPbx.start();
        world = SipPhoneStack.start("phone-test");
        phone = world.newAgentPhone("agent1001", null, "127.0.0.1", pbx.port());
    }

    @AfterEach
    void stop() {
        world.close();
        pbx.close();
    }

    @Test
    void phoneAnswersAfterTheDelayThenHangsUpFirst() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        phone.setListener(new AgentPhoneListener() {
            @Override
            public void onRinging(PhoneCall call) {
                seen.add("ringing " + call.fromNumber());
            }

            @Override
            public void onAnswered(PhoneCall call) {
                seen.add("answered");
            }

            @Override
            public void onEnded(PhoneCall call) {
                seen.add("ended " + call.endReason());
            }
        });
        phone.setBehaviour(PhoneBehaviour.answerAfter(Duration.ofMillis(200)));

        TestPbx.OutboundEvents pbxSide = pbx.dial("agent1001", phone.contactUri(), CALLER);

        await().atMost(WAIT).until(() -> pbxSide.events.contains("answered"));
        assertThat(pbxSide.events).containsExactly("ringing", "answered");
        assertThat(phone.state()).isEqualTo(PhoneState.TALKING);
        PhoneCall call = phone.currentCall().orElseThrow();
        assertThat(call.fromNumber()).isEqualTo("13800001111");
        assertThat(call.fromName()).isEqualTo("Zhang San");
        assertThat(Duration.between(call.ringingAt(), call.answeredAt())).isGreaterThanOrEqualTo(Duration.ofMillis(200));

        phone.hangup().get(5, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> pbxSide.events.contains("remoteHangup"));
        assertThat(pbxSide.events).containsExactly("ringing", "answered", "remoteHangup");
        assertThat(phone.state()).isEqualTo(PhoneState.IDLE);
        assertThat(phone.history()).singleElement().satisfies(c -> {
            assertThat(c.endReason()).isEqualTo(PhoneCall.EndReason.LOCAL_HANGUP);
            assertThat(c.endedAt()).isAfterOrEqualTo(c.answeredAt());
        });
        await().atMost(WAIT).until(() -> seen.size() == 3);
        assertThat(seen).containsExactly("ringing 13800001111", "answered", "ended LOCAL_HANGUP");
    }

    @Test
    void pbxHangsUpAnAnsweredPhone() {
        phone.setBehaviour(PhoneBehaviour.answerAfter(Duration.ZERO));
        TestPbx.OutboundEvents pbxSide = new TestPbx.OutboundEvents();
        OutboundLeg leg = pbx.endpoint.dial("agent1001", phone.contactUri(), CALLER, pbxSide);
        await().atMost(WAIT).until(() -> pbxSide.events.contains("answered"));

        leg.hangup();

        await().atMost(WAIT).until(() -> phone.state() == PhoneState.IDLE);
        assertThat(phone.history()).singleElement()
                .extracting(PhoneCall::endReason).isEqualTo(PhoneCall.EndReason.REMOTE_HANGUP);
        assertThat(pbxSide.events).containsExactly("ringing", "answered");
    }

    @Test
    void noAnswerRingsUntilThePbxCancels() {
        phone.setBehaviour(PhoneBehaviour.noAnswer());
        TestPbx.OutboundEvents pbxSide = new TestPbx.OutboundEvents();
        OutboundLeg leg = pbx.endpoint.dial("agent1001", phone.contactUri(), CALLER, pbxSide);
        await().atMost(WAIT).until(() -> pbxSide.events.contains("ringing"));
        assertThat(phone.state()).isEqualTo(PhoneState.RINGING);

        leg.cancel();

        await().atMost(WAIT).until(() -> pbxSide.events.contains("rejected:487"));
        assertThat(pbxSide.events).containsExactly("ringing", "rejected:487");
        await().atMost(WAIT).until(() -> phone.state() == PhoneState.IDLE);
        assertThat(phone.history()).singleElement()
                .extracting(PhoneCall::endReason).isEqualTo(PhoneCall.EndReason.CANCELLED);
    }

    @Test
    void busyPhoneAnswers486WithoutRinging() {
        phone.setBehaviour(PhoneBehaviour.busy());

        TestPbx.OutboundEvents pbxSide = pbx.dial("agent1001", phone.contactUri(), CALLER);

        await().atMost(WAIT).until(() -> !pbxSide.events.isEmpty());
        assertThat(pbxSide.events).containsExactly("rejected:486");
        await().atMost(WAIT).until(() -> phone.history().size() == 1);
        assertThat(phone.history().get(0).endReason()).isEqualTo(PhoneCall.EndReason.REJECTED_BUSY);
        assertThat(phone.state()).isEqualTo(PhoneState.IDLE);
    }

    @Test
    void rejectingPhoneAnswers603() {
        phone.setBehaviour(PhoneBehaviour.reject());

        TestPbx.OutboundEvents pbxSide = pbx.dial("agent1001", phone.contactUri(), CALLER);

        await().atMost(WAIT).until(() -> !pbxSide.events.isEmpty());
        assertThat(pbxSide.events).containsExactly("rejected:603");
        await().atMost(WAIT).until(() -> phone.history().size() == 1);
        assertThat(phone.history().get(0).endReason()).isEqualTo(PhoneCall.EndReason.REJECTED_DECLINE);
    }

    @Test
    void aTalkingPhoneAnswersASecondInviteWith486() {
        phone.setBehaviour(PhoneBehaviour.answerAfter(Duration.ZERO));
        TestPbx.OutboundEvents first = pbx.dial("agent1001", phone.contactUri(), CALLER);
        await().atMost(WAIT).until(() -> first.events.contains("answered"));

        TestPbx.OutboundEvents second = pbx.dial("agent1001", phone.contactUri(), new CallerId("13900002222", null));

        await().atMost(WAIT).until(() -> !second.events.isEmpty());
        assertThat(second.events).containsExactly("rejected:486");
        assertThat(phone.state()).isEqualTo(PhoneState.TALKING);
        assertThat(phone.currentCall()).get().extracting(PhoneCall::fromNumber).isEqualTo("13800001111");
        assertThat(phone.history()).singleElement().satisfies(c -> {
            assertThat(c.fromNumber()).isEqualTo("13900002222");
            assertThat(c.endReason()).isEqualTo(PhoneCall.EndReason.REJECTED_BUSY);
        });
        assertThat(first.events).containsExactly("ringing", "answered");
    }

    @Test
    void chineseCallerNamesSurviveTheWire() {
        phone.setBehaviour(PhoneBehaviour.noAnswer());

        TestPbx.OutboundEvents pbxSide = pbx.dial("agent1001", phone.contactUri(), new CallerId("13800001111", "张三"));

        await().atMost(WAIT).until(() -> pbxSide.events.contains("ringing"));
        assertThat(phone.currentCall()).get().extracting(PhoneCall::fromName).isEqualTo("张三");
    }

    @Test
    void hangingUpARingingPhoneDeclines() throws Exception {
        phone.setBehaviour(PhoneBehaviour.noAnswer());
        TestPbx.OutboundEvents pbxSide = pbx.dial("agent1001", phone.contactUri(), CALLER);
        await().atMost(WAIT).until(() -> pbxSide.events.contains("ringing"));

        phone.hangup().get(5, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> pbxSide.events.contains("rejected:603"));
        assertThat(phone.history()).singleElement()
                .extracting(PhoneCall::endReason).isEqualTo(PhoneCall.EndReason.REJECTED_DECLINE);
    }
}
