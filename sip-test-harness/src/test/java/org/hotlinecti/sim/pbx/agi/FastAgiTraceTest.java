package org.hotlinecti.sim.pbx.agi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinecti.sim.pbx.agi.AgiChannelPort.Playback;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.ami.TraceMessages;
import org.hotlinecti.sim.pbx.ami.Traces;
import org.junit.jupiter.api.Test;

/**
 * Replays the FastAGI server side of every recorded session (the commands of {@code agi-N.tx.raw}) against the
 * client, with a fake channel doing what the real call did, and checks that the client sends exactly the bytes
 * Asterisk sent ({@code agi-N.rx.raw}: header, replies, the delayed HANGUP line) and reports the same
 * AGIExecEnd results as the recorded AMI events.
 */
class FastAgiTraceTest {

    private static final Playback BEEP = new Playback((char) 0, 3404);
    private static final Playback SILENCE = new Playback((char) 0, 8000);

    @Test
    void answeredCallInboundScriptWithDigitOne() throws Exception {
        FakeChannel ch = channel("01-answered-call", "agi-1").plays(BEEP, SILENCE).digits('1')
                .variable("CHANNEL(linkedid)", "1795322295.2");
        replay("01-answered-call", "agi-1", ch, AgiResult.SUCCESS);
        assertThat(ch.variables).containsEntry("IVR_CHOICE", "1").containsEntry("PLAYBACKSTATUS", "SUCCESS");
        assertThat(ch.digitWaits).containsExactly(Duration.ofMillis(5000));
    }

    @Test
    void answeredCallSurveyScriptWithDigitFive() throws Exception {
        FakeChannel ch = channel("01-answered-call", "agi-2").plays(BEEP, SILENCE).digits('5')
                .variable("CTI_AGENT", "1001").variable("IVR_CHOICE", "1");
        replay("01-answered-call", "agi-2", ch, AgiResult.SUCCESS);
        assertThat(ch.variables).containsEntry("SURVEY_SCORE", "5");
        assertThat(ch.digitWaits).containsExactly(Duration.ofMillis(10000));
    }

    @Test
    void getDataTimesOut() throws Exception {
        FakeChannel ch = channel("02-abandon-in-queue", "agi-1").plays(BEEP, SILENCE).digits((char) 0)
                .variable("CHANNEL(linkedid)", "1795322317.4");
        replay("02-abandon-in-queue", "agi-1", ch, AgiResult.SUCCESS);
    }

    @Test
    void callerHangsUpDuringRecordFile() throws Exception {
        FakeChannel ch = channel("06-voicemail", "agi-1").records(FakeChannel.DIES).diesAt(24240)
                .variable("CHANNEL(linkedid)", "1795322467.19");
        replay("06-voicemail", "agi-1", ch, AgiResult.HANGUP);
        assertThat(ch.calls).contains("record /var/spool/asterisk/voicemail/vm-1795322467.19 wav [#] 20000 beep=true"
                + " silence=none");
        assertThat(ch.execEnds()).isEqualTo(recordedExecEnds("06-voicemail"));
    }

    @Test
    void callerHangsUpDuringGetData() throws Exception {
        FakeChannel ch = channel("07-caller-hangup-during-agi", "agi-1").plays(BEEP, SILENCE)
                .digits(FakeChannel.DIES).variable("CHANNEL(linkedid)", "1795322476.20");
        replay("07-caller-hangup-during-agi", "agi-1", ch, AgiResult.HANGUP);
        assertThat(ch.execEnds()).isEqualTo(recordedExecEnds("07-caller-hangup-during-agi"));
        assertThat(ch.variables).containsEntry("AGI_SAW_HANGUP", "yes");
    }

    @Test
    void redirectDuringGetDataLooksLikeAHangup() throws Exception {
        FakeChannel ch = channel("11-redirect-during-agi", "agi-1").plays(BEEP, SILENCE)
                .digits(FakeChannel.DIES).variable("CHANNEL(linkedid)", "1795322536.0");
        replay("11-redirect-during-agi", "agi-1", ch, AgiResult.HANGUP);
        FakeChannel survey = channel("11-redirect-during-agi", "agi-2").plays(BEEP, SILENCE)
                .digits(FakeChannel.DIES).variable("CHANNEL(linkedid)", "1795322536.0");
        replay("11-redirect-during-agi", "agi-2", survey, AgiResult.HANGUP);
    }

    private static FakeChannel channel(String flow, String agi) {
        Map<String, String> env = new LinkedHashMap<>();
        String rx = Traces.text(flow, agi + ".rx.raw");
        for (String line : rx.substring(0, rx.indexOf("\n\n")).split("\n")) {
            int colon = line.indexOf(": ");
            env.put(line.substring("agi_".length(), colon), line.substring(colon + 2));
        }
        return new FakeChannel(env);
    }

    private static void replay(String flow, String agi, FakeChannel ch, AgiResult expected) throws Exception {
        String tx = Traces.text(flow, agi + ".tx.raw");
        List<String> commands = List.of(tx.split("\n"));
        String request = ch.agiEnvironment().get("request");
        try (ScriptedFastAgiServer server = new ScriptedFastAgiServer(commands, true)) {
            // Connect to the test server, but report the recorded agi_request (it comes from the environment).
            AgiResult result = FastAgiClient.run(server.url(request.substring(request.lastIndexOf('/') + 1)), ch,
                    Duration.ofSeconds(2));
            assertThat(server.receivedText()).isEqualTo(
                    new String(Traces.bytes(flow, agi + ".rx.raw"), StandardCharsets.UTF_8));
            assertThat(result).isEqualTo(expected);
        }
        assertThat(ch.execIds).allMatch(id -> id > 0);
    }

    /** "Command -> ResultCode Result" of every AGIExecEnd in the flow's AMI trace. */
    private static List<String> recordedExecEnds(String flow) {
        List<String> ends = new ArrayList<>();
        for (String raw : TraceMessages.split(Traces.text(flow, "ami.log"))) {
            AmiMessage m = TraceMessages.parse(raw.startsWith("Asterisk Call Manager")
                    ? raw.substring(raw.indexOf("\r\n") + 2) : raw);
            if (m.getOrEmpty("Event").equals("AGIExecEnd")) {
                ends.add(m.getOrEmpty("Command") + " -> " + m.getOrEmpty("ResultCode") + " " + m.getOrEmpty("Result"));
            }
        }
        return ends;
    }
}
