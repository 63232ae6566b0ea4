package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.QueueBoard;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.InMemoryTicketStore;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.util.DaemonThreads;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.RoutingRequest;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * Waiting callers hear their place and expected wait at entry and every interval, driven by the call service's one
 * wake-up on a fake clock; never while offered, never after leaving the queue, and an offer always wins.
 */
class QueueAnnouncerTest {

    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345政务服务便民热线", "市12345中心",
            "general", 1, 0, null, Map.of());
    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final PromptCatalogue PROMPTS = PromptCatalogue.loadDefault();

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);
    private final AnnouncingPbx pbx = new AnnouncingPbx();
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

    private void start(QueueAnnouncer.Settings announce) {
        service = new CallService(CallService.Settings.of(Duration.ofSeconds(15), Duration.ofSeconds(60),
                "hotline-wait", "from-trunk"), clock, new LineDirectory(List.of(MAIN), "12345"),
                List.of(new AgentProfile("1001", "王芳", "1001", Map.of("general", 8))), pbx, store, ticketIo,
                DesktopGateway.NONE);
        service.useAnnouncements(announce, () -> PROMPTS);
        service.onPbxEvent(new PbxEvent.Connected("22.10.1"));
    }

    private void start() {
        start(new QueueAnnouncer.Settings(INTERVAL, Duration.ZERO, true, true));
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

    private ChannelRef agentLeg(ChannelRef caller) {
        ++channelSeq;
        return new ChannelRef(String.format("PJSIP/agent1001-%08x", channelSeq), "1795322299." + channelSeq,
                caller.linkedId());
    }

    /** Moves the fake clock and lets the loop re-arm its wake-up for the new time. */
    private void advance(Duration d) {
        clock.add(d);
        join(service.status());
    }

    /** Runs everything the loop has to do now (including a wake-up that is due). */
    private void settle() {
        for (int i = 0; i < 5; i++) {
            join(service.status());
        }
    }

    private String agentState() {
        return join(service.agents()).get(0).state();
    }

    /** What the caller on {@code channel} was told in each announcement, as catalogue text. */
    private List<String> heard(ChannelRef channel) {
        return pbx.announced(channel.name()).stream().map(QueueAnnouncerTest::text).toList();
    }

    private static String text(String files) {
        String dir = PROMPTS.directory() + "/";
        return Arrays.stream(files.split("&")).map(f -> PROMPTS.text(f.substring(dir.length())).orElseThrow())
                .collect(Collectors.joining());
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void callersHearTheirPlaceAndWaitAtEntryThenEveryInterval() {
        start();
        ChannelRef first = callerWaiting("13800000001");
        ChannelRef second = callerWaiting("13800000002");
        ChannelRef third = callerWaiting("13800000003");

        await().until(() -> pbx.announced(third.name()).size() == 1);
        QueueBoard board = join(service.queueBoard());
        long minutes = (board.waiting().get(2).estimatedWaitMs() / 1000 + 59) / 60;
        assertThat(minutes).isGreaterThan(1);
        assertThat(heard(third)).containsExactly("您前面还有两位预计等待" + chineseCount(minutes) + "分钟");
        await().until(() -> pbx.announced(first.name()).size() == 1 && pbx.announced(second.name()).size() == 1);
        assertThat(heard(first).get(0)).startsWith("您是下一位");
        assertThat(heard(second).get(0)).startsWith("您前面还有一位");
        // Setvar of the files first, then the Redirect to the announcement context
        assertThat(pbx.actions).containsSubsequence("setvar " + third.name() + " CTI_ANNOUNCE",
                "redirect " + third.name() + " hotline-announce,s");

        // the announcements end: back on music
        for (ChannelRef c : List.of(first, second, third)) {
            service.onPbxEvent(new PbxEvent.ChannelOnHold(c, "hotline-wait"));
        }
        advance(INTERVAL.minusSeconds(1));
        settle();
        assertThat(pbx.announced(third.name())).hasSize(1);

        advance(Duration.ofSeconds(1));
        await().until(() -> pbx.announced(third.name()).size() == 2);
        assertThat(heard(third).get(1)).startsWith("您前面还有两位预计等待");
        await().until(() -> pbx.announced(first.name()).size() == 2);
    }

    @Test
    void aCallOfferedAtOnceHearsNothingAndIsToldOnceItWaitsAgain() {
        start();
        join(service.login("1001"));
        join(service.ready("1001"));
        ChannelRef caller = callerWaiting("13800000011");
        await().until(() -> pbx.connects.size() == 1);
        advance(INTERVAL.plusSeconds(5));
        settle();
        assertThat(pbx.announced(caller.name())).isEmpty();
        assertThat(agentState()).isEqualTo("offered");

        // nobody answers: the caller is back on music and now waits; it hears where it stands
        ChannelRef leg = agentLeg(caller);
        service.onPbxEvent(new PbxEvent.DialStarted(caller, leg, "agent1001"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "NOANSWER"));
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        await().until(() -> pbx.announced(caller.name()).size() == 1);
        assertThat(heard(caller).get(0)).startsWith("您是下一位");
        assertThat(agentState()).isEqualTo("not_ready");
    }

    @Test
    void anOfferDuringAnAnnouncementWinsAndTheAnnouncementsEndMusicIsNotADialEnd() {
        start();
        ChannelRef caller = callerWaiting("13800000021");
        await().until(() -> pbx.announced(caller.name()).size() == 1);

        join(service.login("1001"));
        join(service.ready("1001"));
        await().until(() -> pbx.connects.size() == 1);
        // the announcement ended just before the agent's Redirect moved the caller
        service.onPbxEvent(new PbxEvent.ChannelOnHold(caller, "hotline-wait"));
        settle();
        assertThat(agentState()).isEqualTo("offered");

        ChannelRef leg = agentLeg(caller);
        service.onPbxEvent(new PbxEvent.DialStarted(caller, leg, "agent1001"));
        service.onPbxEvent(new PbxEvent.DialEnded(caller, leg, "ANSWER"));
        await().until(() -> agentState().equals("talking"));
        advance(INTERVAL.multipliedBy(2));
        settle();
        assertThat(pbx.announced(caller.name())).hasSize(1);

        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
        await().until(() -> store.byLinkedId(caller.linkedId()).isPresent());
        Ticket ticket = store.byLinkedId(caller.linkedId()).orElseThrow();
        assertThat(ticket.call().disposition()).isEqualTo(Disposition.ANSWERED);
        assertThat(ticket.call().agent()).isEqualTo("1001");
    }

    @Test
    void anOfferBetweenTheSetvarAndTheRedirectCancelsTheAnnouncement() {
        start();
        pbx.holdSetvars = true;
        ChannelRef caller = callerWaiting("13800000031");
        await().until(() -> pbx.heldSetvars.size() == 1);

        join(service.login("1001"));
        join(service.ready("1001"));
        await().until(() -> pbx.connects.size() == 1);
        pbx.heldSetvars.get(0).complete(null);
        settle();
        assertThat(pbx.announced(caller.name())).isEmpty();
        assertThat(pbx.actions.get(pbx.actions.size() - 1)).startsWith("connect ");
        assertThat(agentState()).isEqualTo("offered");
    }

    @Test
    void nothingIsAnnouncedAfterTheCallerLeftTheQueue() {
        start();
        ChannelRef caller = callerWaiting("13800000041");
        await().until(() -> pbx.announced(caller.name()).size() == 1);
        service.onPbxEvent(new PbxEvent.HangupRequested(caller, false, 16));
        service.onPbxEvent(new PbxEvent.ChannelHungUp(caller, 16, "Normal Clearing"));
        await().until(() -> store.byLinkedId(caller.linkedId()).isPresent());
        int before = pbx.actions.size();

        advance(INTERVAL.multipliedBy(3));
        settle();
        assertThat(pbx.actions).hasSize(before);
    }

    @Test
    void firstAfterDelaysTheFirstAnnouncementAndAnIntervalOfZeroTurnsThemOff() {
        start(new QueueAnnouncer.Settings(INTERVAL, Duration.ofSeconds(10), false, true));
        ChannelRef caller = callerWaiting("13800000051");
        settle();
        assertThat(pbx.announced(caller.name())).isEmpty();
        advance(Duration.ofSeconds(10));
        await().until(() -> pbx.announced(caller.name()).size() == 1);
        // position: false — only the wait is said
        assertThat(heard(caller).get(0)).startsWith("预计等待").doesNotContain("您前面");
        service.close();

        service = null;
        AnnouncingPbx quiet = new AnnouncingPbx();
        CallService off = new CallService(CallService.Settings.of(Duration.ofSeconds(15), Duration.ofSeconds(60),
                "hotline-wait", "from-trunk"), clock, new LineDirectory(List.of(MAIN), "12345"), List.of(), quiet,
                store, ticketIo, DesktopGateway.NONE);
        try (off) {
            off.useAnnouncements(new QueueAnnouncer.Settings(Duration.ZERO, Duration.ZERO, true, true), () -> PROMPTS);
            off.onPbxEvent(new PbxEvent.Connected("22.10.1"));
            service = off;
            ChannelRef waiting = callerWaiting("13800000052");
            advance(INTERVAL.multipliedBy(2));
            settle();
            assertThat(join(off.queueBoard()).waiting()).hasSize(1);
            assertThat(quiet.announced(waiting.name())).isEmpty();
        } finally {
            service = null;
        }
    }

    /** 1..99 as Chinese counts (两 for 2), for the expected text. */
    private static String chineseCount(long n) {
        String[] digits = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
        if (n == 2) {
            return "两";
        }
        if (n < 10) {
            return digits[(int) n];
        }
        return (n / 10 == 1 ? "" : digits[(int) (n / 10)]) + "十" + (n % 10 == 0 ? "" : digits[(int) (n % 10)]);
    }

    /** Records every action in order; Setvars may be held to decide when they are answered. */
    static final class AnnouncingPbx implements PbxControl {
        final List<String> actions = new CopyOnWriteArrayList<>();
        final List<String> connects = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> heldSetvars = new CopyOnWriteArrayList<>();
        final Map<String, String> variables = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> announcements = new CopyOnWriteArrayList<>();
        volatile boolean holdSetvars;

        /** The files of each announcement the channel was redirected to, in order. */
        List<String> announced(String channel) {
            return announcements.stream().filter(a -> a.startsWith(channel + " "))
                    .map(a -> a.substring(channel.length() + 1)).toList();
        }

        @Override
        public CompletionStage<Void> connectToAgent(String callerChannel, String agentExtension,
                Map<String, String> vars) {
            actions.add("connect " + callerChannel + " " + agentExtension);
            connects.add(callerChannel);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> redirect(String channel, String context, String exten,
                Map<String, String> vars) {
            actions.add("redirect " + channel + " " + context + "," + exten);
            if (context.equals("hotline-announce")) {
                announcements.add(channel + " " + variables.get(channel));
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> setVariable(String channel, String name, String value) {
            actions.add("setvar " + channel + " " + name);
            variables.put(channel, value);
            if (holdSetvars) {
                CompletableFuture<Void> held = new CompletableFuture<>();
                heldSetvars.add(held);
                return held;
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> hangup(String channel, int cause) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
