package org.hotlinecti.cti.ticket.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.jdbc.PostgresTestCluster;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallEventKind;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test "DB unavailable for 60 s during calls" against a real PostgreSQL server: the throwaway test
 * cluster is stopped with {@code pg_ctl stop -m fast} while calls keep ending, stays down for
 * {@code -Dhotline.outage.seconds} (default 60, the figure; shorten it while developing), and is started
 * again. Afterwards every ticket is in the database exactly once, with its ledger event, and the same connection pool
 * (HikariCP) serves again. During the outage each hang-up is acknowledged once journaled, well before the store's
 * {@code ack_timeout}: the call path never waits for the database.
 */
class PostgresOutageTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** Hang-ups per second while the test runs (one every 50 ms). */
    private static final int PER_SECOND = 20;
    /** Set long on purpose: a hand-over that waited for the database would take this long, and fail the test. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /** What "acknowledged at fsync speed" must beat even on a loaded machine; far below {@link #ACK_TIMEOUT}. */
    private static final Duration HAND_OVER_LIMIT = Duration.ofSeconds(2);

    private enum Phase { BEFORE, DOWN, AFTER }

    @TempDir
    Path dir;

    private PostgresTestCluster cluster;
    private boolean stopped;
    private Database database;
    private DurableTicketStore store;
    private ScheduledExecutorService calls;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (calls != null) {
            calls.shutdownNow();
            calls.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (stopped) {
            cluster.start();
        }
        if (store != null) {
            store.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void ticketsEndingWhileThePostgresServerIsDownAreAllStoredOnceWhenItIsBack() throws Exception {
        long outageSeconds = Long.getLong("hotline.outage.seconds", 60);
        cluster = PostgresTestCluster.get();
        assumeTrue(cluster.isThrowaway(), "needs a PostgreSQL server the test may stop (not -Dhotline.pg.url)");
        database = Database.open(cluster.freshSettings());
        store = DurableTicketStore.open(new JournalOptions(dir.resolve("journal"), 256 * 1024, Duration.ofMillis(50),
                        Duration.ofSeconds(2), ACK_TIMEOUT, 500),
                new JdbcTicketStore(database.dataSource(), Clock.system(ZONE), ZONE),
                new JdbcCallLedger(database.dataSource()));

        AtomicInteger sequence = new AtomicInteger();
        AtomicLong slowestDownNanos = new AtomicLong();
        AtomicInteger endedWhileDown = new AtomicInteger();
        AtomicReference<Phase> phase = new AtomicReference<>(Phase.BEFORE);
        ConcurrentLinkedQueue<Throwable> handOverFailures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> linkedIds = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<CompletableFuture<Ticket>> stored = new ConcurrentLinkedQueue<>();
        calls = Executors.newSingleThreadScheduledExecutor();
        calls.scheduleAtFixedRate(() -> {
            Phase now = phase.get();
            String linkedId = "outage-" + now.name().toLowerCase() + "-" + sequence.incrementAndGet();
            long start = System.nanoTime();
            try {
                CompletionStage<Ticket> ticket = store.handOver(Calls.answered(linkedId), Map.of("n", linkedId));
                long took = System.nanoTime() - start;
                store.record(CallEvent.of(linkedId, CallEventKind.ENDED, Instant.now(), "1001", "market",
                        Map.of("disposition", "answered")));
                linkedIds.add(linkedId);
                stored.add(ticket.toCompletableFuture());
                if (now == Phase.DOWN) {
                    slowestDownNanos.accumulateAndGet(took, Math::max);
                    endedWhileDown.incrementAndGet();
                }
            } catch (RuntimeException e) {
                handOverFailures.add(e);
            }
        }, 0, 1000 / PER_SECOND, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> stored.size() >= PER_SECOND
                && stored.stream().limit(PER_SECOND).allMatch(CompletableFuture::isDone));

        cluster.stopFast();
        stopped = true;
        phase.set(Phase.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.stats().drainFailures() > 0);
        // the outage lasts as long as it takes that many calls to end at PER_SECOND
        await().atMost(Duration.ofSeconds(outageSeconds * 2 + 30))
                .until(() -> endedWhileDown.get() >= outageSeconds * PER_SECOND);
        List<String> endedBeforeRestart = List.copyOf(linkedIds);
        long notStoredDuringOutage = stored.stream().filter(f -> !f.isDone()).count();

        cluster.start();
        stopped = false;
        phase.set(Phase.AFTER);
        int afterFrom = sequence.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> sequence.get() >= afterFrom + 2 * PER_SECOND);
        calls.shutdown();
        assertThat(calls.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        assertThat(handOverFailures).as("hand-overs refused while the database was down").isEmpty();
        assertThat(slowestDownNanos.get()).as("slowest hand-over during the outage (ns)")
                .isLessThan(HAND_OVER_LIMIT.toNanos());
        assertThat(notStoredDuringOutage).as("tickets waiting for the database when it came back")
                .isGreaterThanOrEqualTo(outageSeconds * PER_SECOND - PER_SECOND);
        assertThat(endedBeforeRestart).hasSizeGreaterThanOrEqualTo((int) (outageSeconds * PER_SECOND));

        // straight from the database, through the same pool: HikariCP has replaced the connections the stop killed
        Set<String> expected = new HashSet<>(linkedIds);
        assertThat(expected).hasSize(linkedIds.size());
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT linked_id FROM tickets")).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(rows(s, "SELECT DISTINCT number FROM tickets")).hasSize(expected.size());
            assertThat(rows(s, "SELECT linked_id FROM call_events WHERE kind = 'ended'"))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(store.count()).isEqualTo(expected.size());
        assertThat(stored.stream().map(f -> f.join().number()).distinct()).hasSize(expected.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().pending() == 0);
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
