package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hotlinecti.ivr.IvrOutcome.TransferKind.EXTERNAL;
import static org.hotlinecti.ivr.IvrOutcome.TransferKind.SUB_CENTRE;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.InMemoryTicketStore;
import org.hotlinecti.cti.util.DaemonThreads;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.RecordingResult;
import org.hotlinecti.ivr.RoutingRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * IVR outcomes other than a route, end to end through {@link HotlineIvr} and {@link CallService}: a scripted flow
 * runner decides, the test checks what the dialplan is told (channel variables) and, after feeding the AMI events the
 * dialplan would cause, what the ticket says.
 */
class IvrOutcomesTest {

    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345政务服务便民热线", "市12345中心",
            "general", 1, 0, null, Map.of());
    private static final DepartmentLine MARKET = new DepartmentLine("12315", "12315市场监管投诉举报热线",
            "市市场监督管理局", "market", 1, 0, null, Map.of());

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-02T14:30:00Z"), ZoneOffset.UTC);
    private final CallServiceTest.FakePbx pbx = new CallServiceTest.FakePbx();
    private final CallServiceTest.RecordingDesktop desktop = new CallServiceTest.RecordingDesktop();
    private final InMemoryTicketStore store = new InMemoryTicketStore(clock, ZoneId.of("Asia/Shanghai"));
    /** What the scripted flow runner does for the next caller. */
    private final AtomicReference<IvrFlowRunner> flow = new AtomicReference<>();
    private ExecutorService ticketIo;
    private CallService service;
    private HotlineIvr ivr;
    private int channelSeq;

    @BeforeEach
    void setUp() {
        ticketIo = DaemonThreads.pool("ticket-io", 1);
        LineDirectory lines = new LineDirectory(List.of(MAIN, MARKET), "12345");
        service = new CallService(CallService.Settings.of(Duration.ofSeconds(15), Duration.ofSeconds(60),
                "hotline-wait", "from-trunk"), clock, lines,
                List.of(new AgentProfile("1001", "王芳", "1001", Map.of("general", 8, "market", 6))),
                pbx, store, ticketIo, desktop);
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        ivr = new HotlineIvr(lines, service, (channel, call, line) -> flow.get().run(channel, call, line),
                "/var/spool/asterisk/monitor/");
    }

    @AfterEach
    void tearDown() {
        service.close();
        ticketIo.shutdownNow();
    }

    private ChannelRef callerChannel() {
        String uid = "1795322295." + (++channelSeq);
        return new ChannelRef(String.format("PJSIP/trunk-%08x", channelSeq), uid, uid);
    }

    private ChannelRef leg(ChannelRef caller, String endpoint) {
        ++channelSeq;
        return new ChannelRef(String.format("PJSIP/%s-%08x", endpoint, channelSeq), "1795322299." + channelSeq,
                caller.linkedId());
    }

    /** Newchannel, then the inbound AGI session with the scripted flow; returns once the session would end. */
    private ChannelRef callRunsIvr(String number, DepartmentLine line, ScriptedChannel channel, IvrFlowRunner runner)
            throws Exception {
        ChannelRef caller = callerChannel();
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, number, number, "from-trunk", line.number()));
        flow.set(runner);
        ivr.inbound(channel, new AgiCall("inbound", caller, number, number, line.number(), Map.of()))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        return caller;
    }

    private void callerHangsUp(ChannelRef caller) {
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, -1));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
    }

    private CallSummary ticketOf(ChannelRef caller) {
        await().atMost(Duration.ofSeconds(5)).until(() -> store.byLinkedId(caller.linkedId()).isPresent());
        return store.byLinkedId(caller.linkedId()).orElseThrow().call();
    }

    private static IvrFlowRunner deciding(IvrOutcome outcome) {
        return (channel, call, line) -> CompletableFuture.completedFuture(outcome);
    }

    @Test
    void voicemailIsRecordedUnderTheRecordingDirectoryAndTheTicketCarriesItWithACallBack() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().recordingEndsBy(RecordingResult.End.DIGIT);
        ChannelRef caller = callRunsIvr("13800001111", MARKET, channel, (ch, call, line) ->
                ch.record("voicemail/2026/03/02/vm-" + call.channel().linkedId(), "wav", "#",
                        Duration.ofSeconds(120), Duration.ofSeconds(5), true)
                        .thenApply(r -> new IvrOutcome.Voicemail(line, r, "closed", List.of("closed", "voicemail"))));

        // the PBX gets the absolute path; the flow and the ticket see it relative to the recording root
        assertThat(channel.log).containsExactly(
                "record:/var/spool/asterisk/monitor/voicemail/2026/03/02/vm-" + caller.linkedId() + ".wav:120s:5s:beep",
                "set:CTI_NEXT=hangup");
        // the dialplan hangs up (hotline-end): a soft hang-up of the caller's channel
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, true, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        CallSummary t = ticketOf(caller);
        assertThat(t.disposition()).isEqualTo(Disposition.VOICEMAIL);
        assertThat(t.recording()).isEqualTo("voicemail/2026/03/02/vm-" + caller.linkedId() + ".wav");
        assertThat(t.callbackRequired()).isTrue();
        assertThat(t.endedBy()).isEqualTo("system");
        assertThat(t.endStage()).isEqualTo(CallStage.IVR);
        assertThat(t.handledBy()).isNull();
        assertThat(t.line()).isEqualTo("12315");
        assertThat(t.ivrPath()).containsExactly("closed", "voicemail");
    }

    @Test
    void aVoicemailCutShortByTheCallerHangingUpIsStillOnTheTicket() throws Exception {
        ScriptedChannel channel = new ScriptedChannel().recordingEndsBy(RecordingResult.End.CALLER_HUNG_UP);
        ChannelRef caller = callRunsIvr("13800001111", MARKET, channel, deciding(new IvrOutcome.Voicemail(MARKET,
                new RecordingResult("voicemail/x/vm-1", "wav", RecordingResult.End.CALLER_HUNG_UP, (char) 0),
                "closed", List.of("closed", "voicemail"))));
        callerHangsUp(caller);

        CallSummary t = ticketOf(caller);
        assertThat(t.disposition()).isEqualTo(Disposition.VOICEMAIL);
        assertThat(t.recording()).isEqualTo("voicemail/x/vm-1.wav");
        assertThat(t.endedBy()).isEqualTo("caller");
        assertThat(t.callbackRequired()).isTrue();
    }

    @Test
    void emergencyTransferAnsweredByTheFarEndIsTransferredToItsNumber() throws Exception {
        ScriptedChannel channel = new ScriptedChannel();
        ChannelRef caller = callRunsIvr("13900002222", MAIN, channel, deciding(new IvrOutcome.Transfer(EXTERNAL,
                "120", "120急救", false, Duration.ofSeconds(20), Optional.empty(), Optional.empty(),
                List.of("welcome", "menu:9 120急救", "transfer:120"))));
        assertThat(channel.variables).containsEntry("CTI_NEXT", "transfer").containsEntry("CTI_TRANSFER_NUMBER",
                "120").containsEntry("CTI_TRANSFER_TIMEOUT", "20");
        // the carrier trunk: the dialplan's CTI_DEFAULT_TRUNK
        assertThat(channel.variables).doesNotContainKey("CTI_TRANSFER_TRUNK");

        // hotline-transfer dials PJSIP/120@trunk; 120 answers, talks 30 s and hangs up first
        ChannelRef far = leg(caller, "trunk");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, far, "120@trunk"));
        clock.add(Duration.ofSeconds(3));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, far, "ANSWER"));
        settled();
        clock.add(Duration.ofSeconds(30));
        service.onPbxEvent(new PbxEvent.HangupRequested(far, false, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(far, 16, "Normal Clearing"));
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, true, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        CallSummary t = ticketOf(caller);
        assertThat(t.disposition()).isEqualTo(Disposition.TRANSFERRED);
        assertThat(t.transferTarget()).isEqualTo("120");
        assertThat(t.handledBy()).isEqualTo(CallSummary.HANDLED_BY_EXTERNAL);
        assertThat(t.endedBy()).isEqualTo("external");
        assertThat(t.endStage()).isEqualTo(CallStage.TRANSFER);
        assertThat(t.talkSeconds()).isEqualTo(30);
        assertThat(t.agent()).isNull();
        assertThat(t.ivrPath()).containsExactly("welcome", "menu:9 120急救", "transfer:120", "transfer:120 answered");
        assertThat(pbx.connects).isEmpty();
    }

    @Test
    void anUnansweredTransferWithoutFallbackFailsAndNeverReachesTheQueue() throws Exception {
        ChannelRef caller = callRunsIvr("13900002222", MAIN, new ScriptedChannel(), deciding(new IvrOutcome.Transfer(
                EXTERNAL, "119", "119火警", false, Duration.ofSeconds(20), Optional.empty(), Optional.empty(),
                List.of("transfer:119"))));
        ChannelRef far = leg(caller, "trunk");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, far, "119@trunk"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, far, "NOANSWER"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(far, 0, "Unknown"));
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, true, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        CallSummary t = ticketOf(caller);
        assertThat(t.disposition()).isEqualTo(Disposition.FAILED);
        assertThat(t.transferTarget()).isEqualTo("119");
        assertThat(t.handledBy()).isNull();
        assertThat(t.endedBy()).isEqualTo("system");
        assertThat(t.ivrPath()).containsExactly("transfer:119", "transfer:119 noanswer");
    }

    @Test
    void subCentreThatDoesNotAnswerFallsBackToThePoolAndTheAgentWhoAnswersHandlesIt() throws Exception {
        join(service.login("1001"));
        join(service.ready("1001"));
        ScriptedChannel channel = new ScriptedChannel();
        RoutingRequest pool = new RoutingRequest(MARKET, "market", 1, 0, List.of());
        ChannelRef caller = callRunsIvr("13700003333", MARKET, channel, deciding(new IvrOutcome.Transfer(SUB_CENTRE,
                "88001234", "12315 分中心", false, Duration.ofSeconds(20), Optional.of("sc12315"), Optional.of(pool),
                List.of("welcome", "sub_centre:88001234"))));
        assertThat(channel.variables).containsEntry("CTI_NEXT", "subcentre")
                .containsEntry("CTI_TRANSFER_TRUNK", "sc12315").containsEntry("CTI_TRANSFER_NUMBER", "88001234");

        ChannelRef far = leg(caller, "sc12315");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, far, "88001234@sc12315"));
        settled();
        clock.add(Duration.ofSeconds(20));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, far, "NOANSWER"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(far, 0, "Unknown"));
        assertThat(pbx.connects).isEmpty();
        // hotline-subcentre sends the caller to wait: now it is queued for the pool
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        CallServiceTest.FakePbx.Connect connect = pbx.awaitConnect(1);
        assertThat(connect.extension()).isEqualTo("1001");

        ChannelRef agentLeg = leg(caller, "agent1001");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, agentLeg, "agent1001"));
        clock.add(Duration.ofSeconds(2));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, agentLeg, "ANSWER"));
        await().until(() -> desktop.pops.size() == 1);
        clock.add(Duration.ofSeconds(10));
        callerHangsUp(caller);

        CallSummary t = ticketOf(caller);
        assertThat(t.disposition()).isEqualTo(Disposition.ANSWERED);
        assertThat(t.handledBy()).isEqualTo(CallSummary.HANDLED_BY_CENTRE);
        assertThat(t.transferTarget()).isEqualTo("88001234");
        assertThat(t.agent()).isEqualTo("1001");
        assertThat(t.skill()).isEqualTo("market");
        assertThat(t.queueWaitSeconds()).isEqualTo(2);
        assertThat(t.talkSeconds()).isEqualTo(10);
        assertThat(t.ivrPath()).containsExactly("welcome", "sub_centre:88001234", "transfer:88001234 noanswer",
                "fallback:queue:market", "agent:1001");
    }

    @Test
    void subCentreThatAnswersHandlesTheCallAndTheAgentsAreNotBothered() throws Exception {
        join(service.login("1001"));
        join(service.ready("1001"));
        RoutingRequest pool = new RoutingRequest(MARKET, "market", 1, 0, List.of());
        ChannelRef caller = callRunsIvr("13700003333", MARKET, new ScriptedChannel(), deciding(
                new IvrOutcome.Transfer(SUB_CENTRE, "88001234", "12315 分中心", false, Duration.ofSeconds(20),
                        Optional.of("sc12315"), Optional.of(pool), List.of("sub_centre:88001234"))));
        ChannelRef far = leg(caller, "sc12315");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, far, "88001234@sc12315"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, far, "ANSWER"));
        settled();
        clock.add(Duration.ofSeconds(7));
        callerHangsUp(caller);

        CallSummary t = ticketOf(caller);
        assertThat(t.disposition()).isEqualTo(Disposition.TRANSFERRED);
        assertThat(t.handledBy()).isEqualTo(CallSummary.HANDLED_BY_SUB_CENTRE);
        assertThat(t.endedBy()).isEqualTo("caller");
        assertThat(t.talkSeconds()).isEqualTo(7);
        assertThat(t.callbackRequired()).isFalse();
        assertThat(pbx.connects).isEmpty();
    }

    @Test
    void anEmergencyTransferWithAFallbackIsStillHandledByTheOutsideNumberWhenItAnswers() throws Exception {
        // the emergency flow's transfers fall back to the queue: the dialplan dials as for a sub-centre, but the
        // ticket must not say a sub-centre handled a 110 call
        RoutingRequest queue = new RoutingRequest(MAIN, "general", 1, 5, List.of());
        ScriptedChannel channel = new ScriptedChannel();
        ChannelRef caller = callRunsIvr("13900002222", MAIN, channel, deciding(new IvrOutcome.Transfer(EXTERNAL,
                "110", "110报警", false, Duration.ofSeconds(30), Optional.empty(), Optional.of(queue),
                List.of("transfer:110报警"))));
        assertThat(channel.variables).containsEntry("CTI_NEXT", "subcentre").containsEntry("CTI_TRANSFER_NUMBER",
                "110");
        ChannelRef far = leg(caller, "trunk");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, far, "110@trunk"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, far, "ANSWER"));
        settled();
        callerHangsUp(caller);

        CallSummary t = ticketOf(caller);
        assertThat(t.disposition()).isEqualTo(Disposition.TRANSFERRED);
        assertThat(t.handledBy()).isEqualTo(CallSummary.HANDLED_BY_EXTERNAL);
        assertThat(t.transferTarget()).isEqualTo("110");
    }

    @Test
    void aCallEndedByTheIvrAfterANoticeIsTicketedAsSuch() throws Exception {
        ScriptedChannel channel = new ScriptedChannel();
        ChannelRef caller = callRunsIvr("13500004444", MAIN, channel, deciding(new IvrOutcome.Ended(
                "not_accepted:court", List.of("welcome", "menu:8 法院诉讼类", "notice:not_accepted:court"))));
        assertThat(channel.log).containsExactly("set:CTI_NEXT=hangup");
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, true, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        CallSummary t = ticketOf(caller);
        assertThat(t.disposition()).isEqualTo(Disposition.ENDED_BY_IVR);
        assertThat(t.endedBy()).isEqualTo("system");
        assertThat(t.callbackRequired()).isFalse();
        assertThat(t.ivrPath()).endsWith("notice:not_accepted:court");
    }

    @Test
    void aCallerGoneBeforeTheDialplanIsToldStillGetsTheOutcomeOnTheTicket() throws Exception {
        // the caller hangs up right after the flow decided: setting CTI_NEXT fails, the outcome is reported anyway
        ScriptedChannel channel = new ScriptedChannel().hangingUpAfter(0);
        ChannelRef caller = callRunsIvr("13500004444", MAIN, channel, deciding(new IvrOutcome.Ended(
                "not_accepted:court", List.of("notice:not_accepted:court"))));
        assertThat(channel.log).containsExactly("hungup-at:set:CTI_NEXT=hangup");
        callerHangsUp(caller);

        assertThat(ticketOf(caller).disposition()).isEqualTo(Disposition.ENDED_BY_IVR);
    }

    /** Everything posted so far has been handled on the call loop (it reads the clock when it handles an event). */
    private void settled() {
        join(service.agents());
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
