package org.hotlinecti.cti.asterisk.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.hotlinecti.cti.call.AgiCall;
import org.hotlinecti.cti.call.ChannelRef;
import org.hotlinecti.cti.call.IvrSessions;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.hotlinecti.ivr.DigitInput;
import org.hotlinecti.ivr.RecordingResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The FastAGI server against a fake Asterisk that sends the header block of the recorded Asterisk 22 sessions and
 * answers with the reply lines of the traces (including the unsolicited {@code HANGUP} line and {@code 511}).
 */
class FastAgiServerTest {

    static final String LINKEDID_COMMAND = "GET FULL VARIABLE \"${CHANNEL(linkedid)}\"";
    static final String DEAD_CHANNEL = "511 Command Not Permitted on a dead channel or intercept routine";

    private final Vertx vertx = Vertx.vertx();
    /** Runs the blocking test scripts, so that they never block the server's event loop. */
    private final ExecutorService scripts = Executors.newCachedThreadPool();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ScriptedIvr ivr = new ScriptedIvr(scripts);

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        scripts.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void inboundSessionBuildsTheCallAndRunsTheIvrWithoutBlockingAThread() throws Exception {
        List<String> continuationThreads = new CopyOnWriteArrayList<>();
        List<Object> results = new CopyOnWriteArrayList<>();
        ivr.inboundAsync = (channel, call) -> channel.answer()
                .thenCompose(v -> channel.play("beep", ""))
                .thenCompose(played -> {
                    results.add(played);
                    continuationThreads.add(Thread.currentThread().getName());
                    return channel.readDigits("silence/1", 1, Duration.ofSeconds(5));
                })
                .thenCompose(digits -> {
                    results.add(digits);
                    return channel.setVariable("IVR_CHOICE", digits.digits());
                });
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), new FakeAgiPeer.Replies()
                .when("GET FULL VARIABLE", "200 result=1 (1795322295.2)")
                .when("ANSWER", "200 result=0")
                .when("STREAM FILE", "200 result=0 endpos=3404")
                .when("GET DATA", "200 result=1"));

        assertThat(asterisk.awaitEnd()).containsExactly(
                LINKEDID_COMMAND,
                "ANSWER",
                "STREAM FILE \"beep\" \"\"",
                "GET DATA \"silence/1\" 5000 1",
                "SET VARIABLE \"IVR_CHOICE\" \"1\"");
        assertThat(ivr.calls).containsExactly(new AgiCall("inbound",
                new ChannelRef("PJSIP/trunk-00000002", "1795322295.2", "1795322295.2"),
                "sipp", "sipp", "12345", Map.of()));
        assertThat(results).containsExactly((char) 0, new DigitInput("1", false));
        assertThat(continuationThreads).singleElement().asString().startsWith("vert.x-eventloop-thread-");
        await().until(() -> server.activeSessions() == 0);
        assertThat(server.health().sessionsStarted()).isEqualTo(1);
    }

    @Test
    void surveySessionTakesTheLinkedidFromAsterisk() throws Exception {
        ivr.survey = (channel, call) -> now(channel.readDigits("silence/1", 1, Duration.ofSeconds(10)));
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 2), new FakeAgiPeer.Replies()
                .when("GET FULL VARIABLE", "200 result=1 (1795322290.1)")
                .when("GET DATA", "200 result=5"));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND, "GET DATA \"silence/1\" 10000 1");
        assertThat(ivr.calls).hasSize(1);
        AgiCall call = ivr.calls.get(0);
        assertThat(call.script()).isEqualTo("survey");
        assertThat(call.channel()).isEqualTo(new ChannelRef("PJSIP/trunk-00000002", "1795322295.2", "1795322290.1"));
    }

    @Test
    void dnidFallsBackToTheExtensionWhenUnknown() throws Exception {
        FastAgiServer server = server(4);
        List<String> header = replace(AgiTraces.header("01-answered-call", 1), "agi_dnid: ", "agi_dnid: unknown");

        peer(server, header, replies()).awaitEnd();

        assertThat(ivr.calls).extracting(AgiCall::dialledNumber).containsExactly("12345");
    }

    @Test
    void missingLinkedidFallsBackToTheUniqueid() throws Exception {
        FastAgiServer server = server(4);

        peer(server, AgiTraces.header("01-answered-call", 1), new FakeAgiPeer.Replies()
                .when("GET FULL VARIABLE", "200 result=0")).awaitEnd();

        assertThat(ivr.calls).extracting(call -> call.channel().linkedId()).containsExactly("1795322295.2");
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

        peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("GET DATA", "200 result= (timeout)")
                .when("GET DATA", "200 result=12 (timeout)")
                .when("GET DATA", "200 result=1234")).awaitEnd();

        assertThat(typed).containsExactly(new DigitInput("", true), new DigitInput("12", true),
                new DigitInput("1234", false));
    }

    @Test
    void variablesAreReadBack() throws Exception {
        List<Optional<String>> read = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            read.add(now(channel.getVariable("IVR_CHOICE")));
            read.add(now(channel.getVariable("UNSET")));
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("GET VARIABLE \"IVR_CHOICE\"", "200 result=1 (1)")
                .when("GET VARIABLE \"UNSET\"", "200 result=0"));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND, "GET VARIABLE \"IVR_CHOICE\"",
                "GET VARIABLE \"UNSET\"");
        assertThat(read).containsExactly(Optional.of("1"), Optional.empty());
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

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("07-caller-hangup-during-agi", 1),
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
                "GET DATA \"silence/1\" 5000 1");
        assertThat(failures).hasSize(4).allMatch(ChannelHungUpException.class::isInstance);
        assertThat(failures.get(0)).hasMessageContaining("PJSIP/trunk-00000012");
        await().until(() -> server.activeSessions() == 0);
    }

    /** The unsolicited HANGUP line before a reply fails the operation in progress, whatever the reply says. */
    @Test
    void hangupLineBeforeAReplyFailsThatOperation() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            failures.add(catchThrowable(() -> now(channel.setVariable("IVR_CHOICE", "1"))));
            failures.add(catchThrowable(() -> now(channel.getVariable("IVR_CHOICE"))));
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("07-caller-hangup-during-agi", 1), replies()
                .when("SET VARIABLE", "HANGUP\n200 result=1"));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND, "SET VARIABLE \"IVR_CHOICE\" \"1\"");
        assertThat(failures).hasSize(2).allMatch(ChannelHungUpException.class::isInstance);
    }

    @Test
    void deadChannelReplyEndsTheIvr() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            failures.add(catchThrowable(() -> now(channel.play("hotline/welcome-12345", ""))));
            failures.add(catchThrowable(() -> now(channel.play("hotline/welcome-12345", ""))));
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("STREAM FILE", "HANGUP\n" + DEAD_CHANNEL));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND,
                "STREAM FILE \"hotline/welcome-12345\" \"\"");
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

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("STREAM FILE", "200 result=-1 endpos=0")
                .when("CHANNEL STATUS", "200 result=6")
                .when("STREAM FILE", "200 result=50 endpos=1200"));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND,
                "STREAM FILE \"hotline/no-such-prompt\" \"123\"", "CHANNEL STATUS",
                "STREAM FILE \"hotline/menu\" \"123\"");
        assertThat(played).containsExactly((char) 0, '2');
    }

    @Test
    void failedPlaybackOnAHungUpChannelEndsTheIvr() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> failures.add(catchThrowable(() -> now(channel.play("hotline/menu", ""))));
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("STREAM FILE", "200 result=-1 endpos=160")
                .when("CHANNEL STATUS", "HANGUP\n" + DEAD_CHANNEL));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND, "STREAM FILE \"hotline/menu\" \"\"",
                "CHANNEL STATUS");
        assertThat(failures).singleElement().isInstanceOf(ChannelHungUpException.class);
    }

    @Test
    void rejectedCommandFailsTheOperationWithAsterisksUsageText() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<DigitInput> typed = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            failures.add(catchThrowable(() -> now(channel.readDigits("hotline/menu", 1, Duration.ofSeconds(1)))));
            failures.add(catchThrowable(() -> now(channel.answer())));
            typed.add(now(channel.readDigits("hotline/menu", 1, Duration.ofSeconds(1))));
        };
        FastAgiServer server = server(4);

        peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("GET DATA", "520-Invalid command syntax.  Proper usage follows:\n"
                        + " Usage: GET DATA <file to be streamed> [timeout] [maxdigits]\n520 End of proper usage.")
                .when("ANSWER", "510 Invalid or unknown command")
                .when("GET DATA", "200 result=7")).awaitEnd();

        assertThat(failures).hasSize(2).allMatch(IllegalStateException.class::isInstance);
        assertThat(failures.get(0)).hasMessageContaining("Usage: GET DATA");
        assertThat(failures.get(1)).hasMessageContaining("510 Invalid or unknown command");
        assertThat(typed).containsExactly(new DigitInput("7", false));
    }

    /** Flow 06: the caller hangs up during RECORD FILE; the recording is kept and the stage completes normally. */
    @Test
    void callerHangingUpWhileRecordingCompletesTheRecording() throws Exception {
        List<RecordingResult> recorded = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            recorded.add(now(channel.record("voicemail/vm-1", "wav", "#", Duration.ofSeconds(20), Duration.ZERO,
                    true)));
            recorded.add(now(channel.record("voicemail/vm-2", "wav", "#", Duration.ofSeconds(20),
                    Duration.ofSeconds(5), false)));
        };
        FastAgiServer server = server(4);
        List<String> header = AgiTraces.header("06-voicemail", 1);

        FakeAgiPeer asterisk = peer(server, replace(header, "agi_network_script: ", "agi_network_script: inbound"),
                replies().when("RECORD FILE", "200 result=-1 (hangup) endpos=24240"));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND,
                "RECORD FILE \"voicemail/vm-1\" \"wav\" \"#\" 20000 0 BEEP");
        assertThat(recorded).containsExactly(
                new RecordingResult("voicemail/vm-1", "wav", RecordingResult.End.CALLER_HUNG_UP, (char) 0),
                new RecordingResult("voicemail/vm-2", "wav", RecordingResult.End.CALLER_HUNG_UP, (char) 0));
    }

    @Test
    void recordingEndedByADigitOrSilence() throws Exception {
        List<RecordingResult> recorded = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> {
            recorded.add(now(channel.record("vm-1", "wav", "#", Duration.ofSeconds(20), Duration.ofSeconds(3),
                    false)));
            recorded.add(now(channel.record("vm-2", "wav", "#", Duration.ofSeconds(20), Duration.ofSeconds(3),
                    false)));
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("RECORD FILE", "200 result=35 (dtmf) endpos=8000")
                .when("RECORD FILE", "200 result=0 (timeout) endpos=16000"));

        assertThat(asterisk.awaitEnd()).contains("RECORD FILE \"vm-1\" \"wav\" \"#\" 20000 0 s=3");
        assertThat(recorded).containsExactly(
                new RecordingResult("vm-1", "wav", RecordingResult.End.DIGIT, '#'),
                new RecordingResult("vm-2", "wav", RecordingResult.End.TIMEOUT_OR_SILENCE, (char) 0));
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
        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("GET DATA", null));
        assertThat(askedForDigits.await(5, TimeUnit.SECONDS)).isTrue();
        await().until(() -> asterisk.commands().size() == 2);

        asterisk.close();

        await().until(() -> failures.size() == 1);
        assertThat(failures.get(0)).isInstanceOf(ChannelHungUpException.class);
        await().until(() -> server.activeSessions() == 0);
    }

    @Test
    void aSecondOperationWhileOneIsOutstandingFails() throws Exception {
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        ivr.inboundAsync = (channel, call) -> {
            CompletionStage<DigitInput> first = channel.readDigits("hotline/menu", 1, Duration.ofSeconds(5));
            second.complete(catchThrowable(() -> now(channel.play("beep", ""))));
            return first.thenApply(digits -> null);
        };
        FastAgiServer server = server(4);

        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("GET DATA", "200 result=3"));

        assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND, "GET DATA \"hotline/menu\" 5000 1");
        assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownScriptGetsNotFoundAndAConsoleLine() throws Exception {
        FastAgiServer server = server(4);
        List<String> header = replace(replace(AgiTraces.header("01-answered-call", 1),
                "agi_network_script: ", "agi_network_script: nosuch"),
                "agi_request: ", "agi_request: agi://127.0.0.1:4573/nosuch");

        FakeAgiPeer asterisk = peer(server, header, replies());

        assertThat(asterisk.awaitEnd()).containsExactly(
                "SET VARIABLE \"CTI_AGI_STATUS\" \"NOT_FOUND\"",
                "VERBOSE \"hotline-cti: no FastAGI script 'nosuch' (known: inbound, survey, voicemail, callback)\" 1");
        assertThat(ivr.calls).isEmpty();
        assertThat(server.health().unknownScripts()).isEqualTo(1);
    }

    @Test
    void sessionsBeyondMaxSessionsAreAnsweredBusy() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        ivr.inboundAsync = (channel, call) -> release;
        FastAgiServer server = server(1);
        List<String> header = AgiTraces.header("01-answered-call", 1);
        FakeAgiPeer first = peer(server, header, replies());
        await().until(() -> server.activeSessions() == 1);

        FakeAgiPeer refused = peer(server, header, replies());

        assertThat(refused.awaitEnd()).containsExactly(
                "SET VARIABLE \"CTI_AGI_STATUS\" \"BUSY\"",
                "VERBOSE \"hotline-cti: FastAGI full (1 sessions); continuing\" 1");
        assertThat(server.activeSessions()).isEqualTo(1);
        assertThat(ivr.calls).hasSize(1);
        assertThat(server.health()).satisfies(health -> {
            assertThat(health.busyRefusals()).isEqualTo(1);
            assertThat(health.maxSessions()).isEqualTo(1);
            assertThat(health.activeSessions()).isEqualTo(1);
        });

        release.complete(null);
        assertThat(first.awaitEnd()).containsExactly(LINKEDID_COMMAND);
        await().until(() -> server.activeSessions() == 0);
        assertThat(peer(server, header, replies()).awaitEnd()).containsExactly(LINKEDID_COMMAND);
        assertThat(ivr.calls).hasSize(2);
    }

    @Test
    void peersNotAllowedAreRefusedBeforeAnythingIsRead() throws Exception {
        FastAgiServer server = track(new FastAgiServer(vertx,
                new FastAgiSettings("127.0.0.1", 0, 4, List.of("10.9.8.7", "192.168.0.0/16")), ivr));
        server.start();

        FakeAgiPeer stranger = peer(server, AgiTraces.header("01-answered-call", 1), replies());

        assertThat(stranger.awaitEnd()).isEmpty();
        assertThat(ivr.calls).isEmpty();
        assertThat(server.health().refusedPeers()).isEqualTo(1);
    }

    @Test
    void notFastAgiIsClosed() throws Exception {
        FastAgiServer server = server(4);

        FakeAgiPeer browser = peer(server, List.of("GET / HTTP/1.1", "Host: cti", ""), replies());

        assertThat(browser.awaitEnd()).isEmpty();
        assertThat(server.health().protocolErrors()).isEqualTo(1);
        assertThat(ivr.calls).isEmpty();
    }

    @Test
    void manySessionsWaitTogetherOnAFewEventLoopThreads() throws Exception {
        int sessions = 200;
        List<String> threads = new CopyOnWriteArrayList<>();
        ivr.inboundAsync = (channel, call) -> {
            threads.add(Thread.currentThread().getName());
            return channel.readDigits("hotline/menu", 1, Duration.ofSeconds(5)).thenApply(digits -> null);
        };
        FastAgiServer server = server(sessions);
        List<FakeAgiPeer> callers = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            callers.add(peer(server, AgiTraces.header("01-answered-call", 1), replies().when("GET DATA", null)));
        }

        await().until(() -> callers.stream().allMatch(caller -> caller.commands().size() == 2));
        assertThat(server.activeSessions()).isEqualTo(sessions);
        assertThat(threads).hasSize(sessions);
        // spread over the event loops (not all on the one context of the thread that started the server), never a
        // thread per session
        assertThat(threads.stream().distinct().count()).isGreaterThan(1L).isLessThanOrEqualTo(2L * Runtime.getRuntime()
                .availableProcessors());

        server.close();
        await().until(() -> server.activeSessions() == 0);
    }

    @Test
    void closeEndsRunningSessions() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ivr.inbound = (channel, call) -> failures.add(
                catchThrowable(() -> now(channel.readDigits("hotline/menu", 1, Duration.ofSeconds(5)))));
        FastAgiServer server = server(4);
        FakeAgiPeer asterisk = peer(server, AgiTraces.header("01-answered-call", 1), replies()
                .when("GET DATA", null));
        await().until(() -> asterisk.commands().size() == 2);

        server.close();

        await().until(() -> failures.size() == 1);
        assertThat(failures).singleElement().isInstanceOf(ChannelHungUpException.class);
        await().until(() -> server.activeSessions() == 0);
        assertThat(asterisk.awaitEnd()).hasSize(2);
        assertThat(server.health().listening()).isFalse();
    }

    @Test
    void bindFailureNamesAddressAndPort() throws Exception {
        FastAgiServer first = server(1);
        // a second Vert.x instance: within one instance, servers on the same port share it
        Vertx other = Vertx.vertx();
        toClose.add(() -> other.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        FastAgiServer second = track(new FastAgiServer(other, FastAgiSettings.loopback(first.port(), 1), ivr));

        assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen for FastAGI on 127.0.0.1:" + first.port() + ": ");
    }

    // --- helpers

    private FastAgiServer server(int maxSessions) throws IOException {
        FastAgiServer server = track(new FastAgiServer(vertx, FastAgiSettings.loopback(0, maxSessions), ivr));
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
    static FakeAgiPeer.Replies replies() {
        return new FakeAgiPeer.Replies().when("GET FULL VARIABLE", "200 result=1 (1795322295.2)");
    }

    static List<String> replace(List<String> header, String prefix, String line) {
        return header.stream().map(l -> l.startsWith(prefix) ? line : l).toList();
    }

    /** The outcome of an operation, with a failure thrown as itself rather than wrapped by the stage. */
    static <T> T now(CompletionStage<T> operation) {
        try {
            return operation.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records each session and runs the behaviour a test gives it: a blocking script on a test thread (it waits for
     * each operation), or an asynchronous flow as the real IVR is.
     */
    static final class ScriptedIvr implements IvrSessions {

        final List<AgiCall> calls = new CopyOnWriteArrayList<>();
        private final ExecutorService scripts;
        volatile BiConsumer<Channel, AgiCall> inbound = (channel, call) -> { };
        volatile BiFunction<Channel, AgiCall, CompletionStage<Void>> inboundAsync;
        volatile BiConsumer<Channel, AgiCall> survey = (channel, call) -> { };

        ScriptedIvr(ExecutorService scripts) {
            this.scripts = scripts;
        }

        @Override
        public CompletionStage<Void> inbound(Channel channel, AgiCall call) {
            calls.add(call);
            if (inboundAsync != null) {
                return inboundAsync.apply(channel, call);
            }
            return CompletableFuture.runAsync(() -> inbound.accept(channel, call), scripts);
        }

        @Override
        public CompletionStage<Void> survey(Channel channel, AgiCall call) {
            calls.add(call);
            return CompletableFuture.runAsync(() -> survey.accept(channel, call), scripts);
        }
    }
}
