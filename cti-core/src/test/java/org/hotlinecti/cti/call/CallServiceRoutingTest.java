package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.acd.AcdSettings;
import org.hotlinecti.acd.AcdSetup;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.acd.ExitTarget;
import org.hotlinecti.acd.QueueConfig;
import org.hotlinecti.acd.RelaxationStep;
import org.hotlinecti.acd.SkillRequirement;
import org.hotlinecti.acd.Strategy;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CallbackTask;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.QueueBoard;
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

/** The call model's binding of the engine's exits, callbacks, wallboard and ready timing, against fakes. */
class CallServiceRoutingTest {

    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345政务服务便民热线", "市12345中心",
            "general", 1, 0, null, Map.of());

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);
    private final RedirectingPbx pbx = new RedirectingPbx();
    private final InMemoryTicketStore store = new InMemoryTicketStore(clock, ZoneId.of("Asia/Shanghai"));
    private ExecutorService ticketIo;
    private CallService service;
    private int channelSeq;

    @BeforeEach
    void setUp() {
        ticketIo = DaemonThreads.pool("ticket-io", 1);
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        ticketIo.shutdownNow();
    }

    private void start(QueueConfig general) {
        AcdSetup setup = new AcdSetup(AcdSettings.defaults(), List.of(general), Map.of());
        service = new CallService(CallService.Settings.of(Duration.ofSeconds(15), Duration.ofSeconds(60),
                "hotline-wait", "from-trunk"), clock, new LineDirectory(List.of(MAIN), "12345"),
                List.of(new AgentProfile("1001", "王芳", "1001", Map.of("general", 8))), setup, pbx, store,
                ticketIo, DesktopGateway.NONE);
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
    }

    private static QueueConfig general(Duration maxWait, ExitTarget target) {
        return new QueueConfig("general", List.of(RelaxationStep.of(new SkillRequirement("general", 1))),
                Strategy.LONGEST_IDLE, Duration.ZERO, Duration.ofSeconds(60), maxWait, target, null, null, null,
                List.of(), Duration.ZERO);
    }

    private ChannelRef callerWaiting(String number) {
        String uid = "1795322295." + (++channelSeq);
        ChannelRef caller = new ChannelRef(String.format("PJSIP/trunk-%08x", channelSeq), uid, uid);
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, number, number, "from-trunk", "12345"));
        AgiCall inbound = new AgiCall("inbound", caller, number, number, "12345", Map.of());
        service.ivrStarted(inbound, MAIN);
        service.routeRequested(inbound, new RoutingRequest(MAIN, "general", 1, 0, List.of("welcome",
                "queue:general")));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        return caller;
    }

    private void hangUp(ChannelRef caller) {
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
    }

    private Ticket ticketOf(ChannelRef caller) {
        await().atMost(Duration.ofSeconds(5)).until(() -> store.byLinkedId(caller.linkedId()).isPresent());
        return store.byLinkedId(caller.linkedId()).orElseThrow();
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theWallboardShowsWaitingCallsWithPositionAndTheQueueFigures() {
        start(general(null, null));
        callerWaiting("13800000001");
        ChannelRef second = callerWaiting("13800000002");

        await().until(() -> join(service.queueBoard()).waiting().size() == 2);
        QueueBoard board = join(service.queueBoard());
        assertThat(board.serviceLevelSeconds()).isEqualTo(15);
        assertThat(board.overall().waiting()).isEqualTo(2);
        assertThat(board.queues()).extracting(QueueBoard.Figures::queue).contains("general");
        assertThat(board.waiting()).extracting(QueueBoard.WaitingCall::position).containsExactly(1, 2);
        assertThat(board.waiting().get(1).callId()).isEqualTo(second.linkedId());

        hangUp(second);
        await().until(() -> join(service.queueBoard()).overall().abandoned() == 1);
        assertThat(join(service.queueBoard()).waiting()).hasSize(1);
    }

    @Test
    void maxWaitToVoicemailRedirectsTheCallerToTheExitContextWithItsLine() {
        start(general(Duration.ofSeconds(2), ExitTarget.VOICEMAIL));
        ChannelRef caller = callerWaiting("13800000003");
        await().until(() -> join(service.queueBoard()).waiting().size() == 1);

        clock.add(Duration.ofSeconds(3));
        join(service.status()); // any work on the loop re-arms the engine's wake-up, now due

        RedirectingPbx.Redirect r = pbx.awaitRedirect(1);
        assertThat(r.channel()).isEqualTo(caller.name());
        assertThat(r.context()).isEqualTo("hotline-queue-exit");
        assertThat(r.exten()).isEqualTo("voicemail");
        assertThat(r.variables()).containsEntry("CTI_LINE", "12345");
        // back on hold by accident (say, a key pressed on the way) must not queue it again
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        assertThat(join(service.queueBoard()).waiting()).isEmpty();
        assertThat(join(service.queueBoard()).overall().exited()).isEqualTo(1);
    }

    @Test
    void aCallbackKeepsThePlaceAndFallsDueWhenAnAgentWouldTakeTheCall() {
        start(general(null, null));
        ChannelRef caller = callerWaiting("13800000004");
        await().until(() -> join(service.queueBoard()).waiting().size() == 1);

        AgiCall key = new AgiCall("callback", caller, "13800000004", "", "12345", Map.of());
        assertThat(join(service.callbackRequested(key))).isTrue();
        hangUp(caller);
        Ticket ticket = ticketOf(caller);
        assertThat(ticket.call().callbackRequired()).isTrue();
        assertThat(ticket.call().ivrPath()).contains("callback:requested");
        assertThat(join(service.callbacks())).isEmpty();

        join(service.login("1001"));
        AgentView ready = join(service.ready("1001"));
        assertThat(ready.state()).isEqualTo("ready");

        await().until(() -> join(service.callbacks()).size() == 1);
        CallbackTask task = join(service.callbacks()).get(0);
        assertThat(task.callId()).isEqualTo(caller.linkedId());
        assertThat(task.caller()).isEqualTo("13800000004");
        assertThat(task.line()).isEqualTo("12345");
        assertThat(task.queue()).isEqualTo("general");
        // the agent was not rung for a caller who is not there
        assertThat(pbx.connects).isEmpty();
        assertThat(join(service.agents()).get(0).state()).isEqualTo("ready");
        assertThat(ticket.call().disposition()).isEqualTo(Disposition.ABANDONED);
    }

    @Test
    void aCallbackIsRefusedForACallBeingOffered() {
        start(general(null, null));
        join(service.login("1001"));
        join(service.ready("1001"));
        ChannelRef caller = callerWaiting("13800000005");
        await().until(() -> pbx.connects.size() == 1);

        AgiCall key = new AgiCall("callback", caller, "13800000005", "", "12345", Map.of());
        assertThat(join(service.callbackRequested(key))).isFalse();
    }

    @Test
    void anAgentReadyWhileCallsWaitIsTimedToItsOffer() {
        start(general(null, null));
        List<String> seen = new CopyOnWriteArrayList<>();
        ChannelRef caller = callerWaiting("13800000006");
        join(service.login("1001"));
        long before = System.nanoTime();
        service.observeReadyOffers((agent, extension, callId, at) -> {
            assertThat(at).isGreaterThanOrEqualTo(before);
            seen.add(agent + "/" + extension + "/" + callId);
        });
        join(service.ready("1001"));

        await().until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("1001/1001/" + caller.linkedId());
    }

    /** Records connects and redirects; every request succeeds. */
    static final class RedirectingPbx implements PbxControl {
        record Redirect(String channel, String context, String exten, Map<String, String> variables) {
        }

        final List<String> connects = new CopyOnWriteArrayList<>();
        final List<Redirect> redirects = new CopyOnWriteArrayList<>();

        Redirect awaitRedirect(int n) {
            await().atMost(Duration.ofSeconds(5)).until(() -> redirects.size() >= n);
            return redirects.get(n - 1);
        }

        @Override
        public CompletionStage<Void> connectToAgent(String callerChannel, String agentExtension,
                Map<String, String> variables) {
            connects.add(callerChannel + "->" + agentExtension);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> redirect(String channel, String context, String exten,
                Map<String, String> variables) {
            redirects.add(new Redirect(channel, context, exten, Map.copyOf(variables)));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> setVariable(String channel, String name, String value) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> hangup(String channel, int cause) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
