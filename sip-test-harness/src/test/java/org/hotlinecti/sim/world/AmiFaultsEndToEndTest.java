package org.hotlinecti.sim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.api.CtiStatus;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.sim.sip.PhoneBehaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CTI against the sim PBX when AMI fails: a hung AMI (noticed by the keep-alive within 5 s), dropped connections,
 * and an Asterisk restart. Whatever happens while the CTI is blind, every call ends with exactly one ticket and the
 * CTI follows the PBX again afterwards.
 */
class AmiFaultsEndToEndTest {

    private static final String FAST_KEEPALIVE = "asterisk: {ami: {keepalive_interval: 300ms, keepalive_timeout: 500ms,"
            + " reconnect_max_delay: 500ms}}";

    @TempDir
    Path data;

    private SimWorld world;

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aCallerWhoHangsUpWhileAmiIsHungGetsItsTicketFromTheResync() throws Exception {
        start();
        SimCaller call = waitingCall("13800001111");

        world.pbx().setAmiUnresponsive(true);
        long hungAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> !status().amiConnected());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungAt)).isLessThan(5_000);
        call.caller().hangup().get(5, TimeUnit.SECONDS);
        await().until(() -> world.pbx().activeChannels() == 0);
        assertThat(world.tickets()).isEmpty();

        world.pbx().setAmiUnresponsive(false);

        await().atMost(Duration.ofSeconds(10)).until(() -> world.tickets().size() == 1);
        Ticket ticket = world.tickets().get(0);
        assertThat(ticket.call().caller()).isEqualTo("13800001111");
        assertThat(ticket.call().endedBy()).isEqualTo("system");
        await().until(() -> status().amiConnected() && status().activeCalls() == 0 && status().waitingCalls() == 0);
    }

    @Test
    void aCallThatOutlivesADroppedConnectionIsStillFollowedAndEndsOnce() throws Exception {
        start();
        SimCaller call = waitingCall("13800002222");

        world.pbx().dropAmiConnections();
        await().atMost(Duration.ofSeconds(5)).until(() -> !status().amiConnected());
        await().atMost(Duration.ofSeconds(5)).until(() -> status().amiConnected());
        assertThat(status().activeCalls()).isEqualTo(1);

        call.caller().hangup().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> world.tickets().size() == 1);
        assertThat(world.tickets().get(0).call().endedBy()).isEqualTo("caller");
        await().until(() -> status().activeCalls() == 0);
        assertThat(world.tickets()).hasSize(1);
    }

    @Test
    void anAsteriskRestartEndsTheCallsOnceAndTheCtiFollowsTheRestartedPbx() throws Exception {
        start();
        world.pbx().pretendUptime(Duration.ofHours(1));
        SimCaller before = waitingCall("13800003333");

        world.pbx().restartAsterisk();

        await().atMost(Duration.ofSeconds(10)).until(() -> world.tickets().size() == 1);
        assertThat(before.ended().get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(world.pbx().amiUptimeSeconds()).isLessThan(60);
        await().atMost(Duration.ofSeconds(5)).until(() -> status().amiConnected() && status().activeCalls() == 0);

        // Uniqueids are <epoch second>.<sequence> and the sequence restarts: a real restart takes seconds, so the
        // first new call never shares the old one's second; the sim restarts at once, so wait for the next second
        String oldLinkedId = world.tickets().get(0).call().linkedId();
        long oldSecond = Long.parseLong(oldLinkedId.substring(0, oldLinkedId.indexOf('.')));
        await().until(() -> System.currentTimeMillis() / 1000 > oldSecond);
        SimCaller after = waitingCall("13800004444");
        after.caller().hangup().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> world.tickets().size() == 2);
        Ticket second = world.tickets().stream().filter(t -> t.call().caller().equals("13800004444")).findFirst()
                .orElseThrow();
        assertThat(second.call().linkedId()).isNotEqualTo(oldLinkedId);
        // channel numbering restarted with the PBX: the new caller is channel 0 again
        assertThat(second.call().linkedId()).endsWith(".0");
    }

    private void start() throws Exception {
        ConfigLoader loader = new ConfigLoader(name -> null);
        List<ConfigLoader.Overlay> overlays = new ArrayList<>();
        overlays.add(loader.overlay("test", new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(FAST_KEEPALIVE)));
        // one agent, not ready: callers wait on music on hold
        world = SimWorld.start(new SimWorld.Options(overlays, List.of(new AgentSpec("1001", "坐席1001", "1001",
                Map.of("general", 9), PhoneBehaviour.answerAfter(Duration.ofMillis(300)), null,
                Duration.ofMillis(300), false)), Clock.systemUTC(), data, 0, Duration.ofMillis(200)), loader);
    }

    private SimCaller waitingCall(String from) {
        int waitingBefore = status().waitingCalls();
        SimCaller call = world.placeCall(new CallSpec(from, "12345", Duration.ZERO, List.of(), Duration.ofSeconds(60),
                null, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> status().waitingCalls() == waitingBefore + 1);
        return call;
    }

    private CtiStatus status() {
        try {
            return world.cti().calls().status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
