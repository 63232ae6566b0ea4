package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hotlinecti.ivr.IvrOutcome.TransferKind.EXTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.InMemoryTicketStore;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallEventKind;
import org.hotlinecti.cti.ticket.ledger.CallLedger;
import org.hotlinecti.cti.util.DaemonThreads;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.RoutingRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * Three-party emergency transfers through {@link HotlineIvr} and {@link CallService} with a scripted PBX: what the
 * dialplan is told, which calls the CTI originates into the conference, where the caller is redirected when the far end
 * does not answer, and what the ticket and the ledger say.
 */
class ThreePartyTransfersTest {

    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345政务服务便民热线", "市12345中心",
            "general", 1, 0, null, Map.of());
    private static final RoutingRequest EMERGENCY_QUEUE = new RoutingRequest(MAIN, "general", 1, 9, List.of());

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);
    private final OriginatingPbx pbx = new OriginatingPbx();
    private final CallServiceTest.RecordingDesktop desktop = new CallServiceTest.RecordingDesktop();
    private final InMemoryTicketStore store = new InMemoryTicketStore(clock, ZoneId.of("Asia/Shanghai"));
    private final List<CallEvent> ledger = new CopyOnWriteArrayList<>();
    private ExecutorService ticketIo;
    private CallService service;
    private HotlineIvr ivr;
    private IvrOutcome nextOutcome;

    @BeforeEach
    void setUp() {
        ticketIo = DaemonThreads.pool("ticket-io", 1);
        LineDirectory lines = new LineDirectory(List.of(MAIN), "12345");
        service = new CallService(CallService.Settings.of(Duration.ofSeconds(15), Duration.ofSeconds(60),
                "hotline-wait", "from-trunk"), clock, lines,
                List.of(new AgentProfile("1001", "王芳", "1001", Map.of("general", 8))), pbx, store, ticketIo,
                desktop);
        service.useLedger(new CallLedger() {
            @Override
            public void record(CallEvent event) {
                ledger.add(event);
            }

            @Override
            public List<CallEvent> eventsOf(String linkedId) {
                return ledger.stream().filter(e -> e.linkedId().equals(linkedId)).toList();
            }
        });
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        ivr = new HotlineIvr(lines, service, (channel, call, line) -> CompletableFuture.completedFuture(nextOutcome),
                "/var/spool/asterisk/monitor/");
    }

    @AfterEach
    void tearDown() {
        service.close();
        ticketIo.shutdownNow();
    }

    private static IvrOutcome.Transfer emergency(String number, Optional<RoutingRequest> fallback) {
        return new IvrOutcome.Transfer(EXTERNAL, number, number + "报警", true, Duration.ofSeconds(30),
                Optional.empty(), fallback, List.of("welcome", "welcome:9 紧急求助", "transfer:" + number + "报警"));
    }

    private final ChannelRef caller = new ChannelRef("PJSIP/trunk-00000001", "1795322295.1", "1795322295.1");

    /** The caller runs the IVR, which decides the transfer; returns the variables it set for the dialplan. */
    private ScriptedChannel callerChoosesTransfer(IvrOutcome.Transfer transfer) throws Exception {
        ScriptedChannel channel = new ScriptedChannel();
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, "13900008888", "13900008888", "from-trunk", "12345"));
        nextOutcome = transfer;
        ivr.inbound(channel, new AgiCall("inbound", caller, "13900008888", "13900008888", "12345", Map.of()))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        return channel;
    }

    /** The originated leg's Newchannel (with its ChannelId as Uniqueid and Linkedid), then its answer. */
    private ChannelRef answers(OriginatingPbx.Pending originate, String name) {
        ChannelRef leg = new ChannelRef(name, originate.request().channelId(), originate.request().channelId());
        service.onPbxEvent(new PbxEvent.ChannelCreated(leg, "13900008888", "", "from-trunk", "s"));
        originate.outcome().complete(new OriginateResult(true, 4, name, leg.uniqueId()));
        return leg;
    }

    private void hangsUp(ChannelRef channel) {
        service.onPbxEvent(new PbxEvent.HangupRequested(channel, false, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(channel, 16, "Normal Clearing"));
    }

    private CallSummary ticket() {
        await().atMost(Duration.ofSeconds(5)).until(() -> store.byLinkedId(caller.linkedId()).isPresent());
        return store.byLinkedId(caller.linkedId()).orElseThrow().call();
    }

    private void settled() {
        try {
            service.agents().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void farEndAnswersThenTheAgentIsRungIntoTheConferenceAndTheTicketIsAThreePartyTransfer() throws Exception {
        service.login("1001").toCompletableFuture().get(5, TimeUnit.SECONDS);
        service.ready("1001").toCompletableFuture().get(5, TimeUnit.SECONDS);
        ScriptedChannel channel = callerChoosesTransfer(emergency("110", Optional.of(EMERGENCY_QUEUE)));
        assertThat(channel.variables).containsEntry("CTI_NEXT", "threeparty")
                .containsEntry("CTI_TRANSFER_NUMBER", "110").containsEntry("CTI_TRANSFER_TIMEOUT", "30");

        // 110 is rung into the caller's conference, showing the caller's number
        OriginatingPbx.Pending far = pbx.awaitOriginate(1);
        assertThat(far.request()).isEqualTo(new OriginateRequest("PJSIP/110@trunk", "hotline-conference",
                caller.linkedId(), Duration.ofSeconds(30), "13900008888", "cti-3p-1795322295.1-far", Map.of()));
        // the agent is not offered before 110 is in: the caller is not queued yet
        settled();
        assertThat(pbx.originates).hasSize(1);

        clock.add(Duration.ofSeconds(3));
        ChannelRef farLeg = answers(far, "PJSIP/trunk-00000002");
        OriginatingPbx.Pending agent = pbx.awaitOriginate(2);
        assertThat(agent.request().channel()).isEqualTo("PJSIP/agent1001");
        assertThat(agent.request().context()).isEqualTo("hotline-conference");
        assertThat(agent.request().exten()).isEqualTo(caller.linkedId());
        assertThat(agent.request().timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(agent.request().callerIdNum()).isEqualTo("13900008888");
        // no Redirect to hotline-connect: the caller stays in its conference
        assertThat(pbx.redirects).isEmpty();

        clock.add(Duration.ofSeconds(2));
        ChannelRef agentLeg = answers(agent, "PJSIP/agent1001-00000003");
        await().atMost(Duration.ofSeconds(5)).until(() -> desktop.pops.size() == 1);
        assertThat(desktop.pops.get(0).agent()).isEqualTo("1001");
        assertThat(desktop.pops.get(0).caller()).isEqualTo("13900008888");
        assertThat(service.agents().toCompletableFuture().get(5, TimeUnit.SECONDS).get(0).state())
                .isEqualTo("talking");

        // 110 leaves first; caller and agent talk on; then the caller hangs up (the conference ends for the agent)
        clock.add(Duration.ofSeconds(20));
        hangsUp(farLeg);
        settled();
        assertThat(pbx.hangups).isEmpty();
        clock.add(Duration.ofSeconds(10));
        hangsUp(caller);
        service.onPbxEvent(new PbxEvent.ChannelHungUp(agentLeg, 16, "Normal Clearing"));

        CallSummary t = ticket();
        assertThat(t.disposition()).isEqualTo(Disposition.TRANSFERRED);
        assertThat(t.handledBy()).isEqualTo(CallSummary.HANDLED_BY_EXTERNAL);
        assertThat(t.transferTarget()).isEqualTo("110");
        assertThat(t.agent()).isEqualTo("1001");
        assertThat(t.endedBy()).isEqualTo("caller");
        assertThat(t.talkSeconds()).isEqualTo(32);
        assertThat(t.endStage()).isEqualTo(CallStage.TALKING);
        assertThat(t.ivrPath()).containsExactly("welcome", "welcome:9 紧急求助", "transfer:110报警", "threeparty:110",
                "transfer:110 answered", "threeparty:queue:general", "agent:1001", "threeparty:agent 1001 joined");
        assertThat(ledger.stream().filter(e -> e.kind() == CallEventKind.TRANSFERRED)
                .map(e -> e.detail().get("step"))).containsExactly("dialling", "answered", "ended");
        assertThat(ledger.stream().filter(e -> e.kind() == CallEventKind.TRANSFERRED).reduce((a, b) -> b)
                .orElseThrow().detail()).containsEntry("agent_joined", "true");
        assertThat(ledger.stream().map(CallEvent::kind)).contains(CallEventKind.QUEUED, CallEventKind.OFFERED,
                CallEventKind.ANSWERED, CallEventKind.ENDED);
    }

    @Test
    void farEndThatDoesNotAnswerSendsTheCallerOutOfTheConferenceToTheQueueFallback() throws Exception {
        callerChoosesTransfer(emergency("119", Optional.of(EMERGENCY_QUEUE)));
        OriginatingPbx.Pending far = pbx.awaitOriginate(1);
        far.outcome().complete(new OriginateResult(false, 3, "PJSIP/119@trunk", ""));

        OriginatingPbx.Redirect redirect = pbx.awaitRedirect(1);
        assertThat(redirect).isEqualTo(new OriginatingPbx.Redirect(caller.name(), "hotline-wait", "s"));
        // back on music in the wait context: queued as the fallback says, then answered the usual way
        service.login("1001").toCompletableFuture().get(5, TimeUnit.SECONDS);
        service.ready("1001").toCompletableFuture().get(5, TimeUnit.SECONDS);
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        await().atMost(Duration.ofSeconds(5)).until(() -> pbx.connects.size() == 1);
        assertThat(pbx.originates).hasSize(1);
        ChannelRef agentLeg = new ChannelRef("PJSIP/agent1001-00000003", "1795322299.3", caller.linkedId());
        service.onPbxEvent(new PbxEvent.DialStarted(caller, agentLeg, "agent1001"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, agentLeg, "ANSWER"));
        await().atMost(Duration.ofSeconds(5)).until(() -> desktop.pops.size() == 1);
        hangsUp(caller);

        CallSummary t = ticket();
        assertThat(t.disposition()).isEqualTo(Disposition.ANSWERED);
        assertThat(t.handledBy()).isEqualTo(CallSummary.HANDLED_BY_CENTRE);
        assertThat(t.transferTarget()).isEqualTo("119");
        assertThat(t.ivrPath()).containsSequence("threeparty:119", "transfer:119 noanswer", "fallback:queue:general",
                "agent:1001");
        assertThat(ledger.stream().filter(e -> e.kind() == CallEventKind.TRANSFERRED).reduce((a, b) -> b)
                .orElseThrow().detail()).containsEntry("agent_joined", "false");
    }

    @Test
    void farEndBusyWithoutFallbackPlaysTheNoticeAndTheTicketFails() throws Exception {
        callerChoosesTransfer(emergency("120", Optional.empty()));
        pbx.awaitOriginate(1).outcome().complete(new OriginateResult(false, 5, "PJSIP/120@trunk", ""));
        assertThat(pbx.awaitRedirect(1)).isEqualTo(new OriginatingPbx.Redirect(caller.name(), "hotline-threeparty",
                "failed"));
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, true, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        CallSummary t = ticket();
        assertThat(t.disposition()).isEqualTo(Disposition.FAILED);
        assertThat(t.endedBy()).isEqualTo("system");
        assertThat(t.ivrPath()).endsWith("threeparty:120", "transfer:120 busy");
    }

    @Test
    void withNoAgentFreeCallerAndFarEndTalkAndTheCtiHangsUpTheCallerLeftAlone() throws Exception {
        callerChoosesTransfer(emergency("110", Optional.of(EMERGENCY_QUEUE)));
        ChannelRef farLeg = answers(pbx.awaitOriginate(1), "PJSIP/trunk-00000002");
        settled();
        clock.add(Duration.ofSeconds(40));
        // the far end's Linkedid became the caller's in the conference
        ChannelRef joined = new ChannelRef(farLeg.name(), farLeg.uniqueId(), caller.linkedId());
        hangsUp(joined);
        assertThat(pbx.awaitHangup(1)).isEqualTo(caller.name());
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, true, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        CallSummary t = ticket();
        assertThat(t.disposition()).isEqualTo(Disposition.TRANSFERRED);
        assertThat(t.handledBy()).isEqualTo(CallSummary.HANDLED_BY_EXTERNAL);
        assertThat(t.agent()).isNull();
        assertThat(t.endedBy()).isEqualTo("external");
        assertThat(t.talkSeconds()).isEqualTo(40);
        // the caller talked with the far end while waiting for an agent: not a queued (call back) call
        assertThat(t.endStage()).isEqualTo(CallStage.TRANSFER);
        assertThat(t.callbackRequired()).isFalse();
        assertThat(t.ivrPath()).endsWith("transfer:110 answered", "threeparty:queue:general",
                "threeparty:no agent joined");
        // the originated leg never opened a call (and a ticket) of its own
        assertThat(store.byLinkedId(farLeg.uniqueId())).isEmpty();
    }

    @Test
    void anAgentWhoDoesNotAnswerIsAFailedOfferAndTheNextAgentIsRungIntoTheConference() throws Exception {
        service.login("1001").toCompletableFuture().get(5, TimeUnit.SECONDS);
        service.ready("1001").toCompletableFuture().get(5, TimeUnit.SECONDS);
        callerChoosesTransfer(emergency("110", Optional.of(EMERGENCY_QUEUE)));
        answers(pbx.awaitOriginate(1), "PJSIP/trunk-00000002");
        OriginatingPbx.Pending agent = pbx.awaitOriginate(2);
        agent.outcome().complete(new OriginateResult(false, 3, "PJSIP/agent1001", ""));
        // RONA: the agent goes not ready; nobody else is rung; the call stays queued with 110 talking
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.stream()
                .anyMatch(e -> e.kind() == CallEventKind.OFFER_FAILED));
        assertThat(ledger.stream().filter(e -> e.kind() == CallEventKind.OFFER_FAILED).findFirst().orElseThrow()
                .detail()).containsEntry("reason", "no_answer");
        assertThat(pbx.redirects).isEmpty();
        hangsUp(caller);
        CallSummary t = ticket();
        assertThat(t.disposition()).isEqualTo(Disposition.TRANSFERRED);
        assertThat(t.agent()).isNull();
    }

    @Test
    void aCallerWhoHangsUpWhileTheFarEndRingsGetsTheRingingLegHungUp() throws Exception {
        callerChoosesTransfer(emergency("110", Optional.of(EMERGENCY_QUEUE)));
        OriginatingPbx.Pending far = pbx.awaitOriginate(1);
        service.onPbxEvent(new PbxEvent.ChannelCreated(new ChannelRef("PJSIP/trunk-00000002",
                far.request().channelId(), far.request().channelId()), "13900008888", "", "from-trunk", "s"));
        hangsUp(caller);
        assertThat(pbx.awaitHangup(1)).isEqualTo("PJSIP/trunk-00000002");
        // it answered anyway (the hang-up crossed the answer): hung up again, no second ticket
        far.outcome().complete(new OriginateResult(true, 4, "PJSIP/trunk-00000002", far.request().channelId()));
        assertThat(pbx.awaitHangup(2)).isEqualTo("PJSIP/trunk-00000002");
        CallSummary t = ticket();
        assertThat(t.disposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(t.ivrPath()).endsWith("threeparty:110");
    }

    /** A PBX whose Originates complete when the test says, recording Redirects and Hangups. */
    static final class OriginatingPbx implements PbxControl {
        record Pending(OriginateRequest request, CompletableFuture<OriginateResult> outcome) {
        }

        record Redirect(String channel, String context, String exten) {
        }

        final List<Pending> originates = new CopyOnWriteArrayList<>();
        final List<Redirect> redirects = new CopyOnWriteArrayList<>();
        final List<String> hangups = new CopyOnWriteArrayList<>();
        final List<String> connects = new CopyOnWriteArrayList<>();

        Pending awaitOriginate(int n) {
            await().atMost(Duration.ofSeconds(5)).until(() -> originates.size() >= n);
            return originates.get(n - 1);
        }

        Redirect awaitRedirect(int n) {
            await().atMost(Duration.ofSeconds(5)).until(() -> redirects.size() >= n);
            return redirects.get(n - 1);
        }

        String awaitHangup(int n) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hangups.size() >= n);
            return hangups.get(n - 1);
        }

        @Override
        public CompletionStage<OriginateResult> originate(OriginateRequest request) {
            Pending p = new Pending(request, new CompletableFuture<>());
            originates.add(p);
            return p.outcome();
        }

        @Override
        public CompletionStage<Void> redirect(String channel, String context, String exten,
                Map<String, String> variables) {
            redirects.add(new Redirect(channel, context, exten));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> connectToAgent(String callerChannel, String agentExtension,
                Map<String, String> variables) {
            connects.add(agentExtension);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> setVariable(String channel, String name, String value) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> setGlobalVariable(String name, String value) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> hangup(String channel, int cause) {
            hangups.add(channel);
            return CompletableFuture.completedFuture(null);
        }
    }
}
