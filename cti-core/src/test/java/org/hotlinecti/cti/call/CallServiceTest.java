package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CtiRequestException;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.InMemoryTicketStore;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.util.DaemonThreads;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.RoutingRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * The call model against fakes, fed the event sequences Asterisk 22 produced in the captured traces
 * (testdata/asterisk-traces): answered call with the agent hanging up first, RONA, abandon in queue.
 */
class CallServiceTest {

    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345政务服务便民热线", "市12345中心",
            "general", 1, 0, null, Map.of());
    private static final DepartmentLine MARKET = new DepartmentLine("12315", "12315市场监管投诉举报热线",
            "市市场监督管理局", "market", 3, 0, null, Map.of());

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);
    private final FakePbx pbx = new FakePbx();
    private final RecordingDesktop desktop = new RecordingDesktop();
    private final InMemoryTicketStore store = new InMemoryTicketStore(clock, ZoneId.of("Asia/Shanghai"));
    private ExecutorService ticketIo;
    private CallService service;
    private int channelSeq;

    @BeforeEach
    void setUp() {
        ticketIo = DaemonThreads.pool("ticket-io", 1);
        service = newService(Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /** A service connected to a (fake) PBX, as after the CTI's start. */
    private CallService newService(Duration ringTimeout, Duration wrapUpMax, Duration offerGrace) {
        CallService s = new CallService(new CallService.Settings(ringTimeout, wrapUpMax, "hotline-wait",
                "from-trunk", offerGrace), clock, new LineDirectory(List.of(MAIN, MARKET), "12345"),
                List.of(new AgentProfile("1001", "王芳", "1001", Map.of("general", 8, "market", 6)),
                        new AgentProfile("1002", "李强", "1002", Map.of("general", 5))),
                pbx, store, ticketIo, desktop);
        s.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        return s;
    }

    private void replaceService(Duration ringTimeout, Duration wrapUpMax, Duration offerGrace) {
        service.close();
        service = newService(ringTimeout, wrapUpMax, offerGrace);
    }

    @AfterEach
    void tearDown() {
        service.close();
        ticketIo.shutdownNow();
    }

    // ------------------------------------------------------------ helpers that mimic Asterisk and the IVR

    private ChannelRef callerChannel() {
        String uid = "1795322295." + (++channelSeq);
        return new ChannelRef(String.format("PJSIP/trunk-%08x", channelSeq), uid, uid);
    }

    private ChannelRef agentLeg(ChannelRef caller, String ext) {
        ++channelSeq;
        return new ChannelRef(String.format("PJSIP/agent%s-%08x", ext, channelSeq), "1795322299." + channelSeq,
                caller.linkedId());
    }

    private AgiCall agi(ChannelRef caller, String number, String dialled, String script) {
        return new AgiCall(script, caller, number, number, dialled, Map.of());
    }

    /** Newchannel, IVR done with a routing request, MusicOnHoldStart: the caller waits in queue. */
    private ChannelRef callerWaiting(String number, DepartmentLine line, String skill) {
        ChannelRef caller = callerChannel();
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, number, number, "from-trunk", line.number()));
        AgiCall inbound = agi(caller, number, line.number(), "inbound");
        service.ivrStarted(inbound, line);
        service.routeRequested(inbound, new RoutingRequest(line, skill, 1, 0, List.of("welcome", "queue:" + skill)));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        return caller;
    }

    /** The offered agent's phone answers: DialEnd ANSWER on a new leg; returns the leg once the pop went out. */
    private ChannelRef answeredBy(ChannelRef caller, String extension) {
        int popsBefore = desktop.pops.size();
        ChannelRef leg = agentLeg(caller, extension);
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "ANSWER"));
        await().until(() -> desktop.pops.size() > popsBefore);
        return leg;
    }

    private void agentReady(String id) {
        join(service.login(id));
        join(service.ready(id));
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private AgentView agent(String id) {
        return join(service.agents()).stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private Ticket ticketOf(ChannelRef caller) {
        await().atMost(Duration.ofSeconds(5)).until(() -> store.byLinkedId(caller.linkedId()).isPresent());
        return store.byLinkedId(caller.linkedId()).orElseThrow();
    }

    // ------------------------------------------------------------ tests

    @Test
    void answeredCallPopsTheFormAndWritesOneTicketWithEverythingKnown() {
        agentReady("1001");
        clock.add(Duration.ofSeconds(3));
        ChannelRef caller = callerWaiting("13800001111", MARKET, "market");

        FakePbx.Connect connect = pbx.awaitConnect(1);
        assertThat(connect.channel()).isEqualTo(caller.name());
        assertThat(connect.extension()).isEqualTo("1001");
        // one Redirect and nothing before it: the ring timeout is the dialplan global set at login
        assertThat(connect.variables()).isEmpty();
        assertThat(pbx.globals).containsEntry("CTI_RING_TIMEOUT", "15");
        await().until(() -> agent("1001").state().equals("offered"));

        ChannelRef leg = agentLeg(caller, "1001");
        clock.add(Duration.ofSeconds(4));
        service.onPbxEvent(new PbxEvent.DialStarted(caller, leg, "agent1001"));
        service.onPbxEvent(new PbxEvent.DialRinging(caller, leg));
        clock.add(Duration.ofSeconds(2));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "ANSWER"));
        service.onPbxEvent(new PbxEvent.BridgeEntered("b1", leg, 1));
        service.onPbxEvent(new PbxEvent.BridgeEntered("b1", caller, 2));

        await().until(() -> desktop.pops.size() == 1);
        ScreenPop pop = desktop.pops.get(0);
        assertThat(pop.agent()).isEqualTo("1001");
        assertThat(pop.caller()).isEqualTo("13800001111");
        assertThat(pop.line()).isEqualTo("12315");
        assertThat(pop.department()).isEqualTo("市市场监督管理局");
        assertThat(pop.waitSeconds()).isEqualTo(6);
        assertThat(pop.draftId()).isNotBlank();
        assertThat(pop.ivrPath()).containsExactly("welcome", "queue:market", "agent:1001");
        assertThat(agent("1001").state()).isEqualTo("talking");

        // agent hangs up first (trace 01): HangupRequest(agent), BridgeLeave x2, Hangup(agent), survey, caller BYE
        clock.add(Duration.ofSeconds(20));
        service.onPbxEvent(new PbxEvent.HangupRequested(leg, false, 16));
        service.onPbxEvent(new PbxEvent.BridgeLeft("b1", leg, 1));
        service.onPbxEvent(new PbxEvent.BridgeLeft("b1", caller, 0));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(leg, 16, "Normal Clearing"));
        await().until(() -> agent("1001").state().equals("wrap_up"));
        AgiCall survey = agi(caller, "13800001111", "12315", "survey");
        service.surveyStarted(survey);
        service.surveyAnswered(survey, Optional.of(5));
        clock.add(Duration.ofSeconds(5));
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        CallSummary t = ticketOf(caller).call();
        assertThat(t.disposition()).isEqualTo(Disposition.ANSWERED);
        assertThat(t.endStage()).isEqualTo(CallStage.SURVEY);
        assertThat(t.endedBy()).isEqualTo("agent");
        assertThat(t.agent()).isEqualTo("1001");
        assertThat(t.caller()).isEqualTo("13800001111");
        assertThat(t.line()).isEqualTo("12315");
        assertThat(t.lineName()).isEqualTo("12315市场监管投诉举报热线");
        assertThat(t.skill()).isEqualTo("market");
        assertThat(t.queueWaitSeconds()).isEqualTo(6);
        assertThat(t.talkSeconds()).isEqualTo(20);
        assertThat(t.surveyScore()).isEqualTo(5);
        assertThat(t.draftId()).isEqualTo(pop.draftId());
        assertThat(t.callbackRequired()).isFalse();
        assertThat(t.ivrPath()).containsExactly("welcome", "queue:market", "agent:1001", "survey");
        await().until(() -> desktop.tickets.size() == 1);
        assertThat(desktop.tickets).extracting(Ticket::number).containsExactly(ticketOf(caller).number());
    }

    @Test
    void noAnswerMakesTheAgentNotReadyAndTheCallGoesToTheNextAgentOnceBackOnHold() {
        agentReady("1001");
        clock.add(Duration.ofSeconds(1));
        agentReady("1002");
        ChannelRef caller = callerWaiting("13800002222", MAIN, "general");
        assertThat(pbx.awaitConnect(1).extension()).isEqualTo("1001");

        ChannelRef leg = agentLeg(caller, "1001");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, leg, "agent1001"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "NOANSWER"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(leg, 0, "Unknown"));
        // not re-offered while the dialplan walks back to the wait context
        assertThat(agent("1001").state()).isEqualTo("offered");
        assertThat(pbx.connects).hasSize(1);

        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));

        assertThat(pbx.awaitConnect(2).extension()).isEqualTo("1002");
        AgentView rona = agent("1001");
        assertThat(rona.state()).isEqualTo("not_ready");
        assertThat(rona.reason()).isEqualTo("rona");
    }

    @Test
    void aDialThatFailsWithoutAnyDialEventCountsAsUnreachable() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800002222", MAIN, "general");
        pbx.awaitConnect(1);

        // PJSIP with no contact: Dial fails at once, the caller is straight back on hold
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));

        await().until(() -> "unreachable".equals(agent("1001").reason()));
    }

    @Test
    void callerWhoHangsUpInQueueGetsAnAbandonedTicketThatAsksForACallback() {
        ChannelRef caller = callerWaiting("13800003333", MARKET, "market");
        clock.add(Duration.ofSeconds(4));
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, -1));
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, true, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 0, "Unknown"));

        CallSummary t = ticketOf(caller).call();
        assertThat(t.disposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(t.endStage()).isEqualTo(CallStage.QUEUED);
        assertThat(t.endedBy()).isEqualTo("caller");
        assertThat(t.agent()).isNull();
        assertThat(t.queueWaitSeconds()).isEqualTo(4);
        assertThat(t.callbackRequired()).isTrue();
        assertThat(join(service.status()).waitingCalls()).isZero();
    }

    @Test
    void callerWhoHangsUpWhileTheAgentRingsFreesTheAgent() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800004444", MAIN, "general");
        pbx.awaitConnect(1);
        ChannelRef leg = agentLeg(caller, "1001");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, leg, "agent1001"));
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, 16));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "CANCEL"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(leg, 0, "Unknown"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        CallSummary t = ticketOf(caller).call();
        assertThat(t.disposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(t.endStage()).isEqualTo(CallStage.RINGING);
        await().until(() -> agent("1001").state().equals("ready"));
    }

    @Test
    void callerWhoHangsUpInTheIvrGetsATicketToo() {
        ChannelRef caller = callerChannel();
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, "13800005555", "", "from-trunk", "12369"));
        AgiCall inbound = agi(caller, "13800005555", "12369", "inbound");
        service.ivrStarted(inbound, MAIN);
        service.ivrAbandoned(inbound, List.of("welcome"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 0, "Unknown"));

        CallSummary t = ticketOf(caller).call();
        assertThat(t.disposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(t.endStage()).isEqualTo(CallStage.IVR);
        assertThat(t.line()).isEqualTo("12369");
        assertThat(t.callbackRequired()).isFalse();
    }

    @Test
    void theFormSavedDuringWrapUpLandsOnTheTicketAndEndsWrapUp() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800006666", MAIN, "general");
        pbx.awaitConnect(1);
        ChannelRef leg = agentLeg(caller, "1001");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, leg, "agent1001"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "ANSWER"));
        await().until(() -> desktop.pops.size() == 1);
        String draft = desktop.pops.get(0).draftId();
        // caller hangs up first: caller and agent legs go together (trace 03)
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(leg, 16, "Normal Clearing"));
        Ticket written = ticketOf(caller);
        assertThat(written.call().endedBy()).isEqualTo("caller");
        await().until(() -> agent("1001").state().equals("wrap_up"));

        AgentView after = join(service.submitForm("1001", draft, Map.of("summary", "咨询社保缴费", "category", "咨询")));

        assertThat(after.state()).isEqualTo("ready");
        await().until(() -> store.byLinkedId(caller.linkedId()).orElseThrow().form().containsKey("summary"));
        assertThat(store.byLinkedId(caller.linkedId()).orElseThrow().form()).containsEntry("category", "咨询");
    }

    @Test
    void aFormSavedBeforeTheCallEndsIsWrittenWithTheTicket() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800007777", MAIN, "general");
        pbx.awaitConnect(1);
        answeredBy(caller, "1001");
        join(service.submitForm("1001", desktop.pops.get(0).draftId(), Map.of("summary", "噪音投诉")));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        assertThat(ticketOf(caller).form()).containsEntry("summary", "噪音投诉");
    }

    @Test
    void formsAreCheckedAgainstTheirOwnerAndUnknownDrafts() {
        assertThatThrownBy(() -> join(service.submitForm("1001", "no-such-draft", Map.of())))
                .isInstanceOf(CtiRequestException.class).hasMessage("unknown draft no-such-draft");
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800008888", MAIN, "general");
        pbx.awaitConnect(1);
        answeredBy(caller, "1001");

        assertThatThrownBy(() -> join(service.submitForm("1002", desktop.pops.get(0).draftId(), Map.of())))
                .isInstanceOf(CtiRequestException.class).hasMessageContaining("belongs to agent 1001");
    }

    @Test
    void aRefusedRedirectFreesTheAgentAndTheCallIsOfferedAgain() {
        // a refusal that is not about the channel: the call is still there
        agentReady("1001");
        pbx.failNext(PbxActionException.Outcome.REFUSED, "Redirect failed");
        callerWaiting("13800009999", MAIN, "general");

        pbx.awaitConnect(1);
        // after the refusal the agent is free and the still-waiting call is offered again (after a short pause)
        assertThat(pbx.awaitConnect(2).extension()).isEqualTo("1001");
    }

    @Test
    void aTicketIsRetriedUntilTheStoreTakesItAndWrittenOnce() {
        store.failNextWrites(2);
        ChannelRef caller = callerWaiting("13900001111", MAIN, "general");
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 0, "Unknown"));

        ticketOf(caller);
        assertThat(store.writeAttempts()).isEqualTo(3);
        assertThat(store.count()).isEqualTo(1);
        await().until(() -> join(service.status()).ticketsWritten() == 1);
    }

    @Test
    void aCallThatReachesTheWaitContextWithoutTheIvrIsRoutedByItsLine() {
        agentReady("1001");
        ChannelRef caller = callerChannel();
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, "13700001111", "", "from-trunk", "12315"));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));

        assertThat(pbx.awaitConnect(1).extension()).isEqualTo("1001");
    }

    @Test
    void agentCommandsReportUnknownAgentsAndForbiddenTransitions() {
        assertThatThrownBy(() -> join(service.login("9999"))).isInstanceOf(CtiRequestException.class)
                .extracting(e -> ((CtiRequestException) e).kind()).isEqualTo(CtiRequestException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> join(service.ready("1001"))).isInstanceOf(CtiRequestException.class)
                .extracting(e -> ((CtiRequestException) e).kind()).isEqualTo(CtiRequestException.Kind.CONFLICT);
        assertThat(join(service.login("1001")).reason()).isEqualTo("login");
        assertThat(desktop.agents).extracting(AgentView::state).contains("not_ready");
    }

    @Test
    void aRedirectRefusedBecauseTheChannelIsGoneEndsTheCallWithATicket() {
        agentReady("1001");
        pbx.failNext(PbxActionException.Outcome.REFUSED, "Channel does not exist: PJSIP/trunk-00000001");
        ChannelRef caller = callerWaiting("13800001212", MAIN, "general");

        // its Hangup was never seen (e.g. lost with the AMI connection): the call must not wait for ever
        CallSummary t = ticketOf(caller).call();
        assertThat(t.disposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(t.endedBy()).isEqualTo("system");
        await().until(() -> agent("1001").state().equals("ready"));
        assertThat(pbx.connects).hasSize(1);
    }

    @Test
    void aRedirectWithoutAnswerKeepsTheOfferUntilTheWatchdogOffersTheCallAgain() {
        replaceService(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMillis(300));
        agentReady("1001");
        pbx.failNext(PbxActionException.Outcome.UNKNOWN, "no response within 5000 ms");
        callerWaiting("13800001313", MAIN, "general");
        pbx.awaitConnect(1);

        // the Redirect may have happened: no second offer while it could still be ringing
        assertThat(agent("1001").state()).isEqualTo("offered");
        assertThat(pbx.connects).hasSize(1);
        // nothing came of it (no dial, no return to hold, no hang-up): withdrawn and offered again
        assertThat(pbx.awaitConnect(2).extension()).isEqualTo("1001");
        assertThat(agent("1001").reason()).isNull();
    }

    @Test
    void anOfferMadeWhileAmiIsDownIsSentWhenItIsBack() {
        service.onPbxEvent(new PbxEvent.Disconnected("AMI connection lost", false));
        agentReady("1001");
        callerWaiting("13800001414", MAIN, "general");
        await().until(() -> agent("1001").state().equals("offered"));
        assertThat(pbx.connects).isEmpty();

        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));

        assertThat(pbx.awaitConnect(1).extension()).isEqualTo("1001");
    }

    @Test
    void aDialCancelledWhileTheCallerStaysIsNotTheAgentsFault() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001515", MAIN, "general");
        pbx.awaitConnect(1);
        ChannelRef leg = agentLeg(caller, "1001");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, leg, "agent1001"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "CANCEL"));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));

        // offered again, and the agent was not made not ready
        assertThat(pbx.awaitConnect(2).extension()).isEqualTo("1001");
        assertThat(desktop.agents).noneMatch(a -> "not_ready".equals(a.state()) && a.id().equals("1001")
                && a.reason() != null && !a.reason().equals("login"));
    }

    @Test
    void callsThatDoNotComeFromTheTrunkAreNotHotlineCalls() {
        // an agent's own outgoing call starts in the agents context
        ChannelRef own = new ChannelRef("PJSIP/agent1001-000000aa", "1795322400.170", "1795322400.170");
        service.onPbxEvent(new PbxEvent.ChannelCreated(own, "1001", "王芳", "agents", "13900001111"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(own, 16, "Normal Clearing"));
        ChannelRef caller = callerWaiting("13800001616", MAIN, "general");
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 0, "Unknown"));

        ticketOf(caller);
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void dialEventsWithoutACallingChannelAreIgnored() {
        agentReady("1001");
        ChannelRef originated = new ChannelRef("PJSIP/agent1001-000000ab", "cti-agent-leg-1", "cti-agent-leg-1");
        service.onPbxEvent(new PbxEvent.DialStarted(null, originated, "agent1001"));
        service.onPbxEvent(new PbxEvent.DialEnded(null, originated, "ANSWER"));
        ChannelRef caller = callerWaiting("13800001717", MAIN, "general");

        // the loop kept working
        assertThat(pbx.awaitConnect(1).channel()).isEqualTo(caller.name());
    }

    @Test
    void aFormSavedDuringTheTalkEndsWrapUpAtHangUp() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001818", MAIN, "general");
        pbx.awaitConnect(1);
        answeredBy(caller, "1001");
        join(service.submitForm("1001", desktop.pops.get(0).draftId(), Map.of("summary", "路灯不亮")));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        await().until(() -> agent("1001").state().equals("ready"));
        assertThat(desktop.agents).extracting(AgentView::state).contains("wrap_up");
    }

    @Test
    void wrapUpEndsAtItsCapWhenNoFormComes() {
        replaceService(Duration.ofSeconds(15), Duration.ofMillis(300), Duration.ofSeconds(10));
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001919", MAIN, "general");
        pbx.awaitConnect(1);
        answeredBy(caller, "1001");
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
        await().until(() -> agent("1001").state().equals("wrap_up"));

        await().atMost(Duration.ofSeconds(3)).until(() -> agent("1001").state().equals("ready"));
    }

    @Test
    void ticketsStillFailingAtShutdownAreTriedOnceMore() {
        store.failNextWrites(1_000);
        ChannelRef caller = callerWaiting("13800002020", MAIN, "general");
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 0, "Unknown"));
        await().until(() -> store.writeAttempts() >= 1);
        store.failNextWrites(0);

        service.close();

        assertThat(store.byLinkedId(caller.linkedId())).isPresent();
    }

    @Test
    void theScreenPopCarriesTheCallersEarlierTickets() {
        ChannelRef first = callerWaiting("13800002121", MAIN, "general");
        service.onPbxEvent(new PbxEvent.ChannelHungUp(first, 0, "Unknown"));
        Ticket earlier = ticketOf(first);
        agentReady("1001");
        ChannelRef again = callerWaiting("13800002121", MAIN, "general");
        pbx.awaitConnect(1);
        answeredBy(again, "1001");

        assertThat(desktop.pops.get(0).earlierTickets()).extracting(ScreenPop.TicketBrief::number)
                .containsExactly(earlier.number());
    }

    // ------------------------------------------------------------ fakes

    /** Records what the CTI asks of the PBX; can refuse the next request like Asterisk would. */
    static final class FakePbx implements PbxControl {
        record Connect(String channel, String extension, Map<String, String> variables) {
        }

        final List<Connect> connects = new CopyOnWriteArrayList<>();
        final Map<String, String> globals = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile PbxActionException failure;

        void failNext(PbxActionException.Outcome outcome, String message) {
            failure = new PbxActionException("Redirect", outcome, message);
        }

        Connect awaitConnect(int n) {
            await().atMost(Duration.ofSeconds(5)).until(() -> connects.size() >= n);
            return connects.get(n - 1);
        }

        @Override
        public CompletionStage<Void> connectToAgent(String callerChannel, String agentExtension,
                Map<String, String> variables) {
            connects.add(new Connect(callerChannel, agentExtension, Map.copyOf(variables)));
            PbxActionException next = failure;
            failure = null;
            return next == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(next);
        }

        @Override
        public CompletionStage<Void> setVariable(String channel, String name, String value) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> setGlobalVariable(String name, String value) {
            globals.put(name, value);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> hangup(String channel, int cause) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Records what desktops would receive. */
    static final class RecordingDesktop implements DesktopGateway {
        final List<ScreenPop> pops = new CopyOnWriteArrayList<>();
        final List<AgentView> agents = new CopyOnWriteArrayList<>();
        final List<Ticket> tickets = new CopyOnWriteArrayList<>();

        @Override
        public void screenPop(ScreenPop pop) {
            pops.add(pop);
        }

        @Override
        public void agentChanged(AgentView agent) {
            agents.add(agent);
        }

        @Override
        public void ticketSaved(Ticket ticket) {
            tickets.add(ticket);
        }
    }
}
