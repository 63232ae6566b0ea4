package org.hotlinecti.cti.asterisk.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hotlinecti.cti.asterisk.agi.FastAgiServerTest.LINKEDID_COMMAND;
import static org.hotlinecti.cti.asterisk.agi.FastAgiServerTest.now;
import static org.hotlinecti.cti.asterisk.agi.FastAgiServerTest.replace;
import static org.hotlinecti.cti.asterisk.agi.FastAgiServerTest.replies;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hotlinecti.cti.call.AgiCall;
import org.hotlinecti.cti.call.IvrSessions;
import org.hotlinecti.ivr.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Caller ID, DTMF and text from the web can never become a second AGI command or a dialplan expression: each vector
 * either fails the operation with {@link IllegalArgumentException} before anything is sent, or arrives as one quoted,
 * escaped argument.
 */
class AgiInjectionTest {

    private final Vertx vertx = Vertx.vertx();
    private FastAgiServer server;
    private volatile Function<Channel, CompletionStage<Void>> flow;
    private volatile AgiCall lastCall;

    @BeforeEach
    void start() throws Exception {
        server = new FastAgiServer(vertx, FastAgiSettings.loopback(0, 4), new IvrSessions() {
            @Override
            public CompletionStage<Void> inbound(Channel channel, AgiCall call) {
                lastCall = call;
                return CompletableFuture.runAsync(() -> now(flow.apply(channel)));
            }

            @Override
            public CompletionStage<Void> survey(Channel channel, AgiCall call) {
                return inbound(channel, call);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static Stream<Arguments> rejected() {
        Duration s = Duration.ofSeconds(1);
        return Stream.of(
                vector("LF in a value", c -> c.setVariable("NOTE", "x\nHANGUP")),
                vector("CR in a value", c -> c.setVariable("NOTE", "x\rHANGUP")),
                vector("CRLF in a value", c -> c.setVariable("NOTE", "x\r\nEXEC System rm")),
                vector("NUL in a value", c -> c.setVariable("NOTE", "x\0y")),
                vector("${...} in a value", c -> c.setVariable("NOTE", "${SHELL(id)}")),
                vector("$[...] in a value", c -> c.setVariable("NOTE", "$[1+1]")),
                vector("LF in a variable name", c -> c.setVariable("NOTE\n", "x")),
                vector("blank in a variable name", c -> c.setVariable("NOTE X", "x")),
                vector("quote in a variable name", c -> c.setVariable("NOTE\"", "x")),
                vector("expression as a variable name", c -> c.getVariable("${CHANNEL(linkedid)}")),
                vector("LF in a prompt", c -> c.play("beep\nHANGUP", "")),
                vector("blank in a prompt", c -> c.play("beep HANGUP", "")),
                vector("parent directory in a prompt", c -> c.play("../../etc/passwd", "")),
                vector("quote in escape digits", c -> c.play("beep", "1\" HANGUP")),
                vector("letters in escape digits", c -> c.play("beep", "1x")),
                vector("LF in a GET DATA prompt", c -> c.readDigits("menu\nHANGUP", 1, s)),
                vector("LF in a recording file", c -> c.record("vm\nHANGUP", "wav", "#", s, Duration.ZERO, false)),
                vector("parent directory in a recording file",
                        c -> c.record("../vm", "wav", "#", s, Duration.ZERO, false)),
                vector("quote in a recording format", c -> c.record("vm", "wav\"", "#", s, Duration.ZERO, false)));
    }

    private static Arguments vector(String name, Function<Channel, CompletionStage<?>> operation) {
        return Arguments.of(name, operation);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedBeforeAnythingIsSent(String name, Function<Channel, CompletionStage<?>> operation)
            throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        flow = channel -> {
            failure.complete(catchThrowable(() -> now(operation.apply(channel))));
            return CompletableFuture.completedFuture(null);
        };

        FakeAgiPeer asterisk = FakeAgiPeer.call(server.port(), AgiTraces.header("01-answered-call", 1), replies());

        try (asterisk) {
            assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND);
        }
        assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n");
    }

    @Test
    void quotesAndBackslashesInAValueStayOneArgument() throws Exception {
        flow = channel -> channel.setVariable("NOTE", "say \"hi\" \\ HANGUP");

        try (FakeAgiPeer asterisk = FakeAgiPeer.call(server.port(), AgiTraces.header("01-answered-call", 1),
                replies())) {
            assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND,
                    "SET VARIABLE \"NOTE\" \"say \\\"hi\\\" \\\\ HANGUP\"");
        }
    }

    @Test
    void callerIdFromTheHeaderIsPassedOnAsOneQuotedArgument() throws Exception {
        List<String> header = replace(AgiTraces.header("01-answered-call", 1), "agi_calleridname: ",
                "agi_calleridname: Zhang \"San\" 1 HANGUP");
        flow = channel -> channel.setVariable("CALLER_NAME", lastCall.callerName());

        try (FakeAgiPeer asterisk = FakeAgiPeer.call(server.port(), header, replies())) {
            assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND,
                    "SET VARIABLE \"CALLER_NAME\" \"Zhang \\\"San\\\" 1 HANGUP\"");
        }
    }

    @Test
    void digitsTheCallerTypedArePassedOnAsOneQuotedArgument() throws Exception {
        flow = channel -> channel.readDigits("hotline/menu", 4, Duration.ofSeconds(3))
                .thenCompose(digits -> channel.setVariable("IVR_CHOICE", digits.digits()));

        try (FakeAgiPeer asterisk = FakeAgiPeer.call(server.port(), AgiTraces.header("01-answered-call", 1),
                replies().when("GET DATA", "200 result=1*#2"))) {
            assertThat(asterisk.awaitEnd()).containsExactly(LINKEDID_COMMAND, "GET DATA \"hotline/menu\" 3000 4",
                    "SET VARIABLE \"IVR_CHOICE\" \"1*#2\"");
        }
    }
}
