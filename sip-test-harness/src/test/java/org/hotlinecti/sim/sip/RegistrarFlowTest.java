package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agent phones registering with the sim PBX's registrar (digest auth as agent1002 does in the traces). */
class RegistrarFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-03-02T02:00:00Z"));
    private TestPbx pbx;
    private SipPhoneStack world;

    @BeforeEach
    void start() throws Exception {
        pbx = TestPbx.start(clock, JainSipPbxEndpoint.DEFAULT_T1);
        pbx.endpoint.defineEndpoint("agent1002", null, "agent1002-pw");
        world = SipPhoneStack.start("registrar-test", clock);
    }

    @AfterEach
    void stop() {
        world.close();
        pbx.close();
    }

    @Test
    void registersWithDigestAndUnregistersWithExpiresZero() throws Exception {
        AgentPhone phone = world.newAgentPhone("agent1002", "agent1002-pw", "127.0.0.1", pbx.port());
        assertThat(pbx.endpoint.contactOf("agent1002")).isEmpty();

        phone.register().get(5, TimeUnit.SECONDS);

        assertThat(pbx.endpoint.contactOf("agent1002")).contains(phone.contactUri());
        assertThat(phone.contactUri()).matches("sip:agent1002@127\\.0\\.0\\.1:\\d+");

        phone.unregister().get(5, TimeUnit.SECONDS);

        assertThat(pbx.endpoint.contactOf("agent1002")).isEmpty();
    }

    @Test
    void wrongPasswordIsRefused() {
        AgentPhone phone = world.newAgentPhone("agent1002", "not-the-password", "127.0.0.1", pbx.port());

        assertThat(phone.register()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(401));
        assertThat(pbx.endpoint.contactOf("agent1002")).isEmpty();
    }

    @Test
    void missingPasswordIsRefused() {
        AgentPhone phone = world.newAgentPhone("agent1002", null, "127.0.0.1", pbx.port());

        assertThat(phone.register()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(401));
    }

    @Test
    void unknownEndpointIsForbidden() {
        AgentPhone phone = world.newAgentPhone("agent9999", "whatever", "127.0.0.1", pbx.port());

        assertThat(phone.register()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThat(pbx.endpoint.contactOf("agent9999")).isEmpty();
    }

    @Test
    void endpointWithoutPasswordRegistersWithoutChallenge() throws Exception {
        pbx.endpoint.defineEndpoint("agent1003", null, null);
        AgentPhone phone = world.newAgentPhone("agent1003", null, "127.0.0.1", pbx.port());

        phone.register().get(5, TimeUnit.SECONDS);

        assertThat(pbx.endpoint.contactOf("agent1003")).contains(phone.contactUri());
    }

    @Test
    void registrationOverridesTheStaticContactUntilItExpires() throws Exception {
        pbx.endpoint.defineEndpoint("agent1001", "sip:agent1001@127.0.0.1:5071", "agent1001-pw");
        assertThat(pbx.endpoint.contactOf("agent1001")).contains("sip:agent1001@127.0.0.1:5071");
        AgentPhone phone = world.newAgentPhone("agent1001", "agent1001-pw", "127.0.0.1", pbx.port());

        phone.register().get(5, TimeUnit.SECONDS);
        assertThat(pbx.endpoint.contactOf("agent1001")).contains(phone.contactUri());

        clock.advance(Duration.ofSeconds(AgentPhone.REGISTER_EXPIRES - 1));
        assertThat(pbx.endpoint.contactOf("agent1001")).contains(phone.contactUri());
        clock.advance(Duration.ofSeconds(2));
        assertThat(pbx.endpoint.contactOf("agent1001")).contains("sip:agent1001@127.0.0.1:5071");
    }

    @Test
    void aRegisteredPhoneIsReachableThroughItsContact() throws Exception {
        AgentPhone phone = world.newAgentPhone("agent1002", "agent1002-pw", "127.0.0.1", pbx.port());
        phone.setBehaviour(PhoneBehaviour.answerAfter(Duration.ZERO));
        phone.register().get(5, TimeUnit.SECONDS);

        TestPbx.OutboundEvents pbxSide = pbx.dial("agent1002", pbx.endpoint.contactOf("agent1002").orElseThrow(),
                new CallerId("13800001111", "Zhang San"));

        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> pbxSide.events.contains("answered"));
        assertThat(phone.state()).isEqualTo(PhoneState.TALKING);
    }

    @Test
    void unknownEndpointsHaveNoContact() {
        assertThat(pbx.endpoint.contactOf("nobody")).isEmpty();
    }
}
