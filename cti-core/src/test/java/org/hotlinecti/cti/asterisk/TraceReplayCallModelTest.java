package org.hotlinecti.cti.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CtiStatus;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.call.CallService;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.InMemoryTicketStore;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.util.DaemonThreads;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recorded Asterisk 22 AMI streams replayed through the CTI's whole AMI path (socket, client, adapter) into the call
 * model, asserting the tickets: what a real Asterisk sends must give exactly one ticket per call, also when the
 * stream repeats itself or Asterisk restarts.
 */
class TraceReplayCallModelTest {

    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345政务服务便民热线", "市12345中心",
            "general", 1, 0, null, Map.of());
    private static final DepartmentLine MARKET = new DepartmentLine("12315", "12315市场监管投诉举报热线",
            "市市场监督管理局", "market", 1, 0, null, Map.of());

    private final InMemoryTicketStore store = new InMemoryTicketStore(Clock.systemUTC(), ZoneId.of("Asia/Shanghai"));
    private final List<Ticket> saved = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ExecutorService ticketIo;
    private FakeAmiServer ami;
    private CallService calls;
    private AmiPbxAdapter adapter;

    @BeforeEach
    void setUp() throws Exception {
        ticketIo = DaemonThreads.pool("ticket-io", 1);
        ami = FakeAmiServer.start("cti", "cti-secret");
        toClose.add(ami);
        AtomicReference<CallService> ref = new AtomicReference<>();
        adapter = new AmiPbxAdapter(AmiSettings.of("127.0.0.1", ami.port(), "cti", "cti-secret",
                Duration.ofSeconds(2), Duration.ofSeconds(2)), event -> ref.get().onPbxEvent(event));
        calls = new CallService(CallService.Settings.of(Duration.ofSeconds(15), Duration.ofSeconds(60),
                "hotline-wait", "from-trunk"), Clock.systemUTC(), new LineDirectory(List.of(MAIN, MARKET), "12345"),
                List.of(new AgentProfile("1001", "王芳", "1001", Map.of("general", 8))), adapter, store, ticketIo,
                new DesktopGateway() {
                    @Override
                    public void screenPop(ScreenPop pop) {
                    }

                    @Override
                    public void agentChanged(AgentView agent) {
                    }

                    @Override
                    public void ticketSaved(Ticket ticket) {
                        saved.add(ticket);
                    }
                });
        ref.set(calls);
        adapter.connect();
        await().until(() -> status().amiConnected());
    }

    @AfterEach
    void tearDown() throws Exception {
        adapter.close();
        calls.close();
        ticketIo.shutdownNow();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void anAbandonInQueueGivesOneAbandonedTicketEvenWhenTheStreamRepeats() throws Exception {
        byte[] stream = AsteriskTraces.amiEventsAfterLogin("02-abandon-in-queue");

        ami.send(stream);
        ami.send(stream);

        await().until(() -> saved.size() == 1);
        Ticket ticket = store.byLinkedId("1795322317.4").orElseThrow();
        assertThat(ticket.call().disposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(ticket.call().line()).isEqualTo("12315");
        assertThat(ticket.call().endedBy()).isEqualTo("caller");
        assertSettledWith(1);
    }

    @Test
    void aCallOnHoldWhenAsteriskStopsGetsOneTicketAndTheRestartIsFollowed() throws Exception {
        ami.send(AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "ami.log", "Event: FullyBooted"));
        ami.send(AsteriskTraces.amiEventsAfterLogin("09-ami-reconnect-and-restart"));
        await().until(() -> saved.size() == 1);
        ami.dropClient();
        await().until(() -> ami.logins() == 2 && status().amiConnected());
        ami.send(AsteriskTraces.amiMessage("09-ami-reconnect-and-restart", "ami-after-restart.log",
                "Event: FullyBooted"));

        Ticket ticket = store.byLinkedId("1795322487.21").orElseThrow();
        assertThat(ticket.call().disposition()).isEqualTo(Disposition.ABANDONED);
        assertSettledWith(1);
    }

    private void assertSettledWith(int tickets) throws Exception {
        CtiStatus s = status();
        ticketIo.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertThat(s.activeCalls()).isZero();
        assertThat(s.waitingCalls()).isZero();
        assertThat(status().ticketsWritten()).isEqualTo(tickets);
    }

    private CtiStatus status() {
        try {
            return calls.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
