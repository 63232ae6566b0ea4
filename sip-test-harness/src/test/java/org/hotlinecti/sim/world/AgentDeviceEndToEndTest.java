package org.hotlinecti.sim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CtiStatus;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.sim.sip.PhoneBehaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents follow their phones' device states: a phone that unregisters takes its ready agent out of routing
 * ({@code not_ready}, reason {@code device-unavailable}) and calls go to the other agent; when it registers again the
 * agent is ready again. /api/status shows the AMI health and the agent phones by device state.
 */
class AgentDeviceEndToEndTest {

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
    void anUnregisteredPhoneIsNotOfferedCallsAndItsAgentIsReadyAgainWhenItReturns() throws Exception {
        ConfigLoader loader = new ConfigLoader(name -> null);
        world = SimWorld.start(new SimWorld.Options(List.of(), List.of(
                agent("1001"), agent("1002")), Clock.systemUTC(), data, 0, Duration.ofMillis(200)), loader);
        await().atMost(Duration.ofSeconds(5)).until(() -> agentView("1001").state().equals("ready")
                && agentView("1002").state().equals("ready"));

        world.agents().stream().filter(a -> a.id().equals("1001")).findFirst().orElseThrow().phone().unregister()
                .get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> agentView("1001").state().equals("not_ready"));
        assertThat(agentView("1001").reason()).isEqualTo("device-unavailable");
        assertThat(status().ami().agentDevices()).containsEntry("UNAVAILABLE", 1).containsEntry("NOT_INUSE", 1);
        SimCaller call = world.placeCall(new CallSpec("13800001111", "12345", Duration.ZERO, List.of(),
                Duration.ofSeconds(1), null, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> world.tickets().size() == 1);
        assertThat(world.tickets().get(0).call().agent()).isEqualTo("1002");
        assertThat(call.ended().get(5, TimeUnit.SECONDS)).isNotNull();

        world.agents().stream().filter(a -> a.id().equals("1001")).findFirst().orElseThrow().phone().register()
                .get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> agentView("1001").state().equals("ready"));
        CtiStatus status = status();
        assertThat(status.ami().state()).isEqualTo("connected");
        assertThat(status.ami().agentDevices()).containsEntry("NOT_INUSE", 2).hasSize(1);
        assertThat(status.ami().eventsReceived()).isPositive();
        assertThat(status.ami().lastError()).isNull();
    }

    private static AgentSpec agent(String id) {
        return new AgentSpec(id, "坐席" + id, id, Map.of("general", 9), PhoneBehaviour.answerAfter(Duration.ofMillis(200)),
                null, Duration.ofMillis(200), true);
    }

    private AgentView agentView(String id) throws Exception {
        return world.cti().calls().agents().toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
                .filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private CtiStatus status() throws Exception {
        return world.cti().status().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
