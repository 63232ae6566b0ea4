package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SdpOfferAnswerTest {

    /** Asterisk's offer to agent1001 in 01-answered-call. */
    private static final String ASTERISK_OFFER = """
            v=0\r
            o=- 188960608 188960608 IN IP4 127.0.0.1\r
            s=Asterisk\r
            c=IN IP4 127.0.0.1\r
            t=0 0\r
            m=audio 10140 RTP/AVP 0 8 3 101\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:3 GSM/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-16\r
            a=ptime:20\r
            a=maxptime:140\r
            a=sendrecv\r
            """;

    @Test
    void answersWithTheCommonG711CodecsAndTelephoneEvent() {
        String answer = SdpOfferAnswer.answer(ASTERISK_OFFER, "127.0.0.1");

        assertThat(answer).containsPattern("m=audio \\d+ RTP/AVP 0 8 101\r\n")
                .contains("a=rtpmap:0 PCMU/8000").contains("a=rtpmap:8 PCMA/8000")
                .contains("a=rtpmap:101 telephone-event/8000").doesNotContain("GSM")
                .contains("c=IN IP4 127.0.0.1");
    }

    @Test
    void keepsTheOfferersOrderAndTelephoneEventPayloadType() {
        String offer = ASTERISK_OFFER.replace("RTP/AVP 0 8 3 101", "RTP/AVP 8 0 96").replace("rtpmap:101", "rtpmap:96");

        assertThat(SdpOfferAnswer.answer(offer, "127.0.0.1")).containsPattern("m=audio \\d+ RTP/AVP 8 0 96\r\n")
                .contains("a=rtpmap:96 telephone-event/8000");
    }

    @Test
    void answersWithoutTelephoneEventWhenNotOffered() {
        String offer = ASTERISK_OFFER.replace("RTP/AVP 0 8 3 101", "RTP/AVP 0").replace("a=rtpmap:101 telephone-event/8000\r\n", "");

        assertThat(SdpOfferAnswer.answer(offer, "127.0.0.1")).containsPattern("RTP/AVP 0\r\n").doesNotContain("telephone-event");
    }

    @Test
    void refusesAnOfferWithoutG711() {
        String gsmOnly = ASTERISK_OFFER.replace("RTP/AVP 0 8 3 101", "RTP/AVP 3");

        assertThatThrownBy(() -> SdpOfferAnswer.answer(gsmOnly, "127.0.0.1"))
                .isInstanceOf(SdpOfferAnswer.NotAcceptableException.class);
    }

    @Test
    void refusesTextThatIsNotSdp() {
        assertThatThrownBy(() -> SdpOfferAnswer.answer("hello", "127.0.0.1")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void offersPcmuPcmaAndTelephoneEvent101() {
        String offer = SdpOfferAnswer.offer("127.0.0.1");

        assertThat(offer).containsPattern("m=audio (\\d+) RTP/AVP 0 8 101\r\n").contains("a=fmtp:101 0-16");
        assertThat(SdpOfferAnswer.answer(offer, "127.0.0.1")).contains("RTP/AVP 0 8 101");
    }

    @Test
    void fakeMediaPortsAreEvenAndInAsterisksRange() {
        for (int i = 0; i < 10; i++) {
            int port = SdpOfferAnswer.fakeMediaPort();
            assertThat(port).isBetween(10_000, 19_998).isEven();
        }
    }
}
