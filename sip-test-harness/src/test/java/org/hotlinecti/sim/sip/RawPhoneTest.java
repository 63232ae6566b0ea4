package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sim PBX dialling a text-only phone, to check what goes on the wire (From, To, SDP) and PJSIP's CANCEL rules
 * that a well-behaved phone never exercises. T1 is 20 ms so that 64*T1 timeouts take about a second.
 */
class RawPhoneTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String PHONE_SDP = "v=0\no=user1 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
            + "m=audio 6100 RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\na=rtpmap:101 telephone-event/8000\n";

    private TestPbx pbx;
    private RawSipPeer phone;

    @BeforeEach
    void start() throws Exception {
        pbx = TestPbx.start(Clock.systemUTC(), Duration.ofMillis(20));
        phone = new RawSipPeer();
    }

    @AfterEach
    void stop() {
        phone.close();
        pbx.close();
    }

    private String contact() {
        return "sip:agent1001@127.0.0.1:" + phone.port();
    }

    @Test
    void inviteCarriesTheCallerIdAndAnOffer() throws Exception {
        pbx.dial("agent1001", contact(), new CallerId("13800001111", "Zhang San"));

        RawSipPeer.Message invite = phone.expect(m -> m.isRequest("INVITE"), WAIT);

        assertThat(invite.startLine()).isEqualTo("INVITE " + contact() + " SIP/2.0");
        assertThat(invite.header("From")).hasValueSatisfying(v ->
                assertThat(v).startsWith("\"Zhang San\" <sip:13800001111@127.0.0.1>;tag="));
        assertThat(invite.header("To")).contains("<sip:agent1001@127.0.0.1>");
        assertThat(invite.header("Contact")).hasValueSatisfying(v ->
                assertThat(v).contains("sip:asterisk@127.0.0.1:" + pbx.port()));
        assertThat(invite.body()).contains(" RTP/AVP 0 8 101").contains("telephone-event/8000");
    }

    @Test
    void cancelBeforeAnyProvisionalWaitsForTheFirstOne() throws Exception {
        TestPbx.OutboundEvents events = new TestPbx.OutboundEvents();
        OutboundLeg leg = pbx.endpoint.dial("agent1001", contact(), new CallerId("13800001111", "Zhang San"), events);
        RawSipPeer.Message invite = phone.expect(m -> m.isRequest("INVITE"), WAIT);

        leg.cancel();

        // RFC 3261 §9.1: no CANCEL may come before a provisional response; only INVITE retransmissions may.
        List<RawSipPeer.Message> early = phone.drain(Duration.ofMillis(300));
        assertThat(early).allMatch(m -> m.isRequest("INVITE"));
        phone.send(invite.response(180, "Ringing", "phone1", "Contact: <" + contact() + ">", ""), pbx.port());
        RawSipPeer.Message cancel = phone.expect(m -> m.isRequest("CANCEL"), WAIT);
        phone.send(cancel.response(200, "OK", "phone1", "", ""), pbx.port());
        phone.send(invite.response(487, "Request Terminated", "phone1", "", ""), pbx.port());
        phone.expect(m -> m.isRequest("ACK"), WAIT);

        await().atMost(WAIT).until(() -> !events.events.isEmpty());
        assertThat(events.events).as("no ringing once cancel was asked for").containsExactly("rejected:487");
    }

    @Test
    void a200CrossingTheCancelIsAckedAndHungUp() throws Exception {
        TestPbx.OutboundEvents events = new TestPbx.OutboundEvents();
        OutboundLeg leg = pbx.endpoint.dial("agent1001", contact(), new CallerId("13800001111", null), events);
        RawSipPeer.Message invite = phone.expect(m -> m.isRequest("INVITE"), WAIT);
        phone.send(invite.response(180, "Ringing", "phone2", "Contact: <" + contact() + ">", ""), pbx.port());
        await().atMost(WAIT).until(() -> events.events.contains("ringing"));

        leg.cancel();
        RawSipPeer.Message cancel = phone.expect(m -> m.isRequest("CANCEL"), WAIT);
        phone.send(cancel.response(200, "OK", "phone2", "", ""), pbx.port());
        phone.send(invite.response(200, "OK", "phone2", "Contact: <" + contact() + ">\nContent-Type: application/sdp",
                PHONE_SDP), pbx.port());

        phone.expect(m -> m.isRequest("ACK"), WAIT);
        RawSipPeer.Message bye = phone.expect(m -> m.isRequest("BYE"), WAIT);
        phone.send(bye.response(200, "OK", null, "", ""), pbx.port());
        await().atMost(WAIT).until(() -> events.events.size() == 2);
        assertThat(events.events).containsExactly("ringing", "rejected:487");
    }

    @Test
    void aPhoneThatIgnoresTheCancelIsGivenUpAfter64T1() throws Exception {
        TestPbx.OutboundEvents events = new TestPbx.OutboundEvents();
        OutboundLeg leg = pbx.endpoint.dial("agent1001", contact(), new CallerId("13800001111", null), events);
        RawSipPeer.Message invite = phone.expect(m -> m.isRequest("INVITE"), WAIT);
        phone.send(invite.response(180, "Ringing", "phone3", "Contact: <" + contact() + ">", ""), pbx.port());
        await().atMost(WAIT).until(() -> events.events.contains("ringing"));

        leg.hangup();

        phone.expect(m -> m.isRequest("CANCEL"), WAIT);
        await().atMost(WAIT).until(() -> events.events.size() == 2);
        assertThat(events.events).containsExactly("ringing", "rejected:487");
    }

    @Test
    void anUnreachableContactFails() {
        int deadPort = phone.port();
        phone.close();

        TestPbx.OutboundEvents events = pbx.dial("agent1001", "sip:agent1001@127.0.0.1:" + deadPort,
                new CallerId("13800001111", null));

        await().atMost(WAIT).until(() -> !events.events.isEmpty());
        assertThat(events.events).containsExactly("failed");
    }
}
