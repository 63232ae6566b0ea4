package org.hotlinecti.sim.pbx.ami;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmiActionDecoderTest {

    private final List<AmiMessage> actions = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final AmiActionDecoder decoder = new AmiActionDecoder(8192, 128, new AmiActionDecoder.Listener() {
        @Override
        public void onAction(AmiMessage action) {
            actions.add(action);
        }

        @Override
        public void onMalformed(String message, String actionId) {
            errors.add(message + "|" + actionId);
        }
    });

    /** Every action our capture tool sent to the real Asterisk, concatenated as one client stream. */
    private static byte[] recordedActions() {
        StringBuilder sb = new StringBuilder();
        for (String[] f : new String[][] {
                {"09-ami-reconnect-and-restart", "actions.log"},
                {"09-ami-reconnect-and-restart", "actions-after-restart.log"},
                {"10-misc-actions", "actions.log"},
                {"10-misc-actions", "actions-bad-login.log"}}) {
            for (Traces.Block b : Traces.actionBlocks(f[0], f[1])) {
                if (b.sent()) {
                    sb.append(b.raw());
                }
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The same actions parsed independently of the decoder: split at CRLF CRLF, then at CRLF and ": ". */
    private static List<List<Map.Entry<String, String>>> expectedActions(byte[] stream) {
        List<List<Map.Entry<String, String>>> expected = new ArrayList<>();
        for (String block : new String(stream, StandardCharsets.UTF_8).split("\r\n\r\n")) {
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            for (String line : block.split("\r\n")) {
                int colon = line.indexOf(": ");
                fields.add(Map.entry(line.substring(0, colon), line.substring(colon + 2)));
            }
            expected.add(fields);
        }
        return expected;
    }

    @Test
    void decodesRecordedActionsFedWhole() {
        byte[] stream = recordedActions();
        decoder.feed(stream);
        assertThat(fieldsOf(actions)).isEqualTo(expectedActions(stream));
        assertThat(actions).hasSizeGreaterThan(20);
        assertThat(errors).isEmpty();
    }

    @Test
    void decodesRecordedActionsSplitAtEveryPosition() {
        byte[] stream = recordedActions();
        List<List<Map.Entry<String, String>>> expected = expectedActions(stream);
        for (int split = 1; split < stream.length; split++) {
            List<AmiMessage> got = new ArrayList<>();
            AmiActionDecoder d = new AmiActionDecoder(8192, 128, collecting(got));
            d.feed(stream, 0, split);
            d.feed(stream, split, stream.length - split);
            assertThat(fieldsOf(got)).as("split at %d", split).isEqualTo(expected);
        }
    }

    @Test
    void decodesRecordedActionsOneByteAtATime() {
        byte[] stream = recordedActions();
        for (byte b : stream) {
            decoder.feed(new byte[] {b});
        }
        assertThat(fieldsOf(actions)).isEqualTo(expectedActions(stream));
    }

    @Test
    void acceptsBareLineFeedsAndKeepsValueAfterBlanks() {
        decoder.feed("Action: Ping\nActionID:\t x 1 \n\nACTION:Logoff\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0).fields()).containsExactly(Map.entry("Action", "Ping"), Map.entry("ActionID", "x 1 "));
        assertThat(actions.get(1).get("Action")).contains("Logoff");
    }

    @Test
    void emptyLineAloneIsAnActionWithoutHeaders() {
        decoder.feed("\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(actions).singleElement().satisfies(a -> assertThat(a.fields()).isEmpty());
    }

    @Test
    void loneCarriageReturnIsLineContent() {
        decoder.feed("Action: Ping\rX\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(actions).singleElement().satisfies(a -> assertThat(a.getOrEmpty("Action")).isEqualTo("Ping\rX"));
    }

    @Test
    void lineWithoutColonIsIgnored() {
        decoder.feed("Action: Ping\r\ngarbage\r\nActionID: 7\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(actions.get(0).fields()).extracting(Map.Entry::getKey).containsExactly("Action", "ActionID");
    }

    @Test
    void keepsUtf8Values() {
        decoder.feed("Action: Originate\r\nCallerID: \"张三\" <1001>\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(actions.get(0).getOrEmpty("CallerID")).isEqualTo("\"张三\" <1001>");
    }

    @Test
    void lineLongerThanTheLimitFailsOnceWithActionIdSeenSoFar() {
        byte[] longValue = new byte[8200];
        Arrays.fill(longValue, (byte) 'a');
        decoder.feed("Action: Setvar\r\nActionID: big\r\nValue: ".getBytes(StandardCharsets.US_ASCII));
        decoder.feed(longValue);
        decoder.feed("\r\n\r\nAction: Ping\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(errors).containsExactly(AmiActionDecoder.LINE_TOO_LONG + "|big");
        assertThat(actions).isEmpty();
        assertThat(decoder.failed()).isTrue();
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() {
        String value = "b".repeat(8192 - "Value: ".length());
        decoder.feed(("Action: Setvar\r\nValue: " + value + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(errors).isEmpty();
        assertThat(actions.get(0).getOrEmpty("Value")).hasSize(value.length());
    }

    @Test
    void moreThan128HeaderLinesFails() {
        StringBuilder sb = new StringBuilder("Action: Originate\r\n");
        for (int i = 0; i < 128; i++) {
            sb.append("Variable: v").append(i).append("=1\r\n");
        }
        decoder.feed(sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(errors).containsExactly(AmiActionDecoder.TOO_MANY_HEADERS + "|");
        assertThat(actions).isEmpty();
    }

    @Test
    void exactly128HeaderLinesAreAccepted() {
        StringBuilder sb = new StringBuilder("Action: Originate\r\n");
        for (int i = 0; i < 127; i++) {
            sb.append("Variable: v").append(i).append("=1\r\n");
        }
        decoder.feed(sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(errors).isEmpty();
        assertThat(actions.get(0).getAll("Variable")).hasSize(127).endsWith("v126=1");
        assertThat(actions.get(0).fields()).hasSize(128);
    }

    private static AmiActionDecoder.Listener collecting(List<AmiMessage> into) {
        return new AmiActionDecoder.Listener() {
            @Override
            public void onAction(AmiMessage action) {
                into.add(action);
            }

            @Override
            public void onMalformed(String message, String actionId) {
                throw new AssertionError(message);
            }
        };
    }

    private static List<List<Map.Entry<String, String>>> fieldsOf(List<AmiMessage> messages) {
        List<List<Map.Entry<String, String>>> out = new ArrayList<>();
        for (AmiMessage m : messages) {
            out.add(m.fields());
        }
        return out;
    }
}
