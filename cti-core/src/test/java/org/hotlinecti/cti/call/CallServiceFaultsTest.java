package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.InMemoryTicketStore;
import org.hotlinecti.cti.util.DaemonThreads;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.RoutingRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * The call model under PBX faults: AMI outages with a resync, Asterisk restarts, duplicated and reordered events,
 * channel renames and Linkedid changes. Every case must end with exactly one ticket per call and no agent stuck.
 */
class CallServiceFaultsTest {

    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345政务服务便民热线", "市12345中心",
            "general", 1, 0, null, Map.of());

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);
    private final CallServiceTest.FakePbx pbx = new CallServiceTest.FakePbx();
    private final CallServiceTest.RecordingDesktop desktop = new CallServiceTest.RecordingDesktop();
    private final InMemoryTicketStore store = new InMemoryTicketStore(clock, ZoneId.of("Asia/Shanghai"));
    private ExecutorService ticketIo;
    private CallService service;
    private int seq;

    @BeforeEach
    void setUp() {
        ticketIo = DaemonThreads.pool("ticket-io", 1);
        service = new CallService(new CallService.Settings(Duration.ofSeconds(15), Duration.ofSeconds(60),
                "hotline-wait", "from-trunk", Duration.ofSeconds(10)), clock,
                new LineDirectory(List.of(MAIN), "12345"),
                List.of(new AgentProfile("1001", "王芳", "1001", Map.of("general", 8)),
                        new AgentProfile("1002", "李强", "1002", Map.of("general", 5))),
                pbx, store, ticketIo, desktop);
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        service.onPbxEvent(new PbxEvent.Resynced(List.of()));
    }

    @AfterEach
    void tearDown() {
        service.close();
        ticketIo.shutdownNow();
    }

    // ------------------------------------------------------------ outage + resync

    @Test
    void callsThatEndedDuringAnOutageGetOneTicketEachAndTheirAgentsAreReleased() {
        agentReady("1001");
        ChannelRef talking = callerWaiting("13800002222");
        pbx.awaitConnect(1);
        ChannelRef leg = answeredBy(talking, "1001");
        ChannelRef waiting = callerWaiting("13800001111");
        ChannelRef survivor = callerWaiting("13800003333");

        outage();
        clock.add(Duration.ofSeconds(30));
        // only the third caller is still there after the reconnect
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        service.onPbxEvent(new PbxEvent.Resynced(List.of(onHold(survivor))));

        assertThat(ticketOf(waiting).disposition()).isEqualTo(Disposition.ABANDONED);
        CallSummary answered = ticketOf(talking);
        assertThat(answered.disposition()).isEqualTo(Disposition.ANSWERED);
        assertThat(answered.endedBy()).isEqualTo("system");
        await().until(() -> agent("1001").state().equals("wrap_up"));
        assertThat(join(service.status()).activeCalls()).isEqualTo(1);
        // the ended calls' late Hangups (replayed after the reconnect) change nothing
        service.onPbxEvent(new PbxEvent.ChannelHungUp(leg, 16, "Normal Clearing"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(talking, 16, "Normal Clearing"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(waiting, 0, "Unknown"));
        assertThat(ticketsWritten()).isEqualTo(2);
        assertThat(store.byLinkedId(survivor.linkedId())).isEmpty();
    }

    @Test
    void anAnsweredCallWhoseAgentLegVanishedStopsTalkingButTheCallGoesOn() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001111");
        pbx.awaitConnect(1);
        answeredBy(caller, "1001");

        outage();
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        service.onPbxEvent(new PbxEvent.Resynced(List.of(new ChannelSnapshot(caller, "hotline-connect", "1001",
                "AGI", ""))));

        await().until(() -> agent("1001").state().equals("wrap_up"));
        assertThat(join(service.status()).activeCalls()).isEqualTo(1);
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
        assertThat(ticketOf(caller).disposition()).isEqualTo(Disposition.ANSWERED);
    }

    @Test
    void anOfferWhoseCallerIsBackOnHoldAfterAnOutageIsWithdrawnAndTheAgentIsReady() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001111");
        pbx.awaitConnect(1);
        await().until(() -> agent("1001").state().equals("offered"));

        outage();
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        service.onPbxEvent(new PbxEvent.Resynced(List.of(onHold(caller))));

        // not the agent's fault: ready again, and the waiting call is offered to it once more
        pbx.awaitConnect(2);
        await().until(() -> agent("1001").state().equals("offered"));
        assertThat(join(service.status()).activeCalls()).isEqualTo(1);
    }

    @Test
    void anOfferAnsweredDuringTheOutageIsTakenAsAnswered() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001111");
        pbx.awaitConnect(1);
        ChannelRef leg = agentLeg(caller, "1001");

        outage();
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        service.onPbxEvent(new PbxEvent.Resynced(List.of(
                new ChannelSnapshot(caller, "hotline-connect", "1001", "Dial", "b-1"),
                new ChannelSnapshot(leg, "agents", "", "AppDial", "b-1"))));

        await().until(() -> agent("1001").state().equals("talking"));
        assertThat(desktop.pops).hasSize(1);
    }

    @Test
    void callsFirstSeenAfterTheLoginAreNotJudgedByTheResync() {
        outage();
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        // a call arrives between the login and the channel list, and the list does not show it yet
        ChannelRef caller = callerWaiting("13800001111");
        service.onPbxEvent(new PbxEvent.Resynced(List.of()));

        assertThat(join(service.status()).activeCalls()).isEqualTo(1);
    }

    // ------------------------------------------------------------ restart

    @Test
    void anAsteriskRestartEndsEveryEarlierCallOnceAndKeepsNewOnes() {
        agentReady("1001");
        ChannelRef talking = callerWaiting("13800001111");
        pbx.awaitConnect(1);
        answeredBy(talking, "1001");
        ChannelRef waiting = callerWaiting("13800002222");

        outage();
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
        ChannelRef fresh = callerWaiting("13800003333");
        service.onPbxEvent(new PbxEvent.FullyBooted(1));
        service.onPbxEvent(new PbxEvent.PbxRestarted("Asterisk restarted: uptime 1 s, expected about 468 s"));
        service.onPbxEvent(new PbxEvent.Resynced(List.of(onHold(fresh))));

        assertThat(ticketOf(talking).disposition()).isEqualTo(Disposition.ANSWERED);
        assertThat(ticketOf(waiting).disposition()).isEqualTo(Disposition.ABANDONED);
        await().until(() -> agent("1001").state().equals("wrap_up"));
        assertThat(join(service.status()).activeCalls()).isEqualTo(1);
        assertThat(ticketsWritten()).isEqualTo(2);
    }

    @Test
    void aShutdownEndsEveryCallWithOneTicket() {
        ChannelRef a = callerWaiting("13800001111");
        ChannelRef b = callerWaiting("13800002222");
        // core stop now: Hangup of a first, then Shutdown
        service.onPbxEvent(new PbxEvent.ChannelHungUp(a, 0, "Unknown"));
        service.onPbxEvent(new PbxEvent.Shutdown(false));
        service.onPbxEvent(new PbxEvent.Disconnected("AMI connection lost", false));

        assertThat(ticketOf(a).endedBy()).isEqualTo("caller");
        assertThat(ticketOf(b).endedBy()).isEqualTo("system");
        assertThat(join(service.status()).activeCalls()).isZero();
        assertThat(ticketsWritten()).isEqualTo(2);
    }

    // ------------------------------------------------------------ duplicates, order, identity changes

    @Test
    void aDuplicatedHangupWritesOneTicket() {
        ChannelRef caller = callerWaiting("13800001111");
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        ticketOf(caller);
        assertThat(ticketsWritten()).isEqualTo(1);
    }

    @Test
    void eventsArrivingAfterTheHangupDoNotReopenTheCall() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001111");
        pbx.awaitConnect(1);
        ChannelRef leg = agentLeg(caller, "1001");
        service.onPbxEvent(new PbxEvent.DialStarted(caller, leg, "agent1001"));
        // the caller's Hangup overtakes the end of the dial and the IVR's late reports
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "CANCEL"));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, "13800001111", "", "from-trunk", "12345"));
        AgiCall late = new AgiCall("inbound", caller, "13800001111", "13800001111", "12345", Map.of());
        service.ivrStarted(late, MAIN);
        service.routeRequested(late, new RoutingRequest(MAIN, "general", 1, 0, List.of("welcome")));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(leg, 0, "Unknown"));

        CallSummary t = ticketOf(caller);
        assertThat(t.endStage()).isEqualTo(CallStage.RINGING);
        await().until(() -> agent("1001").state().equals("ready"));
        assertThat(join(service.status()).activeCalls()).isZero();
        assertThat(ticketsWritten()).isEqualTo(1);
    }

    @Test
    void aRenamedCallerChannelIsRedirectedByItsNewName() {
        ChannelRef caller = callerChannel();
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, "13800001111", "", "from-trunk", "12345"));
        service.onPbxEvent(new PbxEvent.ChannelRenamed(caller, "PJSIP/trunk-masq-00000099"));
        ChannelRef renamed = new ChannelRef("PJSIP/trunk-masq-00000099", caller.uniqueId(), caller.linkedId());
        AgiCall inbound = new AgiCall("inbound", renamed, "13800001111", "13800001111", "12345", Map.of());
        service.ivrStarted(inbound, MAIN);
        service.routeRequested(inbound, new RoutingRequest(MAIN, "general", 1, 0, List.of("welcome")));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(renamed, "hotline-wait"));
        agentReady("1001");

        assertThat(pbx.awaitConnect(1).channel()).isEqualTo("PJSIP/trunk-masq-00000099");
    }

    @Test
    void aCallerWhoseLinkedidChangedStillEndsItsCallOnce() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001111");
        pbx.awaitConnect(1);
        answeredBy(caller, "1001");
        // after a transfer the caller's channel reports another call's Linkedid
        ChannelRef moved = new ChannelRef(caller.name(), caller.uniqueId(), "1795322400.77");

        service.onPbxEvent(new PbxEvent.ChannelHungUp(moved, 16, "Normal Clearing"));

        assertThat(ticketOf(caller).disposition()).isEqualTo(Disposition.ANSWERED);
        await().until(() -> agent("1001").state().equals("wrap_up"));
        assertThat(join(service.status()).activeCalls()).isZero();
        assertThat(ticketsWritten()).isEqualTo(1);
    }

    @Test
    void aTalkingAgentWhosePhoneIsIdleWithoutAChannelGoesToWrapUpAndTheCallGoesOn() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001111");
        pbx.awaitConnect(1);
        answeredBy(caller, "1001");

        assertThat(join(service.releaseIdleAgent("1001", Duration.ofSeconds(3))).state()).isEqualTo("talking");
        clock.add(Duration.ofSeconds(4));
        AgentView released = join(service.releaseIdleAgent("1001", Duration.ofSeconds(3)));

        assertThat(released.state()).isEqualTo("wrap_up");
        assertThat(join(service.status()).activeCalls()).isEqualTo(1);
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
        assertThat(ticketOf(caller).disposition()).isEqualTo(Disposition.ANSWERED);
    }

    @Test
    void anOfferedAgentWhosePhoneStaysIdlePastTheGraceIsReleasedAndTheCallOfferedAgain() {
        agentReady("1001");
        callerWaiting("13800001111");
        pbx.awaitConnect(1);
        await().until(() -> agent("1001").state().equals("offered"));

        assertThat(join(service.releaseIdleAgent("1001", Duration.ofSeconds(3))).state()).isEqualTo("offered");
        clock.add(Duration.ofSeconds(4));
        join(service.releaseIdleAgent("1001", Duration.ofSeconds(3)));

        // withdrawn, not the agent's fault: the only agent is ready and gets the waiting call again
        pbx.awaitConnect(2);
        await().until(() -> agent("1001").state().equals("offered"));
        assertThat(join(service.status()).activeCalls()).isEqualTo(1);
    }

    @Test
    void anOfferWhoseDialEndedUnansweredIsLeftToTheCallModelNotReleasedByTheIdlePhone() {
        agentReady("1001");
        ChannelRef caller = callerWaiting("13800001111");
        pbx.awaitConnect(1);
        await().until(() -> agent("1001").state().equals("offered"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, agentLeg(caller, "1001"), "NOANSWER"));
        clock.add(Duration.ofSeconds(4));

        // as Asterisk sends it: Hangup of the agent leg, NOT_INUSE, and only then the caller back on hold
        assertThat(join(service.releaseIdleAgent("1001", Duration.ofSeconds(3))).state()).isEqualTo("offered");
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));

        await().until(() -> agent("1001").state().equals("not_ready"));
        assertThat(agent("1001").reason()).isEqualTo("rona");
    }

    @Test
    void anIdlePhoneChangesNothingForAnAgentNotOnACall() {
        agentReady("1001");
        clock.add(Duration.ofSeconds(10));

        assertThat(join(service.releaseIdleAgent("1001", Duration.ofSeconds(3))).state()).isEqualTo("ready");
    }

    @Test
    void anAgentOnACallOutsideTheQueuesIsSkippedUntilThePhoneIsIdle() {
        agentReady("1001");
        join(service.agentOnOtherCall("1001", true));
        callerWaiting("13800001111");

        // nobody else is ready: the call waits while the only agent's phone is busy elsewhere (status() runs on the
        // call loop after everything the arrival posted)
        assertThat(join(service.status()).activeCalls()).isEqualTo(1);
        assertThat(pbx.connects).isEmpty();
        assertThat(agent("1001").state()).isEqualTo("ready");

        join(service.agentOnOtherCall("1001", false));
        pbx.awaitConnect(1);
        await().until(() -> agent("1001").state().equals("offered"));
    }

    @Test
    void thePhoneRingingForTheCtisOwnOfferIsNotAnotherCall() {
        agentReady("1001");
        callerWaiting("13800001111");
        pbx.awaitConnect(1);
        await().until(() -> agent("1001").state().equals("offered"));

        assertThat(join(service.agentOnOtherCall("1001", true)).state()).isEqualTo("offered");
        join(service.agentOnOtherCall("1001", false));
        join(service.status());
        assertThat(pbx.connects).hasSize(1);
    }

    // ------------------------------------------------------------ helpers

    private void outage() {
        service.onPbxEvent(new PbxEvent.Disconnected("no answer to keep-alive Ping within 2000 ms", false));
    }

    private static ChannelSnapshot onHold(ChannelRef caller) {
        return new ChannelSnapshot(caller, "hotline-wait", "s", "MusicOnHold", "");
    }

    private ChannelRef callerChannel() {
        String uid = "1795322295." + (++seq);
        return new ChannelRef(String.format("PJSIP/trunk-%08x", seq), uid, uid);
    }

    private ChannelRef agentLeg(ChannelRef caller, String ext) {
        ++seq;
        return new ChannelRef(String.format("PJSIP/agent%s-%08x", ext, seq), "1795322299." + seq,
                caller.linkedId());
    }

    private ChannelRef callerWaiting(String number) {
        ChannelRef caller = callerChannel();
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, number, number, "from-trunk", "12345"));
        AgiCall inbound = new AgiCall("inbound", caller, number, number, "12345", Map.of());
        service.ivrStarted(inbound, MAIN);
        service.routeRequested(inbound, new RoutingRequest(MAIN, "general", 1, 0, List.of("welcome")));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        return caller;
    }

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

    private AgentView agent(String id) {
        return join(service.agents()).stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private CallSummary ticketOf(ChannelRef caller) {
        await().atMost(Duration.ofSeconds(5)).until(() -> store.byLinkedId(caller.linkedId()).isPresent());
        return store.byLinkedId(caller.linkedId()).orElseThrow().call();
    }

    /** Tickets written by the service, once the loop and then the (single) ticket writer are through their work. */
    private long ticketsWritten() {
        join(service.status());
        try {
            ticketIo.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return join(service.status()).ticketsWritten();
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
}
