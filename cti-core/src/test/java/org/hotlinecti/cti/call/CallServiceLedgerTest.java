package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.cti.ticket.InMemoryTicketStore;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallEventKind;
import org.hotlinecti.cti.ticket.ledger.CallLedger;
import org.hotlinecti.cti.util.DaemonThreads;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.RoutingRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/** The call service records each call event it acts on in the call ledger, in order, with its ids. */
class CallServiceLedgerTest {

    private static final DepartmentLine MARKET = new DepartmentLine("12315", "12315市场监管投诉举报热线",
            "市市场监督管理局", "market", 1, 0, null, Map.of());

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);
    private final CallServiceTest.FakePbx pbx = new CallServiceTest.FakePbx();
    private final List<CallEvent> ledger = new CopyOnWriteArrayList<>();
    private final ExecutorService ticketIo = DaemonThreads.pool("ticket-io", 1);
    private final CallService service = new CallService(CallService.Settings.of(Duration.ofSeconds(15),
            Duration.ofSeconds(60), "hotline-wait", "from-trunk"), clock,
            new LineDirectory(List.of(MARKET), "12315"),
            List.of(new AgentProfile("1001", "王芳", "1001", Map.of("market", 6))), pbx,
            new InMemoryTicketStore(clock, ZoneId.of("Asia/Shanghai")), ticketIo, new CallServiceTest.RecordingDesktop());

    @AfterEach
    void tearDown() {
        service.close();
        ticketIo.shutdownNow();
    }

    @Test
    void anAnsweredCallLeavesItsWholeStoryInTheLedger() throws Exception {
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
        service.login("1001").toCompletableFuture().get(5, TimeUnit.SECONDS);
        service.ready("1001").toCompletableFuture().get(5, TimeUnit.SECONDS);

        ChannelRef caller = new ChannelRef("PJSIP/trunk-00000001", "1795322295.1", "1795322295.1");
        service.onPbxEvent(new PbxEvent.ChannelCreated(caller, "13800001111", "13800001111", "from-trunk", "12315"));
        AgiCall agi = new AgiCall("inbound", caller, "13800001111", "13800001111", "12315", Map.of());
        service.ivrStarted(agi, MARKET);
        service.routeRequested(agi, new RoutingRequest(MARKET, "market", 1, 0, List.of("welcome", "queue:market")));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        pbx.awaitConnect(1);
        ChannelRef leg = new ChannelRef("PJSIP/agent1001-00000002", "1795322299.2", caller.linkedId());
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "ANSWER"));
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));

        await().until(() -> ledger.stream().anyMatch(e -> e.kind() == CallEventKind.ENDED));
        List<CallEvent> call = ledger.stream()
                .filter(e -> e.linkedId().equals(caller.linkedId())).toList();
        assertThat(call).extracting(CallEvent::kind).containsExactly(CallEventKind.ENTERED_IVR,
                CallEventKind.QUEUED, CallEventKind.OFFERED, CallEventKind.ANSWERED, CallEventKind.ENDED);
        assertThat(call.get(0).detail()).containsEntry("line", "12315").containsEntry("caller", "13800001111");
        assertThat(call.get(1).queue()).isEqualTo("market");
        assertThat(call.get(2).agent()).isEqualTo("1001");
        assertThat(call.get(3).detail()).containsEntry("agent_channel", "1795322299.2");
        assertThat(call.get(4).detail()).containsEntry("disposition", "answered").containsEntry("ended_by", "caller");
        assertThat(ledger).filteredOn(e -> e.linkedId().isEmpty()).extracting(CallEvent::kind)
                .contains(CallEventKind.AGENT_LOGIN);
    }
}
