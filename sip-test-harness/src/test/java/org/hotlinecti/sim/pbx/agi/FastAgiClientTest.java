package org.hotlinecti.sim.pbx.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinecti.sim.pbx.agi.AgiChannelPort.Playback;
import org.hotlinecti.sim.pbx.agi.AgiChannelPort.Recording;
import org.junit.jupiter.api.Test;

class FastAgiClientTest {

    private static final String DEAD = "511 Command Not Permitted on a dead channel or intercept routine\n";

    private static FakeChannel channel() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("channel", "PJSIP/trunk-00000002");
        env.put("uniqueid", "1795322295.2");
        env.put("version", "22.10.1");
        return new FakeChannel(env);
    }

    /** Runs the commands against the channel and returns the reply to each. */
    private static List<String> run(FakeChannel ch, String... commands) throws Exception {
        try (ScriptedFastAgiServer server = new ScriptedFastAgiServer(List.of(commands), true)) {
            AgiResult r = FastAgiClient.run(server.url("inbound"), ch, Duration.ofSeconds(2));
            assertThat(r).isNotEqualTo(AgiResult.FAILURE);
            return server.replies();
        }
    }

    @Test
    void headerHasTheStandardVariablesInOrderThenArgs() throws Exception {
        FakeChannel ch = channel();
        try (ScriptedFastAgiServer server = new ScriptedFastAgiServer(List.of(), true)) {
            String url = server.url("inbound?x=1");
            assertThat(FastAgiClient.run(url, List.of("12345", "李"), ch, Duration.ofSeconds(2)))
                    .isEqualTo(AgiResult.SUCCESS);
            assertThat(server.receivedText()).isEqualTo("agi_network: yes\nagi_network_script: inbound?x=1\n"
                    + "agi_request: " + url + "\nagi_channel: PJSIP/trunk-00000002\nagi_language: \nagi_type: \n"
                    + "agi_uniqueid: 1795322295.2\nagi_version: 22.10.1\nagi_callerid: \nagi_calleridname: \n"
                    + "agi_callingpres: \nagi_callingani2: \nagi_callington: \nagi_callingtns: \nagi_dnid: \n"
                    + "agi_rdnis: \nagi_context: \nagi_extension: \nagi_priority: \nagi_enhanced: 0.0\n"
                    + "agi_accountcode: \nagi_threadid: \nagi_arg_1: 12345\nagi_arg_2: 李\n\n");
        }
    }

    @Test
    void answerNoopAndVerbose() throws Exception {
        FakeChannel ch = channel();
        assertThat(run(ch, "ANSWER", "noop", "VERBOSE \"hello\" 3"))
                .containsExactly("200 result=0\n", "200 result=0\n", "200 result=1\n");
        assertThat(ch.calls).containsExactly("answer");
        assertThat(ch.execEnds()).containsExactly("ANSWER -> 200 Success", "noop -> 200 Success",
                "VERBOSE \"hello\" 3 -> 200 Success");
    }

    @Test
    void streamFileReportsTheEscapeDigitAsAscii() throws Exception {
        FakeChannel ch = channel().plays(new Playback('#', 1600));
        assertThat(run(ch, "STREAM FILE welcome \"#*\" 0")).containsExactly("200 result=35 endpos=1600\n");
        assertThat(ch.calls).containsExactly("play welcome [#*]", "set PLAYBACKSTATUS=FAILED");
    }

    @Test
    void streamFileWithBadOffsetShowsUsage() throws Exception {
        FakeChannel ch = channel();
        List<String> replies = run(ch, "STREAM FILE welcome \"\" abc", "STREAM FILE welcome");
        assertThat(replies.get(0)).isEqualTo("520-Invalid command syntax.  Proper usage follows:\n"
                + " Usage: STREAM FILE <filename> <escape digits> [sample offset]\n520 End of proper usage.\n");
        assertThat(replies.get(1)).startsWith("520-").endsWith("520 End of proper usage.\n");
        assertThat(ch.execEnds()).containsOnly("STREAM FILE welcome \"\" abc -> 520 Usage",
                "STREAM FILE welcome -> 520 Usage");
        assertThat(ch.calls).isEmpty();
    }

    @Test
    void getDataCollectsDigitsUntilHashWithDefaultTimeouts() throws Exception {
        FakeChannel ch = channel().plays(new Playback('1', 100)).digits('2', '3', '#');
        assertThat(run(ch, "GET DATA prompt")).containsExactly("200 result=123\n");
        assertThat(ch.calls.get(0)).isEqualTo("play prompt [0123456789*#ABCD]");
        // First digit came during the prompt; the others each within the 2 s inter-digit default.
        assertThat(ch.digitWaits).containsExactly(Duration.ofMillis(2000), Duration.ofMillis(2000),
                Duration.ofMillis(2000));
    }

    @Test
    void getDataWaitsSixSecondsForTheFirstDigitByDefault() throws Exception {
        FakeChannel ch = channel().digits('7', (char) 0);
        assertThat(run(ch, "GET DATA prompt 0")).containsExactly("200 result=7 (timeout)\n");
        assertThat(ch.digitWaits).containsExactly(Duration.ofMillis(6000), Duration.ofMillis(2000));
    }

    @Test
    void getDataStopsAtMaxDigitsAndUsesTheGivenTimeoutForEveryDigit() throws Exception {
        FakeChannel ch = channel().digits('4', '5', '6');
        assertThat(run(ch, "GET DATA prompt 3000 2")).containsExactly("200 result=45\n");
        assertThat(ch.digitWaits).containsExactly(Duration.ofMillis(3000), Duration.ofMillis(3000));
    }

    @Test
    void getDataHashFirstIsEmptyAndNoDigitIsTimeout() throws Exception {
        assertThat(run(channel().digits('#'), "GET DATA p 1000 4")).containsExactly("200 result=\n");
        assertThat(run(channel().digits((char) 0), "GET DATA p 1000 4")).containsExactly("200 result= (timeout)\n");
    }

    @Test
    void waitForDigit() throws Exception {
        FakeChannel ch = channel().digits('5', (char) 0, FakeChannel.DIES);
        assertThat(run(ch, "WAIT FOR DIGIT 3000", "WAIT FOR DIGIT -1", "WAIT FOR DIGIT 100", "WAIT FOR DIGIT"))
                .containsExactly("200 result=53\n", "200 result=0\n", "200 result=-1\n", "HANGUP\n" + DEAD);
        assertThat(ch.digitWaits.get(0)).isEqualTo(Duration.ofMillis(3000));
        assertThat(ch.digitWaits.get(1)).isGreaterThan(Duration.ofHours(1));
        assertThat(ch.execEnds()).containsExactly("WAIT FOR DIGIT 3000 -> 200 Success",
                "WAIT FOR DIGIT -1 -> 200 Success", "WAIT FOR DIGIT 100 -> -1 Failure",
                "WAIT FOR DIGIT -> 511 Command Not Permitted on a dead channel or intercept routine");
    }

    @Test
    void recordFileEndsOnDtmfOrTimeoutAndParsesBeepAndSilence() throws Exception {
        FakeChannel ch = channel().records(new Recording('#', false, 16000), new Recording((char) 0, true, 48000),
                new Recording((char) 0, true, 8000));
        assertThat(run(ch, "RECORD FILE /tmp/a wav \"#\" 20000 0 BEEP", "RECORD FILE /tmp/b gsm 0 6000 BEEP s=3",
                "RECORD FILE /tmp/c wav # -1 s=2"))
                .containsExactly("200 result=35 (dtmf) endpos=16000\n", "200 result=0 (timeout) endpos=48000\n",
                        "200 result=0 (timeout) endpos=8000\n");
        assertThat(ch.calls).containsExactly("record /tmp/a wav [#] 20000 beep=true silence=none",
                "record /tmp/b gsm [0] 6000 beep=true silence=3",
                "record /tmp/c wav [#] 86400000 beep=false silence=2");
    }

    @Test
    void recordFileThatCannotBeWrittenAnswersWritefileWithoutRecording() throws Exception {
        FakeChannel ch = channel();
        ch.writable = false;
        assertThat(run(ch, "RECORD FILE /elsewhere/vm wav # 20000 0 BEEP"))
                .containsExactly("200 result=-1 (writefile)\n");
        assertThat(ch.calls).isEmpty();
    }

    @Test
    void sayDigitsAndNumberPlayTheDigitPrompts() throws Exception {
        FakeChannel ch = channel();
        assertThat(run(ch, "SAY DIGITS 12345 \"\"", "SAY NUMBER 2345 \"\"", "SAY NUMBER abc \"\""))
                .containsExactly("200 result=0\n", "200 result=0\n",
                        "520-Invalid command syntax.  Proper usage follows:\n"
                                + " Usage: SAY NUMBER <number> <escape digits> [gender]\n520 End of proper usage.\n");
        assertThat(ch.calls).containsExactly("play digits/1 []", "play digits/2 []", "play digits/3 []",
                "play digits/4 []", "play digits/5 []",
                "play digits/2 []", "play digits/thousand []", "play digits/3 []", "play digits/hundred []",
                "play digits/40 []", "play digits/5 []");
    }

    @Test
    void variables() throws Exception {
        FakeChannel ch = channel().variable("CHANNEL(linkedid)", "1795322295.2");
        assertThat(run(ch, "SET VARIABLE IVR_CHOICE 1", "GET VARIABLE IVR_CHOICE", "GET VARIABLE NOPE",
                "GET VARIABLE CHANNEL(linkedid)", "GET FULL VARIABLE ${CHANNEL(linkedid)}",
                "GET FULL VARIABLE \"${NOPE}\"", "GET FULL VARIABLE plain", "GET FULL VARIABLE ${X} PJSIP/other-1",
                "GET FULL VARIABLE ${IVR_CHOICE} PJSIP/trunk-00000002", "SET VARIABLE \"CALLER NAME\" \"张 三\""))
                .containsExactly("200 result=1\n", "200 result=1 (1)\n", "200 result=0\n",
                        "200 result=1 (1795322295.2)\n", "200 result=1 (1795322295.2)\n", "200 result=1 ()\n",
                        "200 result=1 (plain)\n", "200 result=0\n", "200 result=1 (1)\n", "200 result=1\n");
        assertThat(ch.variables).containsEntry("CALLER NAME", "张 三");
    }

    @Test
    void unknownCommandAndNotSimulatedOnes() throws Exception {
        FakeChannel ch = channel();
        assertThat(run(ch, "FLY AWAY", "GET", "DATABASE GET fam key", ""))
                .containsExactly("510 Invalid or unknown command\n", "510 Invalid or unknown command\n",
                        "510 Invalid or unknown command\n", "510 Invalid or unknown command\n");
        assertThat(ch.execEnds()).containsExactly("FLY AWAY -> 510 Invalid or unknown command",
                "GET -> 510 Invalid or unknown command", "DATABASE GET fam key -> 510 Invalid or unknown command",
                " -> 510 Invalid or unknown command");
    }

    @Test
    void hangupKillsTheChannelThenOneHangupLineAndDeadChannelRules() throws Exception {
        FakeChannel ch = channel();
        List<String> replies = run(ch, "HANGUP", "STREAM FILE beep \"\"", "VERBOSE x 1", "ANSWER", "NOOP",
                "EXEC Set(X=1)", "EXEC Set X=1", "EXEC Playback beep", "SET VARIABLE Y 2", "GET VARIABLE Y",
                "HANGUP");
        assertThat(replies).containsExactly("200 result=1\n", "HANGUP\n" + DEAD, "200 result=1\n", DEAD,
                "200 result=0\n", "200 result=-2\n", "200 result=0\n", "200 result=-1\n", "200 result=1\n",
                "200 result=1 (2)\n", DEAD);
        assertThat(ch.variables).containsEntry("X", "1").containsEntry("PLAYBACKSTATUS", "FAILED");
    }

    @Test
    void hangupOfAnotherChannelIsNotFound() throws Exception {
        FakeChannel ch = channel();
        assertThat(run(ch, "HANGUP PJSIP/other-00000009", "HANGUP a b")).containsExactly("200 result=-1\n",
                "520-Invalid command syntax.  Proper usage follows:\n Usage: HANGUP [channelname]\n"
                        + "520 End of proper usage.\n");
        assertThat(ch.isAlive()).isTrue();
    }

    @Test
    void execPlaybackPlaysEveryFile() throws Exception {
        FakeChannel ch = channel();
        assertThat(run(ch, "EXEC Playback \"hello&world,noanswer\"", "EXEC Dial PJSIP/agent1001,15"))
                .containsExactly("200 result=0\n", "200 result=-2\n");
        assertThat(ch.calls).containsExactly("play hello []", "play world []", "set PLAYBACKSTATUS=SUCCESS");
    }

    @Test
    void channelDeadBeforeTheFirstCommand() throws Exception {
        FakeChannel ch = channel();
        ch.die();
        try (ScriptedFastAgiServer server = new ScriptedFastAgiServer(List.of("STREAM FILE beep \"\"", "NOOP"), true)) {
            assertThat(FastAgiClient.run(server.url("x"), ch, Duration.ofSeconds(2))).isEqualTo(AgiResult.HANGUP);
            assertThat(server.replies()).containsExactly("HANGUP\n" + DEAD, "200 result=0\n");
        }
        assertThat(ch.calls).isEmpty();
    }

    @Test
    void serverClosingEndsTheSessionWithSuccessOrHangup() throws Exception {
        try (ScriptedFastAgiServer server = new ScriptedFastAgiServer(List.of("NOOP"), true)) {
            assertThat(FastAgiClient.run(server.url("x"), channel(), Duration.ofSeconds(2)))
                    .isEqualTo(AgiResult.SUCCESS);
        }
        FakeChannel ch = channel().digits(FakeChannel.DIES);
        try (ScriptedFastAgiServer server = new ScriptedFastAgiServer(List.of("WAIT FOR DIGIT 1000"), true)) {
            assertThat(FastAgiClient.run(server.url("x"), ch, Duration.ofSeconds(2))).isEqualTo(AgiResult.HANGUP);
        }
    }

    @Test
    void silentServerAfterTheChannelDiedIsLeftAfterTheGrace() throws Exception {
        FakeChannel ch = channel().digits(FakeChannel.DIES);
        try (ScriptedFastAgiServer server = new ScriptedFastAgiServer(List.of("WAIT FOR DIGIT 1000"), false)) {
            long start = System.nanoTime();
            AgiResult r = FastAgiClient.run(server.url("x"), List.of(), ch, Duration.ofSeconds(2),
                    Duration.ofMillis(300));
            assertThat(r).isEqualTo(AgiResult.HANGUP);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250),
                    Duration.ofSeconds(3));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(server::sawEof);
        }
    }

    @Test
    void unreachableServerIsFailure() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        FakeChannel ch = channel();
        assertThat(FastAgiClient.run("agi://127.0.0.1:" + port + "/inbound", ch, Duration.ofMillis(500)))
                .isEqualTo(AgiResult.FAILURE);
        assertThat(ch.exec).isEmpty();
    }

    @Test
    void badUrlIsRejected() {
        assertThatThrownBy(() -> FastAgiClient.run("tcp://x", channel(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bugInTheChannelBecomesResultMinusOneAndFailure() throws Exception {
        FakeChannel ch = channel().failsWith(new IllegalStateException("boom"));
        try (ScriptedFastAgiServer server = new ScriptedFastAgiServer(List.of("STREAM FILE x \"\"", "NOOP"), true)) {
            assertThat(FastAgiClient.run(server.url("x"), ch, Duration.ofSeconds(2))).isEqualTo(AgiResult.FAILURE);
            assertThat(server.replies()).containsExactly("200 result=-1\n", "200 result=0\n");
        }
    }

    @Test
    void execStartAndEndShareARandomPositiveId() throws Exception {
        FakeChannel ch = channel();
        run(ch, "NOOP", "NOOP");
        assertThat(ch.execIds).hasSize(4).allMatch(id -> id > 0);
        assertThat(ch.execIds.get(0)).isEqualTo(ch.execIds.get(1));
        assertThat(ch.execIds.get(2)).isEqualTo(ch.execIds.get(3)).isNotEqualTo(ch.execIds.get(0));
        assertThat(ch.exec).containsExactly("start NOOP", "end NOOP -> 200 Success", "start NOOP",
                "end NOOP -> 200 Success");
    }
}
