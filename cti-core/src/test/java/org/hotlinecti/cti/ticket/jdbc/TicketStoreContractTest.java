package org.hotlinecti.cti.ticket.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.hotlinecti.cti.ticket.TicketStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TicketStore} must do (see its Javadoc). An implementation's test extends this class and supplies
 * fresh, empty stores through {@link #newStore}.
 */
public abstract class TicketStoreContractTest {

    protected static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** The store's clock stands still here: every ticket's createdAt. */
    protected static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");

    protected TicketStore store;

    /**
     * A new, empty store whose {@code createdAt} comes from {@code clock} and whose ticket dates are in {@code zone}.
     * The contract test closes it after each test.
     */
    protected abstract TicketStore newStore(Clock clock, ZoneId zone);

    @BeforeEach
    void openStore() {
        store = newStore(Clock.fixed(NOW, SHANGHAI), SHANGHAI);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** A fully known answered call: every field set. */
    protected static CallSummary answered(String linkedId, String caller, String line, String agent,
            Instant endedAt) {
        return new CallSummary(linkedId, "draft-" + linkedId, caller, line, line + " 热线", "市场监管局", "market",
                List.of("welcome", "menu:2", "queue"), Disposition.ANSWERED, CallStage.SURVEY, "agent", agent,
                endedAt.minusSeconds(300), endedAt.minusSeconds(280), endedAt.minusSeconds(250), endedAt, 30, 240, 5,
                false);
    }

    /** A call of {@code department} that no agent answered. */
    private static CallSummary unanswered(String linkedId, String department, Disposition disposition,
            Instant endedAt) {
        return new CallSummary(linkedId, null, "13800001111", "12315", null, department, null, List.of(), disposition,
                CallStage.QUEUED, "caller", null, endedAt.minusSeconds(60), endedAt.minusSeconds(40), null, endedAt,
                40, 0, null, true);
    }

    /** An abandoned call: everything optional absent. */
    protected static CallSummary abandoned(String linkedId, String caller, String line, Instant endedAt) {
        return new CallSummary(linkedId, null, caller, line, null, null, null, List.of(), Disposition.ABANDONED,
                CallStage.QUEUED, "caller", null, endedAt.minusSeconds(60), endedAt.minusSeconds(40), null, endedAt,
                40, 0, null, true);
    }

    @Test
    void savesEveryFieldAndReadsItBack() {
        CallSummary call = answered("1763800000.11", "13800001111", "12315", "1001",
                Instant.parse("2026-11-22T03:04:05.123456Z"));
        Map<String, String> form = Map.of("category", "投诉", "summary", "超市售卖过期食品", "address", "");

        Ticket saved = store.saveCallEnded(call, form);

        assertThat(saved.call()).isEqualTo(call);
        assertThat(saved.form()).isEqualTo(form);
        assertThat(saved.createdAt()).isEqualTo(NOW);
        assertThat(saved.number()).matches("20261122-\\d{7}");
        assertThat(store.byNumber(saved.number())).contains(saved);
        assertThat(store.byLinkedId(call.linkedId())).contains(saved);
    }

    @Test
    void keepsAbsentValuesAbsent() {
        CallSummary call = abandoned("1763800000.12", "02087654321", "12345", Instant.parse("2026-11-22T03:00:00Z"));

        Ticket saved = store.saveCallEnded(call, null);

        assertThat(saved.form()).isEmpty();
        Ticket read = store.byNumber(saved.number()).orElseThrow();
        assertThat(read).isEqualTo(saved);
        assertThat(read.call().agent()).isNull();
        assertThat(read.call().draftId()).isNull();
        assertThat(read.call().answeredAt()).isNull();
        assertThat(read.call().surveyScore()).isNull();
        assertThat(read.call().ivrPath()).isEmpty();
        assertThat(read.call().callbackRequired()).isTrue();
    }

    @Test
    void unknownNumberOrLinkedIdIsEmpty() {
        assertThat(store.byNumber("20261122-0000001")).isEmpty();
        assertThat(store.byLinkedId("nope")).isEmpty();
    }

    @Test
    void secondSaveOfTheSameLinkedIdReturnsTheFirstTicketUnchanged() {
        Instant end = Instant.parse("2026-11-22T03:00:00Z");
        Ticket first = store.saveCallEnded(answered("1763800000.13", "13800001111", "12315", "1001", end),
                Map.of("summary", "first"));

        Ticket second = store.saveCallEnded(
                abandoned("1763800000.13", "13900002222", "12345", end.plusSeconds(99)), Map.of("summary", "second"));

        assertThat(second).isEqualTo(first);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.byLinkedId("1763800000.13")).contains(first);
    }

    @Test
    void concurrentSavesOfTheSameLinkedIdWriteOneTicket() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Ticket>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String agent = "10" + (10 + i);
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return store.saveCallEnded(answered("1763800000.14", "13800001111", "12315", agent,
                            Instant.parse("2026-11-22T03:00:00Z")), Map.of("by", agent));
                }));
            }
            assertThat(ready.await(5, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            Set<Ticket> returned = new HashSet<>();
            for (Future<Ticket> result : results) {
                returned.add(result.get(10, TimeUnit.SECONDS));
            }

            assertThat(returned).hasSize(1);
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.byLinkedId("1763800000.14")).contains(returned.iterator().next());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void numbersAreUniqueAndCarryTheEndDateInTheCentresZone() {
        // 23:30 in Shanghai, 15:30 UTC: both say the 22nd.
        Ticket lateEvening = store.saveCallEnded(
                abandoned("1763800000.15", "13800001111", "12345", Instant.parse("2026-11-22T15:30:00Z")), null);
        // 00:30 on the 23rd in Shanghai, still 16:30 on the 22nd in UTC.
        Ticket afterMidnight = store.saveCallEnded(
                abandoned("1763800000.16", "13800001111", "12345", Instant.parse("2026-11-22T16:30:00Z")), null);
        List<String> numbers = new ArrayList<>(List.of(lateEvening.number(), afterMidnight.number()));
        for (int i = 0; i < 20; i++) {
            numbers.add(store.saveCallEnded(abandoned("1763800001." + i, "13800001111", "12345",
                    Instant.parse("2026-11-22T01:00:00Z")), null).number());
        }

        assertThat(lateEvening.number()).matches("20261122-\\d{7}");
        assertThat(afterMidnight.number()).matches("20261123-\\d{7}");
        assertThat(numbers).allMatch(n -> n.matches("\\d{8}-\\d{7}")).doesNotHaveDuplicates();
        assertThat(numbers.stream().map(n -> n.substring(9)).distinct()).hasSize(numbers.size());
    }

    @Test
    void formForADraftWithoutTicketIsNotSaved() {
        assertThat(store.saveForm("draft-none", Map.of("summary", "x"))).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void formReplacesTheFormOfTheTicketWithThatDraftId() {
        CallSummary call = answered("1763800000.17", "13800001111", "12315", "1001",
                Instant.parse("2026-11-22T03:00:00Z"));
        Ticket saved = store.saveCallEnded(call, Map.of("category", "咨询", "note", "old"));

        Ticket updated = store.saveForm(call.draftId(), Map.of("category", "投诉", "summary", "噪音扰民"))
                .orElseThrow();

        assertThat(updated.form()).isEqualTo(Map.of("category", "投诉", "summary", "噪音扰民"));
        assertThat(updated.number()).isEqualTo(saved.number());
        assertThat(updated.call()).isEqualTo(saved.call());
        assertThat(updated.createdAt()).isEqualTo(saved.createdAt());
        assertThat(store.byNumber(saved.number())).contains(updated);
    }

    @Test
    void findsByEachFilterNewestFirst() {
        Instant t0 = Instant.parse("2026-11-22T01:00:00Z");
        Ticket a = store.saveCallEnded(answered("L1", "13800001111", "12315", "1001", t0), null);
        Ticket b = store.saveCallEnded(answered("L2", "13800001111", "12345", "1002", t0.plusSeconds(60)), null);
        Ticket c = store.saveCallEnded(abandoned("L3", "13900002222", "12315", t0.plusSeconds(120)), null);
        Ticket d = store.saveCallEnded(answered("L4", "13900002222", "12333", "1001", t0.plusSeconds(180)), null);

        assertThat(store.find(TicketQuery.latest(10))).containsExactly(d, c, b, a);
        assertThat(store.find(new TicketQuery("13800001111", null, null, null, 10, 0))).containsExactly(b, a);
        assertThat(store.find(new TicketQuery(null, "12315", null, null, 10, 0))).containsExactly(c, a);
        assertThat(store.find(new TicketQuery(null, null, "1001", null, 10, 0))).containsExactly(d, a);
        assertThat(store.find(new TicketQuery(null, null, null, Disposition.ABANDONED, 10, 0))).containsExactly(c);
        assertThat(store.find(new TicketQuery("13900002222", "12333", "1001", Disposition.ANSWERED, 10, 0)))
                .containsExactly(d);
        assertThat(store.find(new TicketQuery("13900002222", null, null, Disposition.VOICEMAIL, 10, 0))).isEmpty();
    }

    @Test
    void pagesThroughTicketsNewestFirstWithTiesBrokenByNumber() {
        Instant sameEnd = Instant.parse("2026-11-22T01:00:00Z");
        List<Ticket> saved = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            saved.add(store.saveCallEnded(abandoned("P" + i, "13800001111", "12345", sameEnd), null));
        }
        Ticket newest = store.saveCallEnded(abandoned("P9", "13800001111", "12345", sameEnd.plusSeconds(1)), null);
        List<Ticket> expected = new ArrayList<>(List.of(newest));
        saved.stream().sorted((x, y) -> y.number().compareTo(x.number())).forEach(expected::add);

        assertThat(store.find(new TicketQuery(null, null, null, null, 2, 0))).isEqualTo(expected.subList(0, 2));
        assertThat(store.find(new TicketQuery(null, null, null, null, 2, 2))).isEqualTo(expected.subList(2, 4));
        assertThat(store.find(new TicketQuery(null, null, null, null, 2, 4))).isEqualTo(expected.subList(4, 6));
        assertThat(store.find(new TicketQuery(null, null, null, null, 2, 6))).isEmpty();
    }

    @Test
    void countsTickets() {
        assertThat(store.count()).isZero();
        store.saveCallEnded(abandoned("C1", "13800001111", "12345", Instant.parse("2026-11-22T01:00:00Z")), null);
        store.saveCallEnded(abandoned("C2", "13800001111", "12345", Instant.parse("2026-11-22T01:00:00Z")), null);
        store.saveCallEnded(abandoned("C1", "13800001111", "12345", Instant.parse("2026-11-22T01:00:00Z")), null);

        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void findsByNumberDepartmentAndEndDateRange() {
        Instant t0 = Instant.parse("2026-11-22T01:00:00Z");
        Ticket a = store.saveCallEnded(answered("D1", "13800001111", "12315", "1001", t0), null);
        Ticket b = store.saveCallEnded(abandoned("D2", "13800001111", "12345", t0.plusSeconds(60)), null);
        Ticket c = store.saveCallEnded(answered("D3", "13900002222", "12333", "1002", t0.plusSeconds(120)), null);

        assertThat(store.find(query(b.number(), null, null, null, 10))).containsExactly(b);
        assertThat(store.find(query(null, "市场监管局", null, null, 10))).containsExactly(c, a);
        assertThat(store.find(query(null, null, t0.plusSeconds(60), null, 10))).containsExactly(c, b);
        assertThat(store.find(query(null, null, null, t0.plusSeconds(60), 10))).containsExactly(a);
        assertThat(store.find(query(null, null, t0, t0.plusSeconds(120), 10))).containsExactly(b, a);
        assertThat(store.find(query(null, "市场监管局", t0.plusSeconds(1), t0.plusSeconds(121), 10)))
                .containsExactly(c);
        assertThat(store.find(query("20991231-0000001", null, null, null, 10))).isEmpty();
    }

    @Test
    void findsADepartmentsTicketsOfOneDispositionInAPeriod() {
        Instant t0 = Instant.parse("2026-11-22T01:00:00Z");
        Ticket a = store.saveCallEnded(unanswered("E1", "市场监管局", Disposition.ABANDONED, t0), null);
        store.saveCallEnded(answered("E2", "13800001112", "12315", "1001", t0.plusSeconds(60)), null);
        Ticket c = store.saveCallEnded(unanswered("E3", "市场监管局", Disposition.ABANDONED, t0.plusSeconds(120)), null);
        store.saveCallEnded(unanswered("E4", "人社局", Disposition.ABANDONED, t0.plusSeconds(180)), null);
        store.saveCallEnded(unanswered("E5", "市场监管局", Disposition.FAILED, t0.plusSeconds(240)), null);

        assertThat(store.find(new TicketQuery(null, null, null, "市场监管局", null, Disposition.ABANDONED, t0,
                t0.plusSeconds(600), 10, 0))).containsExactly(c, a);
        assertThat(store.find(new TicketQuery(null, null, null, "市场监管局", null, Disposition.ABANDONED,
                t0.plusSeconds(1), t0.plusSeconds(600), 10, 0))).containsExactly(c);
        assertThat(store.find(new TicketQuery(null, null, null, "市场监管局", null, Disposition.VOICEMAIL, t0,
                t0.plusSeconds(600), 10, 0))).isEmpty();
        assertThat(store.find(new TicketQuery(null, null, null, "市场监管局", null, Disposition.ABANDONED, null, null,
                1, 1))).containsExactly(a);
    }

    private static TicketQuery query(String number, String department, Instant from, Instant before, int limit) {
        return new TicketQuery(number, null, null, department, null, null, from, before, limit, 0);
    }
}
