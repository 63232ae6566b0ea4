package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sim PBX endpoint against a text-only caller that sends what SIPp sent to Asterisk in
 * {@code 01-answered-call/sipp-caller-uac.xml} and {@code 03-agent-no-answer} (INFO DTMF), plus malformed variants.
 */
class SippStyleCallerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SIPP_SDP = """
            v=0
            o=user1 53655765 2353687637 IN IP4 127.0.0.1
            s=-
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 6000 RTP/AVP 0 8 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            """;

    private TestPbx pbx;
    private RawSipPeer sipp;
    private final String callId = UUID.randomUUID() + "@127.0.0.1";
    private String toTag;
    private String contact;
    private int cseq = 1;

    @BeforeEach
    void start() throws Exception {
        pbx = TestPbx.start();
        pbx.endpoint.defineEndpoint("agent1001", "sip:agent1001@127.0.0.1:5071", "agent1001-pw");
        sipp = new RawSipPeer();
    }

    @AfterEach
    void stop() {
        sipp.close();
        pbx.close();
    }

    private String from() {
        return "sipp <sip:sipp@127.0.0.1:" + sipp.port() + ">;tag=31225SIPpTag091";
    }

    private void invite(String fromUser, String sdp) throws Exception {
        sipp.sendRequest("""
                INVITE sip:12345@127.0.0.1:%2$d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%1$d;branch=z9hG4bK-31225-1-0
                From: %4$s <sip:%4$s@127.0.0.1:%1$d>;tag=31225SIPpTag091
                To: 12345 <sip:12345@127.0.0.1:%2$d>
                Call-ID: %3$s
                CSeq: 1 INVITE
                Contact: sip:%4$s@127.0.0.1:%1$d
                Max-Forwards: 70
                Content-Type: application/sdp
                """.formatted(sipp.port(), pbx.port(), callId, fromUser), sdp, pbx.port());
    }

    private RawSipPeer.Message inDialog(String method, String extraHeaders, String body) throws Exception {
        cseq++;
        sipp.sendRequest("""
                %5$s %6$s SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%1$d;branch=z9hG4bK-31225-1-%4$d
                From: %7$s
                To: 12345 <sip:12345@127.0.0.1:%2$d>;tag=%8$s
                Call-ID: %3$s
                CSeq: %4$d %5$s
                Contact: sip:sipp@127.0.0.1:%1$d
                Max-Forwards: 70
                %9$s
                """.formatted(sipp.port(), pbx.port(), callId, cseq, method, contact, from(), toTag,
                extraHeaders), body, pbx.port());
        return sipp.expect(m -> m.statusCode() >= 200 && m.cseqMethod().equals(method), WAIT);
    }

    private void answeredCall() throws Exception {
        invite("sipp", SIPP_SDP);
        sipp.expect(m -> m.isResponse(100, "INVITE"), WAIT);
        RawSipPeer.Message ok = sipp.expect(m -> m.isResponse(200, "INVITE"), WAIT);
        toTag = ok.toTag();
        String c = ok.header("Contact").orElseThrow();
        contact = c.substring(c.indexOf('<') + 1, c.indexOf('>'));
        sipp.sendRequest("""
                ACK %4$s SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%1$d;branch=z9hG4bK-31225-1-5
                From: %5$s
                To: 12345 <sip:12345@127.0.0.1:%2$d>;tag=%6$s
                Call-ID: %3$s
                CSeq: 1 ACK
                Contact: sip:sipp@127.0.0.1:%1$d
                Max-Forwards: 70
                """.formatted(sipp.port(), pbx.port(), callId, contact, from(), toTag), "", pbx.port());
    }

    @Test
    void answersLikePjsipAndTakesDtmfAsInfo() throws Exception {
        invite("sipp", SIPP_SDP);

        RawSipPeer.Message trying = sipp.expect(m -> m.statusCode() > 0, WAIT);
        assertThat(trying.startLine()).isEqualTo("SIP/2.0 100 Trying");
        assertThat(trying.toTag()).isNull();
        RawSipPeer.Message ok = sipp.expect(m -> m.isResponse(200, "INVITE"), WAIT);
        assertThat(ok.toTag()).isNotBlank();
        assertThat(ok.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("application/sdp"));
        assertThat(ok.body()).contains("m=audio ").contains(" RTP/AVP 0 8 101").contains("a=rtpmap:101 telephone-event/8000");
        assertThat(ok.header("Contact")).hasValueSatisfying(v -> assertThat(v).contains("sip:127.0.0.1:" + pbx.port()));
        TestPbx.InboundCall call = pbx.call(callId);
        assertThat(call.leg.fromUser()).isEqualTo("sipp");
        assertThat(call.leg.toUser()).isEqualTo("12345");
        toTag = ok.toTag();
        String c = ok.header("Contact").orElseThrow();
        contact = c.substring(c.indexOf('<') + 1, c.indexOf('>'));
        sipp.sendRequest("""
                ACK %4$s SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%1$d;branch=z9hG4bK-31225-1-5
                From: %5$s
                To: 12345 <sip:12345@127.0.0.1:%2$d>;tag=%6$s
                Call-ID: %3$s
                CSeq: 1 ACK
                Max-Forwards: 70
                """.formatted(sipp.port(), pbx.port(), callId, contact, from(), toTag), "", pbx.port());

        assertThat(inDialog("INFO", "Content-Type: application/dtmf-relay", "Signal=1\r\nDuration=250\r\n")
                .statusCode()).isEqualTo(200);
        assertThat(inDialog("INFO", "Content-Type: application/dtmf", "5").statusCode()).isEqualTo(200);
        assertThat(call.dtmf).containsExactly("1/250", "5/" + DtmfInfo.DEFAULT_DURATION_MS);

        assertThat(inDialog("BYE", "", "").statusCode()).isEqualTo(200);
        assertThat(call.remoteHangups).hasValue(1);
    }

    @Test
    void badInfoBodiesGetClearErrors() throws Exception {
        answeredCall();
        TestPbx.InboundCall call = pbx.call(callId);

        RawSipPeer.Message unsupported = inDialog("INFO", "Content-Type: text/plain", "1");
        assertThat(unsupported.statusCode()).isEqualTo(415);
        assertThat(unsupported.header("Accept")).hasValueSatisfying(v -> assertThat(v).contains("application/dtmf-relay"));
        assertThat(inDialog("INFO", "Content-Type: application/dtmf-relay", "Signal=x\r\n").statusCode()).isEqualTo(400);
        assertThat(inDialog("INFO", "Content-Type: application/dtmf-relay", "Duration=250\r\n").statusCode())
                .isEqualTo(400);
        assertThat(inDialog("INFO", "", "").statusCode()).as("empty INFO keep-alive").isEqualTo(200);
        assertThat(call.dtmf).isEmpty();
    }

    @Test
    void offerWithoutG711IsNotAcceptable() throws Exception {
        invite("sipp", SIPP_SDP.replace("RTP/AVP 0 8 101", "RTP/AVP 3").replaceAll("a=rtpmap:[08] .*\n", ""));

        assertThat(sipp.expect(m -> m.statusCode() >= 200, WAIT).statusCode()).isEqualTo(488);
        assertThat(pbx.inbound).isEmpty();
    }

    @Test
    void invitesFromAgentEndpointsAreForbidden() throws Exception {
        invite("agent1001", SIPP_SDP);

        assertThat(sipp.expect(m -> m.statusCode() >= 200, WAIT).statusCode()).isEqualTo(403);
        assertThat(pbx.inbound).isEmpty();
    }

    @Test
    void optionsAreAnswered() throws Exception {
        sipp.sendRequest("""
                OPTIONS sip:127.0.0.1:%2$d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%1$d;branch=z9hG4bK-opt-1
                From: sipp <sip:sipp@127.0.0.1:%1$d>;tag=opt1
                To: <sip:127.0.0.1:%2$d>
                Call-ID: %3$s
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                """.formatted(sipp.port(), pbx.port(), callId), "", pbx.port());

        RawSipPeer.Message ok = sipp.expect(m -> m.statusCode() >= 200, WAIT);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.header("Allow")).hasValueSatisfying(v -> assertThat(v).contains("INVITE").contains("INFO"));
    }
}
