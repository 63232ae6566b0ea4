package org.hotlinecti.cti.asterisk.ami;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AmiDecoderTest {

    private final List<String> banners = new ArrayList<>();
    private final List<AmiMessage> messages = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final AmiDecoder.Sink sink = new AmiDecoder.Sink() {
        @Override
        public void banner(String banner) {
            banners.add(banner);
        }

        @Override
        public void message(AmiMessage message) {
            messages.add(message);
        }

        @Override
        public void malformed(String problem, String actionId) {
            problems.add(problem + " / " + actionId);
        }
    };

    @ParameterizedTest
    @ValueSource(strings = {"01-answered-call", "03-agent-no-answer", "08-originate-and-bridge",
        "09-ami-reconnect-and-restart", "10-misc-actions"})
    void recordedTraceDecodesTheSameWholeSplitAndByteByByte(String flow) {
        byte[] raw = trace(flow);
        int expected = countPackets(raw);

        List<AmiMessage> whole = decode(raw, raw.length);
        List<AmiMessage> split = decode(raw, 1_000);
        List<AmiMessage> bytes = decode(raw, 1);

        assertThat(whole).hasSize(expected);
        assertThat(split).isEqualTo(whole);
        assertThat(bytes).isEqualTo(whole);
        assertThat(banners).containsOnly("Asterisk Call Manager/11.0.0");
        assertThat(problems).isEmpty();
    }

    @Test
    void fieldsKeepOrderEmptyValuesAndCaseInsensitiveKeys() {
        String text = "Asterisk Call Manager/11.0.0\r\n"
                + "Event: Newchannel\r\nPrivilege: call,all\r\nAccountCode: \r\nCallerIDName: 张三\r\n"
                + "ConnectedLineNum: <unknown>\r\nVariable: A=1\r\nVariable: B=2\r\n\r\n";
        AmiDecoder decoder = new AmiDecoder(sink);

        decoder.feed(text.getBytes(StandardCharsets.UTF_8));

        AmiMessage m = messages.get(0);
        assertThat(m.eventName()).isEqualTo("Newchannel");
        assertThat(m.get("accountcode")).isEmpty();
        assertThat(m.get("CALLERIDNAME")).isEqualTo("张三");
        assertThat(m.get("ConnectedLineNum")).isEqualTo("<unknown>");
        assertThat(m.getAll("Variable")).containsExactly("A=1", "B=2");
        assertThat(m.get("Missing")).isNull();
        assertThat(m.isResponse()).isFalse();
    }

    @Test
    void bareLfLinesAndStrayBlankLinesAreAccepted() {
        AmiDecoder decoder = new AmiDecoder(sink);

        decoder.feed("\r\n\nResponse: Success\nActionID: 1\n\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(messages).containsExactly(AmiMessage.of("Response", "Success", "ActionID", "1"));
    }

    @Test
    void overlongLineBreaksOnlyItsPacket() {
        AmiDecoder decoder = new AmiDecoder(sink, 100, 50);
        String longValue = "x".repeat(500);

        decoder.feed(("Response: Error\r\nActionID: 7\r\nMessage: " + longValue + "\r\n\r\n"
                + "Event: Ping\r\nPrivilege: system,all\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(problems).containsExactly("line longer than 100 bytes / 7");
        assertThat(messages).containsExactly(AmiMessage.of("Event", "Ping", "Privilege", "system,all"));
    }

    @Test
    void overlongLineSplitAcrossChunksIsSkippedToo() {
        AmiDecoder decoder = new AmiDecoder(sink, 100, 50);
        byte[] bytes = ("Event: A\r\nData: " + "y".repeat(1_000) + "\r\n\r\nEvent: B\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        for (int i = 0; i < bytes.length; i += 7) {
            decoder.feed(bytes, i, Math.min(7, bytes.length - i));
        }

        assertThat(problems).containsExactly("line longer than 100 bytes / null");
        assertThat(messages).containsExactly(AmiMessage.of("Event", "B"));
    }

    @Test
    void tooManyLinesBreakThePacket() {
        AmiDecoder decoder = new AmiDecoder(sink, 100, 3);

        decoder.feed("Event: A\r\nB: 1\r\nC: 2\r\nD: 3\r\n\r\nEvent: E\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(problems).containsExactly("more than 3 lines in one packet / null");
        assertThat(messages).containsExactly(AmiMessage.of("Event", "E"));
    }

    private List<AmiMessage> decode(byte[] raw, int chunk) {
        messages.clear();
        AmiDecoder decoder = new AmiDecoder(sink);
        for (int i = 0; i < raw.length; i += chunk) {
            decoder.feed(raw, i, Math.min(chunk, raw.length - i));
        }
        return List.copyOf(messages);
    }

    /** Packets in a raw log: blocks separated by CRLF CRLF after the banner line. */
    private static int countPackets(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        String body = text.substring(text.indexOf("\r\n") + 2);
        int count = 0;
        for (String block : body.split("\r\n\r\n")) {
            if (!block.isBlank()) {
                count++;
            }
        }
        return count;
    }

    static byte[] trace(String flow) {
        Path path = Path.of(System.getProperty("hotline.traces.dir"), flow, "ami.log");
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
