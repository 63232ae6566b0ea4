package org.hotlinecti.cti.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.hotlinecti.cti.call.AgiCall;
import org.hotlinecti.cti.call.ChannelRef;
import org.hotlinecti.cti.call.IvrSessions;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.hotlinecti.ivr.DigitInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FastAgiServerTest {

    private static final String LINKEDID_COMMAND = "GET FULL VARIABLE \"${CHANNEL(linkedid)}\"";
    private static final String STATUS_SUCCESS = "SET VARIABLE \"AJ_AGISTATUS\" \"SUCCESS\"";
    private static final String DEAD_CHANNEL = "511 Command Not Permitted on a dead channel or intercept routine";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ScriptedIvr ivr = new ScriptedIvr();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void inboundSessionBuildsTheCallAndRunsTheIvr() throws Exception {
        List<DigitInput> typed = new CopyOnWriteArrayList<>();
        List<Character> played = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            now(channel.answer());
            played.add(now(channel.play("beep", "")));
            DigitInput digits = now(channel.readDigits("silence/1", 1, Duration.ofSeconds(5)));
            typed.add(digits);
            now(channel.setVariable("IVR_CHOICE", digits.digits()));
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("01-answered-call", 1), new FakeAgiPeer.Replies()
                .when("GET FULL VARIABLE", "200 result=1 (1795322295.2)")
                .when("ANSWER", "200 result=0")
                .when("STREAM FILE", "200 result=0 endpos=3404")
                .when("GET DATA", "200 result=1"));

        assertThat(asterisk.awaitEnd()).containsExactly(
                LINKEDID_COMMAND,
                "ANSWER",
                "STREAM FILE \"beep\" \"\"",
                "GET DATA \"silence/1\" 5000 1",
                "SET VARIABLE \"IVR_CHOICE\" \"1\"",
                STATUS_SUCCESS);
        assertThat(ivr.calls).containsExactly(new AgiCall("inbound",
                new ChannelRef("PJSIP/trunk-00000002", "1795322295.2", "1795322295.2"),
                "sipp", "sipp", "12345", Map.of()));
        assertThat(played).containsExactly((char) 0);
        assertThat(typed).containsExactly(new DigitInput("1", false));
        assertThat(ivr.threads).containsExactly("fastagi-session-" + server.port() + "-1");
        await().until(() -> server.activeSessions() == 0);
    }

    @Test
    void surveySessionTakesTheLinkedidFromAsterisk() throws Exception {
        ivr.survey = (channel, call) -> now(channel.readDigits("silence/1", 1, Duration.ofSeconds(10)));
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("01-answered-call", 2), new FakeAgiPeer.Replies()
                .when("GET FULL VARIABLE", "200 result=1 (1795322290.1)")
                .when("GET DATA", "200 result=5"));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND, "GET DATA \"silence/1\" 10000 1",
                STATUS_SUCCESS);
        assertThat(ivr.calls).hasSize(1);
        AgiCall call = ivr.calls.get(0);
        assertThat(call.script()).isEqualTo("survey");
        assertThat(call.channel()).isEqualTo(new ChannelRef("PJSIP/trunk-00000002", "1795322295.2", "1795322290.1"));
    }

    @Test
    void dnidFallsBackToTheExtensionWhenUnknown() throws Exception {
        FastAgiServer server = server(4);
        List<String> header = replace(AsteriskTraces.agiHeader("01-answered-call", 1), "agi_dnid: ",
                "agi_dnid: unknown");

        peer(server, header, replies())
                .awaitEnd();

        assertThat(ivr.calls).extracting(AgiCall::dialledNumber).containsExactly("12345");
    }

    @Test
    void digitsThatTimedOutAreReportedSo() throws Exception {
        List<DigitInput> typed = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            typed.add(now(channel.readDigits("hotline/menu", 4, Duration.ofSeconds(3))));
            typed.add(now(channel.readDigits("hotline/menu", 4, Duration.ofSeconds(3))));
            typed.add(now(channel.readDigits("hotline/menu", 4, Duration.ofSeconds(3))));
        };
        FastAgiServer server = server(4);

        peer(server, AsteriskTraces.agiHeader("01-answered-call", 1), replies()
                .when("GET DATA", "200 result= (timeout)")
                .when("GET DATA", "200 result=12 (timeout)")
                .when("GET DATA", "200 result=1234")).awaitEnd();

        assertThat(typed).containsExactly(new DigitInput("", true), new DigitInput("12", true),
                new DigitInput("1234", false));
    }

    /** Flow 07: the caller hangs up while GET DATA runs. */
    @Test
    void callerHangingUpDuringGetDataEndsTheIvrAndNoMediaCommandFollows() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            now(channel.play("beep", ""));
            ChannelHungUpException hungUp = null;
            try {
                now(channel.readDigits("silence/1", 1, Duration.ofSeconds(5)));
            } catch (ChannelHungUpException e) {
                hungUp = e;
                failures.add(e);
            }
            failures.add(catchThrowable(() -> now(channel.play("beep", ""))));
            failures.add(catchThrowable(() -> now(channel.readDigits("beep", 1, Duration.ofSeconds(1)))));
            failures.add(catchThrowable(() -> now(channel.setVariable("AGI_SAW_HANGUP", "yes"))));
            now(channel.hangup());
            throw hungUp;
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("07-caller-hangup-during-agi", 1),
                new FakeAgiPeer.Replies()
                        .when("GET FULL VARIABLE", "200 result=1 (1795322476.20)")
                        .when("STREAM FILE", "200 result=0 endpos=3404")
                        .when("GET DATA", "200 result=-1")
                        // Asterisk's unsolicited HANGUP comes before the reply to the next command.
                        .when("SET VARIABLE", "HANGUP\n200 result=1")
                        .otherwise(DEAD_CHANNEL));

        assertThat(asterisk.awaitEnd()).containsExactly(
                LINKEDID_COMMAND,
                "STREAM FILE \"beep\" \"\"",
                "GET DATA \"silence/1\" 5000 1",
                STATUS_SUCCESS);
        assertThat(failures).hasSize(4).allMatch(ChannelHungUpException.class::isInstance);
        assertThat(failures.get(0)).hasMessageContaining("PJSIP/trunk-00000012");
        await().until(() -> server.activeSessions() == 0);
    }

    @Test
    void deadChannelReplyEndsTheIvr() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            failures.add(catchThrowable(() -> now(channel.play("hotline/welcome-12345", ""))));
            failures.add(catchThrowable(() -> now(channel.play("hotline/welcome-12345", ""))));
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("01-answered-call", 1), replies()
                .when("STREAM FILE", "HANGUP\n" + DEAD_CHANNEL));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND,
                "STREAM FILE \"hotline/welcome-12345\" \"\"", STATUS_SUCCESS);
        assertThat(failures).hasSize(2).allMatch(ChannelHungUpException.class::isInstance);
    }

    @Test
    void missingSoundFileIsSkippedWhileTheCallerIsStillThere() throws Exception {
        List<Character> played = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            played.add(now(channel.play("hotline/no-such-prompt", "123")));
            played.add(now(channel.play("hotline/menu", "123")));
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("01-answered-call", 1), replies()
                .when("STREAM FILE", "200 result=-1 endpos=0")
                .when("CHANNEL STATUS", "200 result=6")
                .when("STREAM FILE", "200 result=50 endpos=1200"));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND,
                "STREAM FILE \"hotline/no-such-prompt\" \"123\"", "CHANNEL STATUS",
                "STREAM FILE \"hotline/menu\" \"123\"", STATUS_SUCCESS);
        assertThat(played).containsExactly((char) 0, '2');
    }

    @Test
    void failedPlaybackOnAHungUpChannelEndsTheIvr() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> failures.add(catchThrowable(() -> now(channel.play("hotline/menu", ""))));
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("01-answered-call", 1), replies()
                .when("STREAM FILE", "200 result=-1 endpos=160")
                .when("CHANNEL STATUS", "HANGUP\n" + DEAD_CHANNEL));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND, "STREAM FILE \"hotline/menu\" \"\"",
                "CHANNEL STATUS", STATUS_SUCCESS);
        assertThat(failures).singleElement().isInstanceOf(ChannelHungUpException.class);
    }

    @Test
    void asteriskClosingTheSocketEndsTheIvr() throws Exception {
        CountDownLatch askedForDigits = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            askedForDigits.countDown();
            failures.add(catchThrowable(() -> now(channel.readDigits("hotline/menu", 1, Duration.ofSeconds(5)))));
        };
        FastAgiServer server = server(4);
        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("01-answered-call", 1), replies()
                .when("GET DATA", null));
        assertThat(askedForDigits.await(5, TimeUnit.SECONDS)).isTrue();
        await().until(() -> asterisk.commands().size() == 2);

        asterisk.close();

        await().until(() -> failures.size() == 1);
        assertThat(failures.get(0)).isInstanceOf(ChannelHungUpException.class);
        await().until(() -> server.activeSessions() == 0);
    }

    @Test
    void variableValuesCannotInjectAgiCommands() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            failures.add(catchThrowable(() -> now(channel.setVariable("NOTE", "x\nHANGUP"))));
            failures.add(catchThrowable(() -> now(channel.setVariable("NOTE", "x\rHANGUP"))));
            failures.add(catchThrowable(() -> now(channel.setVariable("NOTE\n", "x"))));
            failures.add(catchThrowable(() -> now(channel.setVariable("NOTE X", "x"))));
            failures.add(catchThrowable(() -> now(channel.play("beep\nHANGUP", ""))));
            failures.add(catchThrowable(() -> now(channel.play("beep", "1\" HANGUP"))));
            now(channel.setVariable("NOTE", "say \"hi\" \\ HANGUP"));
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("01-answered-call", 1),
                replies());

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND,
                "SET VARIABLE \"NOTE\" \"say \\\"hi\\\" \\\\ HANGUP\"", STATUS_SUCCESS);
        assertThat(failures).hasSize(6).allMatch(IllegalArgumentException.class::isInstance);
    }

    @Test
    void unknownScriptEndsTheSessionWithoutIvr() throws Exception {
        FastAgiServer server = server(4);
        List<String> header = replace(replace(AsteriskTraces.agiHeader("01-answered-call", 1),
                "agi_network_script: ", "agi_network_script: nosuch"),
                "agi_request: ", "agi_request: agi://127.0.0.1:4573/nosuch");

        FakeAgiPeer asterisk = peer(server, header, replies());

        assertThat(asterisk.awaitEnd()).containsExactly(
                "SET VARIABLE \"AJ_AGISTATUS\" \"NOT_FOUND\"",
                "VERBOSE \"No script configured for URL 'agi://127.0.0.1:4573/nosuch' (script 'nosuch')\" 1");
        assertThat(ivr.calls).isEmpty();
    }

    @Test
    void sessionsBeyondMaxSessionsAreRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ivr.inbound = (channel, call) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        FastAgiServer server = server(1);
        List<String> header = AsteriskTraces.agiHeader("01-answered-call", 1);
        FakeAgiPeer first = peer(server, header, replies());
        await().until(() -> server.activeSessions() == 1);

        FakeAgiPeer refused = peer(server, header, replies());

        assertThat(refused.awaitEnd()).isEmpty();
        assertThat(server.activeSessions()).isEqualTo(1);
        assertThat(ivr.calls).hasSize(1);

        release.countDown();
        assertThat(first.awaitEnd()).endsWith(STATUS_SUCCESS);
        // The freed pool thread takes the next connection once it is back waiting for work.
        await().until(() -> peer(server, header, replies()).awaitEnd().contains(STATUS_SUCCESS));
        assertThat(ivr.calls).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void closeEndsRunningSessions() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> failures.add(
                catchThrowable(() -> now(channel.readDigits("hotline/menu", 1, Duration.ofSeconds(5)))));
        FastAgiServer server = server(4);
        FakeAgiPeer asterisk = peer(server, AsteriskTraces.agiHeader("01-answered-call", 1), replies()
                .when("GET DATA", null));
        await().until(() -> asterisk.commands().size() == 2);

        server.close();

        assertThat(failures).singleElement().isInstanceOf(ChannelHungUpException.class);
        assertThat(server.activeSessions()).isZero();
        assertThat(asterisk.awaitEnd()).hasSize(2);
        String port = Integer.toString(server.port());
        await().until(() -> Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .noneMatch(name -> name.equals("fastagi-accept-" + port)
                        || name.startsWith("fastagi-session-" + port + "-")));
    }

    @Test
    void bindFailureNamesAddressAndPort() throws Exception {
        FastAgiServer first = server(1);
        FastAgiServer second = track(new FastAgiServer("127.0.0.1", first.port(), 1, ivr));

        assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen for FastAGI on 127.0.0.1:" + first.port() + ": ");
    }

    // --- helpers

    private FastAgiServer server(int maxSessions) throws IOException {
        FastAgiServer server = track(new FastAgiServer("127.0.0.1", 0, maxSessions, ivr));
        server.start();
        assertThat(server.port()).isPositive();
        return server;
    }

    private FakeAgiPeer peer(FastAgiServer server, List<String> header, FakeAgiPeer.Replies replies)
            throws IOException {
        return track(FakeAgiPeer.call(server.port(), header, replies));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** Asterisk's replies by default: the Linkedid of the 01 caller, then {@code 200 result=1}. */
    private static FakeAgiPeer.Replies replies() {
        return new FakeAgiPeer.Replies().when("GET FULL VARIABLE", "200 result=1 (1795322295.2)");
    }

    private static List<String> replace(List<String> header, String prefix, String line) {
        return header.stream().map(l -> l.startsWith(prefix) ? line : l).toList();
    }

    /** The outcome of an operation, with a failure thrown as itself rather than wrapped by the stage. */
    private static <T> T now(CompletionStage<T> operation) {
        try {
            return operation.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Records each session and runs the behaviour a test gives it. */
    private static final class ScriptedIvr implements IvrSessions {

        final List<AgiCall> calls = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile BiConsumer<Channel, AgiCall> inbound = (channel, call) -> { };
        volatile BiConsumer<Channel, AgiCall> survey = (channel, call) -> { };

        @Override
        public CompletionStage<Void> inbound(Channel channel, AgiCall call) {
            record(call);
            return run(inbound, channel, call);
        }

        @Override
        public CompletionStage<Void> survey(Channel channel, AgiCall call) {
            record(call);
            return run(survey, channel, call);
        }

        /** The scripts below wait for each operation (this adapter completes them on the session's thread). */
        private static CompletionStage<Void> run(BiConsumer<Channel, AgiCall> script, Channel channel, AgiCall call) {
            try {
                script.accept(channel, call);
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private void record(AgiCall call) {
            calls.add(call);
            threads.add(Thread.currentThread().getName());
        }
    }
}
