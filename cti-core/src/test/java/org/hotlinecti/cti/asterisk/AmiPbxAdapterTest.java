package org.hotlinecti.cti.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.hotlinecti.cti.call.ChannelRef;
import org.hotlinecti.cti.call.PbxActionException;
import org.hotlinecti.cti.call.PbxEvent;
import org.hotlinecti.cti.call.PbxEvent.BridgeEntered;
import org.hotlinecti.cti.call.PbxEvent.BridgeLeft;
import org.hotlinecti.cti.call.PbxEvent.ChannelCreated;
import org.hotlinecti.cti.call.PbxEvent.ChannelHungUp;
import org.hotlinecti.cti.call.PbxEvent.ChannelOnHold;
import org.hotlinecti.cti.call.PbxEvent.Connected;
import org.hotlinecti.cti.call.PbxEvent.DialEnded;
import org.hotlinecti.cti.call.PbxEvent.DialRinging;
import org.hotlinecti.cti.call.PbxEvent.DialStarted;
import org.hotlinecti.cti.call.PbxEvent.Disconnected;
import org.hotlinecti.cti.call.PbxEvent.FullyBooted;
import org.hotlinecti.cti.call.PbxEvent.HangupRequested;
import org.hotlinecti.cti.call.PbxEvent.PbxRestarted;
import org.hotlinecti.cti.call.PbxEvent.Resynced;
import org.hotlinecti.cti.call.ChannelSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AmiPbxAdapterTest {

    private static final String USER = "cti";
    private static final String SECRET = "cti-secret";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** An event no trace contains, sent after a replay: once it arrives, everything before it has arrived. */
    private static final String END_MARKER = "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 999999\r\n"
            + "LastReload: 0\r\nStatus: Fully Booted\r\n\r\n";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingSink sink = new RecordingSink();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    // --- login

    @Test
    void logsInWithMd5ChallengeAndReportsTheAsteriskVersion() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());

        adapter.connect();

        assertThat(adapter.isConnected()).isTrue();
        assertThat(adapter.asteriskVersion()).isEqualTo("22.10.1");
        assertThat(ami.actions()).extracting(a -> a.get("action"))
                .startsWith("Challenge", "Login", "CoreSettings");
        Map<String, String> login = ami.actions("Login").get(0);
        assertThat(login).containsEntry("username", USER).containsEntry("authtype", "MD5")
                .doesNotContainValue(SECRET);
        await().until(() -> sink.events.size() == 2);
        assertThat(sink.events).containsExactly(new Connected("22.10.1"), new Resynced(List.of()));
        assertThat(ami.actions().get(3)).containsEntry("action", "CoreShowChannels");
    }

    @Test
    void afterTheChannelResyncTheDeviceStatesAreListedAndJudgedWithTheListedChannels() throws Exception {
        FakeAmiServer ami = server();
        ami.channels(List.of("Channel: PJSIP/agent1002-00000007\r\nChannelState: 6\r\nUniqueid: 1795322299.7\r\n"
                + "Linkedid: 1795322299.5\r\nContext: agents\r\nExten: \r\nApplication: AppDial\r\nBridgeId: b1"));
        java.util.LinkedHashMap<String, String> states = new java.util.LinkedHashMap<>();
        states.put("PJSIP/trunk", "NOT_INUSE");
        states.put("PJSIP/agent1001", "UNAVAILABLE");
        states.put("PJSIP/agent1002", "INUSE");
        ami.deviceStates(states);
        AmiPbxAdapter adapter = adapter(ami.port());
        List<DeviceStateReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        adapter.onDeviceState(reports::add);

        adapter.connect();
        await().until(() -> reports.size() == 2);
        ami.send("Event: Hangup\r\nPrivilege: call,all\r\nChannel: PJSIP/agent1002-00000007\r\n"
                + "Uniqueid: 1795322299.7\r\nLinkedid: 1795322299.5\r\nCause: 16\r\n\r\n"
                + "Event: DeviceStateChange\r\nPrivilege: call,all\r\nDevice: PJSIP/agent1002\r\n"
                + "State: NOT_INUSE\r\n\r\n");
        await().until(() -> reports.size() == 3);

        assertThat(ami.actions()).extracting(a -> a.get("action"))
                .containsSubsequence("CoreSettings", "CoreShowChannels", "DeviceStateList");
        assertThat(reports).containsExactly(
                new DeviceStateReport("1001", DeviceState.UNAVAILABLE, false, true),
                new DeviceStateReport("1002", DeviceState.INUSE, true, true),
                new DeviceStateReport("1002", DeviceState.NOT_INUSE, false, false));
        assertThat(sink.events.get(1)).isInstanceOf(Resynced.class);
        assertThat(adapter.agentDeviceCounts()).containsEntry("UNAVAILABLE", 1).containsEntry("NOT_INUSE", 1)
                .hasSize(2);
    }

    @Test
    void badSecretGivesOneLineLoginError() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = track(new AmiPbxAdapter(
                AmiSettings.of("127.0.0.1", ami.port(), USER, "wrong-secret", TIMEOUT, TIMEOUT), sink));

        assertThatThrownBy(adapter::connect)
                .isInstanceOf(AmiConnectException.class)
                .hasMessage("AMI login to 127.0.0.1:" + ami.port() + " as 'cti' failed: Authentication failed");
        assertThat(adapter.isConnected()).isFalse();
        assertThat(sink.events).isEmpty();
    }

    @Test
    void unreachablePortGivesOneLineError() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        AmiPbxAdapter adapter = adapter(port);

        assertThatThrownBy(adapter::connect)
                .isInstanceOf(AmiConnectException.class)
                .hasMessage("cannot reach AMI at 127.0.0.1:" + port + ": Connection refused");
    }

    @Test
    void peerWithoutBannerTimesOut() throws Exception {
        FakeAmiServer silent = track(FakeAmiServer.silent());
        AmiPbxAdapter adapter = track(new AmiPbxAdapter(AmiSettings.of("127.0.0.1", silent.port(), USER, SECRET,
                Duration.ofMillis(300), TIMEOUT), sink));

        assertThatThrownBy(adapter::connect)
                .isInstanceOf(AmiConnectException.class)
                .hasMessageStartingWith("AMI at 127.0.0.1:" + silent.port()
                        + " sent no 'Asterisk Call Manager' banner");
    }

    @Test
    void closeLogsOffAndEmitsDisconnected() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        await().until(() -> sink.events.size() == 2);

        adapter.close();

        assertThat(ami.actions("Logoff")).hasSize(1);
        assertThat(sink.events).containsExactly(new Connected("22.10.1"), new Resynced(List.of()),
                new Disconnected("AMI session closed by the CTI", true));
        assertThat(adapter.isConnected()).isFalse();
        await().until(() -> Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .noneMatch(name -> name.endsWith("-127.0.0.1:" + ami.port())));
    }

    // --- replayed Asterisk 22 traces

    @Test
    void answeredCallTranslatesToTheDomainEventSequence() throws Exception {
        ChannelRef caller = new ChannelRef("PJSIP/trunk-00000002", "1795322295.2", "1795322295.2");
        ChannelRef agent = new ChannelRef("PJSIP/agent1001-00000003", "1795322299.3", "1795322295.2");
        String bridge = "a57f5ac7-ad9c-4f43-bcb0-51d1ec1f9443";

        List<PbxEvent> events = replay("01-answered-call");

        assertThat(events).containsExactly(
                new Connected("22.10.1"),
                new FullyBooted(276),
                new ChannelCreated(caller, "sipp", "sipp", "from-trunk", "12345"),
                new ChannelOnHold(caller, "hotline-wait"),
                new ChannelCreated(agent, "1001", "Agent 1001", "agents", "s"),
                new DialStarted(caller, agent, "agent1001"),
                new DialRinging(caller, agent),
                new DialEnded(caller, agent, "ANSWER"),
                new BridgeEntered(bridge, agent, 1),
                new BridgeEntered(bridge, caller, 2),
                new HangupRequested(agent, false, 16),
                new BridgeLeft(bridge, agent, 1),
                new BridgeLeft(bridge, caller, 0),
                new ChannelHungUp(agent, 16, "Normal Clearing"),
                new HangupRequested(caller, false, 16),
                new HangupRequested(caller, true, 16),
                new ChannelHungUp(caller, 16, "Normal Clearing"));
    }

    @Test
    void abandonWhileWaitingHasHangupRequestWithoutCause() throws Exception {
        ChannelRef caller = new ChannelRef("PJSIP/trunk-00000004", "1795322317.4", "1795322317.4");

        List<PbxEvent> events = replay("02-abandon-in-queue");

        assertThat(events).containsExactly(
                new Connected("22.10.1"),
                new FullyBooted(298),
                new ChannelCreated(caller, "sipp", "sipp", "from-trunk", "12315"),
                new ChannelOnHold(caller, "hotline-wait"),
                new HangupRequested(caller, false, -1),
                new HangupRequested(caller, true, 16),
                new ChannelHungUp(caller, 0, "Unknown"));
    }

    @Test
    void agentNoAnswerThenSecondAgentAnswers() throws Exception {
        ChannelRef caller = new ChannelRef("PJSIP/trunk-00000005", "1795322335.5", "1795322335.5");
        ChannelRef agent1 = new ChannelRef("PJSIP/agent1001-00000006", "1795322338.6", "1795322335.5");
        ChannelRef agent2 = new ChannelRef("PJSIP/agent1002-00000007", "1795322354.7", "1795322335.5");
        String bridge = "8910dd3d-2674-4aab-a8e2-257ac7688cb7";

        List<PbxEvent> events = replay("03-agent-no-answer");

        assertThat(events).containsExactly(
                new Connected("22.10.1"),
                new FullyBooted(315),
                new ChannelCreated(caller, "sipp", "sipp", "from-trunk", "12345"),
                new ChannelOnHold(caller, "hotline-wait"),
                new ChannelCreated(agent1, "1001", "Agent 1001", "agents", "s"),
                new DialStarted(caller, agent1, "agent1001"),
                new DialRinging(caller, agent1),
                new DialEnded(caller, agent1, "NOANSWER"),
                new ChannelHungUp(agent1, 0, "Unknown"),
                new ChannelOnHold(caller, "hotline-wait"),
                new ChannelCreated(agent2, "1002", "Agent 1002", "agents", "s"),
                new DialStarted(caller, agent2, "agent1002"),
                new DialRinging(caller, agent2),
                new DialEnded(caller, agent2, "ANSWER"),
                new BridgeEntered(bridge, agent2, 1),
                new BridgeEntered(bridge, caller, 2),
                new HangupRequested(caller, false, 16),
                new BridgeLeft(bridge, caller, 1),
                new HangupRequested(caller, true, 16),
                new BridgeLeft(bridge, agent2, 0),
                new ChannelHungUp(caller, 16, "Normal Clearing"),
                new ChannelHungUp(agent2, 16, "Normal Clearing"));
    }

    @Test
    void busyAgentHasNoDialStateAndCause17() throws Exception {
        ChannelRef caller = new ChannelRef("PJSIP/trunk-00000008", "1795322371.8", "1795322371.8");
        ChannelRef agent = new ChannelRef("PJSIP/agent1001-00000009", "1795322375.9", "1795322371.8");

        List<PbxEvent> events = replay("04-agent-busy");

        assertThat(events).containsExactly(
                new Connected("22.10.1"),
                new FullyBooted(353),
                new ChannelCreated(caller, "sipp", "sipp", "from-trunk", "12345"),
                new ChannelOnHold(caller, "hotline-wait"),
                new ChannelCreated(agent, "1001", "Agent 1001", "agents", "s"),
                new DialStarted(caller, agent, "agent1001"),
                new HangupRequested(agent, false, 17),
                new DialEnded(caller, agent, "BUSY"),
                new ChannelHungUp(agent, 17, "User busy"),
                new ChannelOnHold(caller, "hotline-wait"),
                new HangupRequested(caller, false, 17),
                new HangupRequested(caller, true, 16),
                new ChannelHungUp(caller, 17, "User busy"));
    }

    @Test
    void eventsAreDeliveredInOrderOnTheAdaptersOwnThread() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        StringBuilder burst = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            burst.append("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: ").append(i)
                    .append("\r\nLastReload: 0\r\nStatus: Fully Booted\r\n\r\n");
        }

        ami.send(burst.toString());

        await().until(() -> sink.withoutResync().size() == 501);
        assertThat(sink.withoutResync().subList(1, 501)).extracting(e -> ((FullyBooted) e).uptimeSeconds())
                .isSorted().doesNotHaveDuplicates();
        assertThat(sink.threads).containsExactly("ami-events-127.0.0.1:" + ami.port());
    }

    @Test
    void eventsBeforeLoginCompletesAreDeliveredAfterConnected() throws Exception {
        FakeAmiServer ami = server();
        // Asterisk sends FullyBooted right after the Login response, before the CoreSettings round trip.
        ami.afterLogin(AsteriskTraces.amiMessage("01-answered-call", "ami.log", "Event: FullyBooted"));
        AmiPbxAdapter adapter = adapter(ami.port());

        adapter.connect();

        await().until(() -> sink.events.size() == 3);
        assertThat(sink.events).containsExactly(new Connected("22.10.1"), new FullyBooted(276),
                new Resynced(List.of()));
    }

    @Test
    void shutdownDisconnectAndReconnectAreReported() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();

        await().until(() -> sink.events.size() == 2);
        ami.send(AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "ami.log", "Event: Shutdown"));
        await().until(() -> sink.events.size() == 3);
        ami.dropClient();
        await().until(() -> sink.events.size() == 6);
        await().until(adapter::isConnected);
        ami.send(AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "ami-after-restart.log",
                "Event: FullyBooted"));

        await().until(() -> sink.events.size() == 7);
        assertThat(sink.withoutResync()).containsExactly(
                new Connected("22.10.1"),
                new PbxEvent.Shutdown(false),
                new Disconnected("AMI connection to 127.0.0.1:" + ami.port() + " lost", false),
                new Connected("22.10.1"),
                new FullyBooted(1));
        assertThat(ami.logins()).isEqualTo(2);
    }

    // --- actions

    @Test
    void connectToAgentSendsSetvarsThenRedirect() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("CTI_RING_TIMEOUT", "15");
        variables.put("CTI_AGENT", "1001");

        adapter.connectToAgent("PJSIP/trunk-00000002", "1001", variables).toCompletableFuture()
                .get(2, TimeUnit.SECONDS);

        List<Map<String, String>> sent = actionsAfterLogin(ami);
        assertThat(sent).hasSize(3);
        assertThat(withoutActionId(sent.get(0))).isEqualTo(Map.of("action", "Setvar",
                "channel", "PJSIP/trunk-00000002", "variable", "CTI_RING_TIMEOUT", "value", "15"));
        assertThat(withoutActionId(sent.get(1))).isEqualTo(Map.of("action", "Setvar",
                "channel", "PJSIP/trunk-00000002", "variable", "CTI_AGENT", "value", "1001"));
        assertThat(withoutActionId(sent.get(2))).isEqualTo(Map.of("action", "Redirect",
                "channel", "PJSIP/trunk-00000002", "context", "hotline-connect", "exten", "1001", "priority", "1"));
        assertThat(sent).allSatisfy(action -> assertThat(action).containsKey("actionid"));
    }

    @Test
    void refusedRedirectFailsWithAsterisksMessage() throws Exception {
        FakeAmiServer ami = server();
        ami.reply("Redirect", action -> FakeAmiServer.Reply.error("Channel does not exist: " + action.get("channel")));
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();

        CompletableFuture<Void> result = adapter.connectToAgent("PJSIP/trunk-0000dead", "1001", Map.of("X", "1"))
                .toCompletableFuture();

        assertThatThrownBy(() -> result.get(2, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PbxActionException.class)
                .hasMessage("Redirect: Channel does not exist: PJSIP/trunk-0000dead")
                .satisfies(e -> assertThat(((PbxActionException) e).action()).isEqualTo("Redirect"));
    }

    @Test
    void refusedSetvarStopsBeforeTheRedirect() throws Exception {
        FakeAmiServer ami = server();
        ami.reply("Setvar", action -> FakeAmiServer.Reply.error("No such channel"));
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();

        CompletableFuture<Void> result = adapter.connectToAgent("PJSIP/trunk-0000dead", "1001", Map.of("X", "1"))
                .toCompletableFuture();

        assertThatThrownBy(() -> result.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PbxActionException.class).hasMessage("Setvar: No such channel")
                .satisfies(e -> assertThat(((PbxActionException) e).outcome())
                        .isEqualTo(PbxActionException.Outcome.REFUSED));
        assertThat(ami.actions("Redirect")).isEmpty();
    }

    @Test
    void actionWithoutResponseTimesOut() throws Exception {
        FakeAmiServer ami = server();
        ami.reply("Hangup", action -> FakeAmiServer.Reply.NONE);
        AmiPbxAdapter adapter = track(new AmiPbxAdapter(AmiSettings.of("127.0.0.1", ami.port(), USER, SECRET,
                TIMEOUT, Duration.ofMillis(300)), sink));
        adapter.connect();

        CompletableFuture<Void> result = adapter.hangup("PJSIP/trunk-00000002", 16).toCompletableFuture();

        assertThatThrownBy(() -> result.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PbxActionException.class).hasMessage("Hangup: no response within 300 ms");
        assertThat(withoutActionId(ami.actions("Hangup").get(0))).isEqualTo(
                Map.of("action", "Hangup", "channel", "PJSIP/trunk-00000002", "cause", "16"));
    }

    @Test
    void stagesCompleteOnTheEventThread() throws Exception {
        FakeAmiServer ami = server();
        ami.reply("SetVar", action -> FakeAmiServer.Reply.NONE);
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        CompletableFuture<String> thread = new CompletableFuture<>();

        adapter.setVariable("PJSIP/trunk-00000002", "IVR_PATH", "1-2")
                .whenComplete((ok, failure) -> thread.complete(Thread.currentThread().getName()));
        await().until(() -> ami.actions("SetVar").size() == 1);
        Map<String, String> setVar = ami.actions("SetVar").get(0);
        ami.send("Response: Success\r\nActionID: " + setVar.get("actionid") + "\r\nMessage: Variable Set\r\n\r\n");

        assertThat(thread.get(2, TimeUnit.SECONDS)).isEqualTo("ami-events-127.0.0.1:" + ami.port());
        assertThat(withoutActionId(setVar)).isEqualTo(Map.of("action", "Setvar",
                "channel", "PJSIP/trunk-00000002", "variable", "IVR_PATH", "value", "1-2"));
    }

    @Test
    void lineBreaksInAnyValueAreRejectedBeforeSending() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        String injected = "1\r\n\r\nAction: Hangup\r\nChannel: PJSIP/agent1001-00000003";

        assertThatThrownBy(() -> adapter.connectToAgent("PJSIP/trunk-00000002", "1001", Map.of("X", injected)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CR, LF");
        assertThatThrownBy(() -> adapter.connectToAgent("PJSIP/trunk-00000002", "1001\nAction: Hangup", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.connectToAgent("PJSIP/trunk-00000002\r", "1001", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.connectToAgent("PJSIP/trunk-00000002", "1001", Map.of("X\nY", "1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.setVariable("PJSIP/trunk-00000002", "X", "a\nb"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.hangup("PJSIP/trunk-00000002\nAction: Logoff", 16))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.hangup("/.*/", 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pattern");

        // A harmless action afterwards is the first and only one Asterisk received after login.
        adapter.setVariable("PJSIP/trunk-00000002", "X", "1").toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(actionsAfterLogin(ami)).extracting(a -> a.get("action")).containsExactly("Setvar");
        assertThat(ami.actions()).noneMatch(a -> a.values().stream().anyMatch(v -> v.contains("Hangup")));
    }

    @Test
    void actionsFailWhileDisconnected() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());

        CompletableFuture<Void> result = adapter.hangup("PJSIP/trunk-00000002", 16).toCompletableFuture();

        assertThatThrownBy(() -> result.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PbxActionException.class).hasMessage("Hangup: AMI not connected")
                .satisfies(e -> assertThat(((PbxActionException) e).outcome())
                        .isEqualTo(PbxActionException.Outcome.NOT_SENT));
    }

    // --- connection health, resync, restart

    @Test
    void deadConnectionIsNoticedByPingTimeoutWithinFiveSecondsThenReconnects() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = track(new AmiPbxAdapter(AmiSettings.of("127.0.0.1", ami.port(), USER, SECRET,
                TIMEOUT, TIMEOUT).withKeepAlive(Duration.ofMillis(300), Duration.ofMillis(500)), sink));
        adapter.connect();
        await().until(() -> sink.events.size() == 2);

        ami.unresponsive(true);
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.events.stream().anyMatch(Disconnected.class::isInstance));
        long noticedMillis = (System.nanoTime() - start) / 1_000_000;

        Disconnected lost = (Disconnected) sink.events.stream().filter(Disconnected.class::isInstance).findFirst()
                .orElseThrow();
        assertThat(lost.requested()).isFalse();
        assertThat(lost.reason()).contains("keep-alive Ping within 500 ms");
        assertThat(noticedMillis).isLessThan(5_000);
        assertThat(ami.actions("Ping")).isNotEmpty();

        ami.unresponsive(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> adapter.isConnected()
                && sink.events.stream().filter(Connected.class::isInstance).count() == 2);
        await().until(() -> sink.events.stream().filter(Resynced.class::isInstance).count() == 2);
    }

    @Test
    void resyncAfterReconnectListsTheLiveChannels() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        await().until(() -> sink.events.size() == 2);
        String block = AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "actions.log",
                "Event: CoreShowChannel");
        ami.channels(List.of(block.substring(block.indexOf("Channel:")).replaceAll("(?m)^ActionID: .*\\r\\n", "")));

        ami.dropClient();

        await().until(() -> sink.events.size() == 5);
        ChannelRef caller = new ChannelRef("PJSIP/trunk-00000013", "1795322487.21", "1795322487.21");
        assertThat(sink.events.subList(2, 5)).containsExactly(
                new Disconnected("AMI connection to 127.0.0.1:" + ami.port() + " lost", false),
                new Connected("22.10.1"),
                new Resynced(List.of(new ChannelSnapshot(caller, "hotline-wait", "s", "MusicOnHold", ""))));
    }

    @Test
    void smallerUptimeAfterReconnectIsReportedAsRestart() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        ami.send(AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "ami.log", "Event: FullyBooted"));
        await().until(() -> sink.events.contains(new FullyBooted(468)));

        ami.send(AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "ami.log", "Event: Shutdown"));
        ami.dropClient();
        await().until(() -> sink.events.stream().filter(Connected.class::isInstance).count() == 2);
        ami.send(AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "ami-after-restart.log",
                "Event: FullyBooted"));

        await().until(() -> sink.events.stream().anyMatch(PbxRestarted.class::isInstance));
        List<PbxEvent> events = sink.withoutResync();
        assertThat(events.subList(events.size() - 2, events.size())).satisfiesExactly(
                e -> assertThat(e).isEqualTo(new FullyBooted(1)),
                e -> assertThat(((PbxRestarted) e).reason()).startsWith("Asterisk restarted: uptime 1 s"));
    }

    @Test
    void largerUptimeIsNoRestart() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        ami.send(AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "ami.log", "Event: FullyBooted"));
        ami.dropClient();
        await().until(() -> sink.events.stream().filter(Connected.class::isInstance).count() == 2);
        ami.send("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 470\r\nLastReload: 470\r\n"
                + "Status: Fully Booted\r\n\r\n" + END_MARKER);

        await().until(() -> sink.events.contains(new FullyBooted(999999)));
        assertThat(sink.events).noneMatch(PbxRestarted.class::isInstance);
    }

    @Test
    void duplicateHangupIsDeliveredOnce() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();
        String hangup = AsteriskTraces.amiMessage("02-abandon-in-queue", "ami.log", "Event: Hangup");

        ami.send(hangup + hangup + END_MARKER);

        await().until(() -> sink.events.contains(new FullyBooted(999999)));
        assertThat(sink.events).filteredOn(ChannelHungUp.class::isInstance).hasSize(1);
    }

    @Test
    void slowSinkNeverStallsTheReaderNorLosesEvents() throws Exception {
        FakeAmiServer ami = server();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<PbxEvent> seen = new CopyOnWriteArrayList<>();
        AmiPbxAdapter adapter = track(new AmiPbxAdapter(AmiSettings.of("127.0.0.1", ami.port(), USER, SECRET,
                TIMEOUT, TIMEOUT).withKeepAlive(Duration.ofMillis(200), Duration.ofMillis(1_000)), event -> {
                    if (event instanceof FullyBooted) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    seen.add(event);
                }));
        adapter.connect();
        StringBuilder burst = new StringBuilder();
        int count = 20_000;
        for (int i = 1; i <= count; i++) {
            burst.append("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: ").append(i)
                    .append("\r\nLastReload: 0\r\nStatus: Fully Booted\r\n\r\n");
        }

        // about 1.6 MB: more than the socket buffers hold, so the write completes only if the reader keeps reading
        ami.send(burst.toString());
        await().until(() -> adapter.eventBacklog() >= count - 1);
        // the consumer is blocked for longer than the keep-alive timeout, yet pings are answered on the event loop
        await().pollDelay(Duration.ofMillis(1_500)).until(() -> true);
        assertThat(adapter.isConnected()).isTrue();
        release.countDown();

        await().until(() -> seen.stream().filter(FullyBooted.class::isInstance).count() == count);
        assertThat(seen).filteredOn(FullyBooted.class::isInstance).extracting(e -> ((FullyBooted) e).uptimeSeconds())
                .isSorted().doesNotHaveDuplicates();
        assertThat(adapter.maxEventBacklog()).isGreaterThanOrEqualTo(count - 1);
        assertThat(seen).noneMatch(Disconnected.class::isInstance);
    }

    @Test
    void anUnansweredResyncIsAskedAgainOnTheSameSession() throws Exception {
        FakeAmiServer ami = server();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ami.reply("CoreShowChannels", action -> asked.incrementAndGet() == 1 ? FakeAmiServer.Reply.NONE
                : FakeAmiServer.Reply.success("EventList: start", "Message: Channels will follow"));
        AmiPbxAdapter adapter = track(new AmiPbxAdapter(AmiSettings.of("127.0.0.1", ami.port(), USER, SECRET,
                TIMEOUT, Duration.ofMillis(300)), sink));
        adapter.connect();
        await().until(() -> ami.actions("CoreShowChannels").size() == 2);
        Map<String, String> second = ami.actions("CoreShowChannels").get(1);

        ami.send("Event: CoreShowChannelsComplete\r\nActionID: " + second.get("actionid")
                + "\r\nEventList: Complete\r\nListItems: 0\r\n\r\n");

        await().until(() -> sink.events.contains(new Resynced(List.of())));
        assertThat(sink.events).filteredOn(Resynced.class::isInstance).hasSize(1);
    }

    // --- injection

    @Test
    void dialplanExpansionInValuesIsRejectedBeforeSending() throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();

        assertThatThrownBy(() -> adapter.setVariable("PJSIP/trunk-00000002", "CTI_NOTE", "${SHELL(id)}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dialplan expansion");
        assertThatThrownBy(() -> adapter.setVariable("PJSIP/trunk-00000002", "CTI_NOTE", "$[1+1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dialplan expansion");
        assertThatThrownBy(() -> adapter.connectToAgent("PJSIP/trunk-00000002", "1001",
                Map.of("CTI_CALLER_NAME", "x${CHANNEL(linkedid)}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.connectToAgent("PJSIP/trunk-00000002", "${EXTEN}", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.setVariable("PJSIP/trunk-00000002", "SHELL(rm -rf /)", "1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.setVariable("PJSIP/trunk-00000002", "CTI_NOTE", "a\0b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");

        // plain text from callers, including quotes, commas and Chinese, goes through unchanged
        adapter.setVariable("PJSIP/trunk-00000002", "CTI_NOTE", "张三 \"VIP\", $5").toCompletableFuture()
                .get(2, TimeUnit.SECONDS);
        assertThat(actionsAfterLogin(ami)).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("value", "张三 \"VIP\", $5"));
    }

    // --- helpers

    private List<PbxEvent> replay(String flow) throws Exception {
        FakeAmiServer ami = server();
        AmiPbxAdapter adapter = adapter(ami.port());
        adapter.connect();

        ami.send(AsteriskTraces.amiEventsAfterLogin(flow));
        ami.send(END_MARKER);

        await().until(() -> sink.events.contains(new FullyBooted(999999)));
        assertThat(sink.threads).containsExactly("ami-events-127.0.0.1:" + ami.port());
        List<PbxEvent> events = sink.withoutResync();
        return events.subList(0, events.size() - 1);
    }

    private FakeAmiServer server() throws IOException {
        return track(FakeAmiServer.start(USER, SECRET));
    }

    private AmiPbxAdapter adapter(int port) {
        return track(new AmiPbxAdapter(AmiSettings.of("127.0.0.1", port, USER, SECRET, TIMEOUT, TIMEOUT), sink));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static List<Map<String, String>> actionsAfterLogin(FakeAmiServer ami) {
        List<Map<String, String>> all = ami.actions();
        int coreSettings = all.indexOf(ami.actions("CoreSettings").get(0));
        return all.subList(coreSettings + 1, all.size()).stream()
                .filter(a -> !"CoreShowChannels".equals(a.get("action")) && !"DeviceStateList".equals(a.get("action")))
                .toList();
    }

    private static Map<String, String> withoutActionId(Map<String, String> action) {
        Map<String, String> copy = new LinkedHashMap<>(action);
        copy.remove("actionid");
        return copy;
    }

    private static final class RecordingSink implements Consumer<PbxEvent> {

        final List<PbxEvent> events = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void accept(PbxEvent event) {
            threads.add(Thread.currentThread().getName());
            events.add(event);
        }

        /** The events without the Resynced ones, whose place depends on when the list answer arrives. */
        List<PbxEvent> withoutResync() {
            return events.stream().filter(e -> !(e instanceof Resynced)).toList();
        }
    }
}
