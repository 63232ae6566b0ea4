package org.hotlinecti.cti.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.cti.api.AgentCommands;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CtiRequestException;
import org.junit.jupiter.api.Test;

/** The rules that keep agents in line with their phones, against a recording stand-in for the call service. */
class AgentDeviceReconcilerTest {

    private final FakeAgents agents = new FakeAgents();
    private final List<String> released = new ArrayList<>();
    private final List<String> otherCalls = new ArrayList<>();
    private final AgentDeviceReconciler reconciler = new AgentDeviceReconciler(agents, (id, grace) -> {
        released.add(id + " " + grace.toSeconds());
        return CompletableFuture.completedFuture(agents.set(id, "wrap_up", null));
    }, Duration.ofSeconds(3), (id, busy) -> {
        otherCalls.add(id + (busy ? " on" : " off"));
        return CompletableFuture.completedFuture(agents.view(id));
    });

    @Test
    void aPhoneInUseOutsideTheQueuesTakesItsAgentOutOfRoutingUntilItIsIdle() {
        agents.set("1001", "ready", null);
        agents.set("1002", "wrap_up", null);

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.RINGING, false, true));
        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.INUSE, false, true));
        reconciler.deviceState(new DeviceStateReport("1002", DeviceState.INUSE, true, true));
        assertThat(otherCalls).containsExactly("1001 on", "1002 on");

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.NOT_INUSE, false, false));
        reconciler.deviceState(new DeviceStateReport("1002", DeviceState.UNAVAILABLE, false, false));
        assertThat(otherCalls).containsExactly("1001 on", "1002 on", "1001 off", "1002 off");
    }

    @Test
    void aPhoneRingingOrInUseForTheCtisOwnOfferOrTalkIsNotAnotherCall() {
        agents.set("1001", "offered", null);
        agents.set("1002", "talking", null);

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.RINGING, false, true));
        reconciler.deviceState(new DeviceStateReport("1002", DeviceState.INUSE, false, true));
        reconciler.deviceState(new DeviceStateReport("1002", DeviceState.NOT_INUSE, false, true));

        assertThat(otherCalls).isEmpty();
    }

    @Test
    void aReadyAgentWhosePhoneIsUnavailableIsNotReadyUntilThePhoneIsBack() {
        agents.set("1001", "ready", null);

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.UNAVAILABLE, false, false));
        assertThat(agents.view("1001").state()).isEqualTo("not_ready");
        assertThat(agents.view("1001").reason()).isEqualTo(AgentDeviceReconciler.REASON);

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.NOT_INUSE, false, false));
        assertThat(agents.view("1001").state()).isEqualTo("ready");
        assertThat(agents.commands).containsExactly("not_ready 1001 device-unavailable", "ready 1001");
    }

    @Test
    void anAgentOnABreakIsNotMadeReadyWhenThePhoneReturns() {
        agents.set("1001", "not_ready", "break");

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.UNAVAILABLE, false, true));
        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.NOT_INUSE, false, false));

        assertThat(agents.commands).isEmpty();
        assertThat(agents.view("1001").reason()).isEqualTo("break");
    }

    @Test
    void anAgentWhoChoseAnotherStateWhileThePhoneWasGoneIsLeftThere() {
        agents.set("1001", "ready", null);
        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.UNAVAILABLE, false, false));
        reconciler.agentChanged(agents.set("1001", "not_ready", "meeting"));

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.NOT_INUSE, false, false));

        assertThat(agents.view("1001").reason()).isEqualTo("meeting");
        assertThat(agents.commands).containsExactly("not_ready 1001 device-unavailable");
    }

    @Test
    void anAgentWhoBecomesReadyOnADeadPhoneIsParkedAtOnce() {
        agents.set("1001", "not_ready", "login");
        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.UNAVAILABLE, false, true));

        reconciler.agentChanged(agents.set("1001", "ready", null));

        assertThat(agents.view("1001").reason()).isEqualTo(AgentDeviceReconciler.REASON);
    }

    @Test
    void anIdlePhoneWithoutChannelReleasesAnAgentOfferedOrTalkingButNotOneWithALiveChannel() {
        agents.set("1001", "talking", null);
        agents.set("1002", "offered", null);
        agents.set("1003", "talking", null);

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.NOT_INUSE, false, true));
        reconciler.deviceState(new DeviceStateReport("1002", DeviceState.NOT_INUSE, false, false));
        reconciler.deviceState(new DeviceStateReport("1003", DeviceState.NOT_INUSE, true, false));
        reconciler.deviceState(new DeviceStateReport("1003", DeviceState.INUSE, false, false));

        assertThat(released).containsExactly("1001 3", "1002 3");
        assertThat(agents.view("1003").state()).isEqualTo("talking");
    }

    @Test
    void unknownDevicesAndOtherExtensionsChangeNothing() {
        agents.set("1001", "ready", null);

        reconciler.deviceState(new DeviceStateReport("1001", DeviceState.UNKNOWN, false, true));
        reconciler.deviceState(new DeviceStateReport("2001", DeviceState.UNAVAILABLE, false, true));

        assertThat(agents.commands).isEmpty();
        assertThat(reconciler.device("1001")).isEqualTo(DeviceState.UNKNOWN);
        assertThat(reconciler.device("2001")).isEqualTo(DeviceState.UNAVAILABLE);
    }

    /** Agents whose extension is their id; commands complete at once and tell the reconciler, as the loop would. */
    private final class FakeAgents implements AgentCommands {
        final Map<String, AgentView> views = new LinkedHashMap<>();
        final List<String> commands = new ArrayList<>();

        AgentView set(String id, String state, String reason) {
            AgentView v = new AgentView(id, "坐席" + id, id, Map.of(), state, reason, Instant.EPOCH, null);
            views.put(id, v);
            return v;
        }

        AgentView view(String id) {
            return views.get(id);
        }

        @Override
        public CompletionStage<AgentView> login(String agentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<AgentView> ready(String agentId) {
            commands.add("ready " + agentId);
            AgentView v = set(agentId, "ready", null);
            reconciler.agentChanged(v);
            return CompletableFuture.completedFuture(v);
        }

        @Override
        public CompletionStage<AgentView> notReady(String agentId, String reason) {
            if (!views.get(agentId).state().equals("ready") && !views.get(agentId).state().equals("not_ready")) {
                return CompletableFuture.failedFuture(new CtiRequestException(CtiRequestException.Kind.CONFLICT,
                        "not allowed"));
            }
            commands.add("not_ready " + agentId + " " + reason);
            AgentView v = set(agentId, "not_ready", reason);
            reconciler.agentChanged(v);
            return CompletableFuture.completedFuture(v);
        }

        @Override
        public CompletionStage<AgentView> logout(String agentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<AgentView> submitForm(String agentId, String draftId, Map<String, String> fields) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<List<AgentView>> agents() {
            return CompletableFuture.completedFuture(List.copyOf(views.values()));
        }
    }
}
