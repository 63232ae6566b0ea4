package org.hotlinecti.cti.asterisk.agi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Asterisk's bytes from the traces, fed whole, split at every position and one byte at a time. */
class AgiStreamDecoderTest {

    private static final String DEAD = "511 Command Not Permitted on a dead channel or intercept routine";

    /** What the decoder reported, as comparable text. */
    private static final class Recorder implements AgiStreamDecoder.Listener {

        final List<String> events = new ArrayList<>();
        AgiRequest request;

        @Override
        public void header(AgiRequest request) {
            this.request = request;
            events.add("header " + request.variables().size());
        }

        @Override
        public void reply(AgiReply reply) {
            events.add((reply.hangupNotified() ? "HANGUP+" : "") + reply.code() + " result=" + reply.result()
                    + " extra=" + reply.extra() + " endpos=" + reply.endPos());
        }

        @Override
        public void protocolError(String message) {
            events.add("error " + message);
        }
    }

    private static final List<String> FLOW_07 = List.of(
            "header 22",
            "200 result=0 extra=null endpos=3404",
            "200 result=-1 extra=null endpos=-1",
            "HANGUP+200 result=1 extra=null endpos=-1",
            "200 result=1 extra=1795322476.20 endpos=-1",
            "511 result=null extra=null endpos=-1",
            "511 result=null extra=null endpos=-1",
            "200 result=1 extra=null endpos=-1");

    @Test
    void hangupTraceWholeGivesHeaderRepliesAndTheHangupLine() {
        Recorder recorder = new Recorder();
        new AgiStreamDecoder(recorder).feed(AgiTraces.received("07-caller-hangup-during-agi", 1));

        assertThat(recorder.events).isEqualTo(FLOW_07);
        assertThat(recorder.request.script()).isEqualTo("inbound");
        assertThat(recorder.request.channel()).isEqualTo("PJSIP/trunk-00000012");
        assertThat(recorder.request.uniqueId()).isEqualTo("1795322476.20");
        assertThat(recorder.request.get("accountcode")).isEmpty();
    }

    @Test
    void hangupTraceSplitAnywhereGivesTheSameEvents() {
        byte[] bytes = AgiTraces.received("07-caller-hangup-during-agi", 1);
        for (int split = 1; split < bytes.length; split++) {
            Recorder recorder = new Recorder();
            AgiStreamDecoder decoder = new AgiStreamDecoder(recorder);
            decoder.feed(Arrays.copyOfRange(bytes, 0, split));
            decoder.feed(Arrays.copyOfRange(bytes, split, bytes.length));
            assertThat(recorder.events).as("split at %d", split).isEqualTo(FLOW_07);
        }
    }

    @Test
    void hangupTraceOneByteAtATimeGivesTheSameEvents() {
        byte[] bytes = AgiTraces.received("07-caller-hangup-during-agi", 1);
        Recorder recorder = new Recorder();
        AgiStreamDecoder decoder = new AgiStreamDecoder(recorder);
        for (byte b : bytes) {
            decoder.feed(new byte[] {b});
        }
        assertThat(recorder.events).isEqualTo(FLOW_07);
    }

    @Test
    void voicemailTraceGivesTheHangupOfRecordFile() {
        Recorder recorder = new Recorder();
        new AgiStreamDecoder(recorder).feed(AgiTraces.received("06-voicemail", 1));

        assertThat(recorder.events).startsWith("header 22", "200 result=-1 extra=hangup endpos=24240",
                "HANGUP+200 result=1 extra=null endpos=-1");
        assertThat(recorder.request.script()).isEqualTo("voicemail");
    }

    @Test
    void usageBlockIsOneReply() {
        Recorder recorder = new Recorder();
        AgiStreamDecoder decoder = new AgiStreamDecoder(recorder);
        decoder.feed(bytes("agi_network: yes\n\n520-Invalid command syntax.  Proper usage follows:\n"
                + " Usage: GET DATA <file to be streamed> [timeout] [maxdigits]\n520 End of proper usage.\n"
                + "200 result=1\n"));

        assertThat(recorder.events).containsExactly("header 1", "520 result=null extra=null endpos=-1",
                "200 result=1 extra=null endpos=-1");
    }

    @Test
    void crLfLineEndsAreAccepted() {
        Recorder recorder = new Recorder();
        new AgiStreamDecoder(recorder).feed(bytes("agi_network: yes\r\nagi_channel: PJSIP/x-1\r\n\r\n"
                + "200 result= (timeout)\r\n"));

        assertThat(recorder.events).containsExactly("header 2", "200 result= extra=timeout endpos=-1");
        assertThat(recorder.request.channel()).isEqualTo("PJSIP/x-1");
    }

    @Test
    void overlongLineIsAProtocolErrorAndStopsDecoding() {
        Recorder recorder = new Recorder();
        AgiStreamDecoder decoder = new AgiStreamDecoder(recorder);
        decoder.feed(bytes("agi_network: yes\n\n"));
        decoder.feed(bytes("200 result=1 (" + "x".repeat(AgiStreamDecoder.MAX_LINE_BYTES) + ")\n200 result=1\n"));

        assertThat(recorder.events).containsExactly("header 1",
                "error line longer than " + AgiStreamDecoder.MAX_LINE_BYTES + " bytes");
    }

    @Test
    void notFastAgiIsAProtocolError() {
        Recorder recorder = new Recorder();
        new AgiStreamDecoder(recorder).feed(bytes("GET / HTTP/1.1\nHost: x\n\n"));

        assertThat(recorder.events).containsExactly("error not an agi_* header line: \"GET / HTTP/1.1\"");
    }

    @Test
    void garbageReplyIsAProtocolError() {
        Recorder recorder = new Recorder();
        new AgiStreamDecoder(recorder).feed(bytes("agi_network: yes\n\nhello\n"));

        assertThat(recorder.events).containsExactly("header 1", "error not an AGI reply: \"hello\"");
    }

    @Test
    void requestGivesQueryParametersAndArguments() {
        Recorder recorder = new Recorder();
        new AgiStreamDecoder(recorder).feed(bytes("agi_network_script: /inbound?line=12315&note=a%20b\n"
                + "agi_request: agi://127.0.0.1:4573/inbound?line=12315&note=a%20b\n"
                + "agi_arg_1: first\nagi_arg_2: \n\n"));

        assertThat(recorder.request.script()).isEqualTo("inbound");
        assertThat(recorder.request.arguments()).containsExactly(
                java.util.Map.entry("line", "12315"), java.util.Map.entry("note", "a b"),
                java.util.Map.entry("arg_1", "first"), java.util.Map.entry("arg_2", ""));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
