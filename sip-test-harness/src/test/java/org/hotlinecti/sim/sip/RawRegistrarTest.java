package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent phone registering with a text-only registrar that grants what the sim PBX never would. */
class RawRegistrarTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private SipPhoneStack world;
    private RawSipPeer registrar;
    private AgentPhone phone;

    @BeforeEach
    void start() throws Exception {
        world = SipPhoneStack.start("raw-registrar");
        registrar = new RawSipPeer();
        phone = world.newAgentPhone("agent1002", "agent1002-pw", "127.0.0.1", registrar.port());
    }

    @AfterEach
    void stop() {
        world.close();
        registrar.close();
    }

    @Test
    void refreshesTheRegistrationBeforeTheGrantedTimeRunsOut() throws Exception {
        CompletableFuture<Void> registered = phone.register();
        RawSipPeer.Message first = registrar.expect(m -> m.isRequest("REGISTER"), WAIT);
        assertThat(first.header("Expires")).contains("3600");
        registrar.send(first.response(200, "OK", "reg", "Contact: <" + phone.contactUri() + ">;expires=1", ""),
                sourcePort(first));
        registered.get(5, TimeUnit.SECONDS);

        RawSipPeer.Message refresh = registrar.expect(m -> m.isRequest("REGISTER"), WAIT);

        assertThat(refresh.header("Call-ID")).isEqualTo(first.header("Call-ID"));
        assertThat(cseqNumber(refresh)).isGreaterThan(cseqNumber(first));
    }

    @Test
    void aRegistrarThatNeverAnswersFailsTheRegistration() throws Exception {
        world.close();
        try (SipPhoneStack quick = SipPhoneStack.start("raw-registrar-t1", java.time.Clock.systemUTC(),
                Duration.ofMillis(20))) {
            AgentPhone p = quick.newAgentPhone("agent1002", "agent1002-pw", "127.0.0.1", registrar.port());

            assertThat(p.register()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(SipCallFailedException.NO_RESPONSE));
        }
    }

    private static int sourcePort(RawSipPeer.Message request) {
        String via = request.header("Via").orElseThrow();
        String hostPort = via.split("\\s+")[1].split(";")[0];
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static long cseqNumber(RawSipPeer.Message m) {
        return Long.parseLong(m.header("CSeq").orElseThrow().split("\\s+")[0]);
    }
}
