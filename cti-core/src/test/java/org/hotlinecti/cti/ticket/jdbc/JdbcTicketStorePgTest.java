package org.hotlinecti.cti.ticket.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL (skipped with a message when none is available). */
class JdbcTicketStorePgTest extends TicketStoreContractTest {

    private Database database;

    @Override
    protected TicketStore newStore(Clock clock, ZoneId zone) {
        database = Database.open(PostgresTestCluster.get().freshSettings());
        return new JdbcTicketStore(database.dataSource(), clock, zone);
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    /**
     * The drain's batches go to PostgreSQL as multi-row INSERTs ({@code reWriteBatchedInserts}, which
     * {@link Database} turns on), whose row counts do not say which rows ON CONFLICT skipped. Another writer's
     * uncommitted ticket for one of the calls makes the batch wait on the unique key and then skip that row: the
     * batch must return the other writer's ticket for it, not the one it did not write.
     */
    @Test
    void aBatchThatLosesACallToAnotherWriterReturnsTheOtherWritersTicket() throws Exception {
        JdbcTicketStore jdbc = (JdbcTicketStore) store;
        Instant end = Instant.parse("2026-11-22T03:00:00Z");
        List<JdbcTicketStore.CallEnded> calls = List.of(
                new JdbcTicketStore.CallEnded(answered("race.1", "13800001111", "12315", "1001", end), Map.of()),
                new JdbcTicketStore.CallEnded(answered("race.2", "13800001111", "12315", "1001", end), Map.of()));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = database.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.executeUpdate("INSERT INTO tickets (id, number, linked_id, caller, line, disposition, end_stage,"
                        + " started_at, ended_at, queue_wait_seconds, talk_seconds, callback_required, created_at)"
                        + " VALUES (999999, '20261122-0999999', 'race.1', '13800001111', '12315', 'answered',"
                        + " 'talking', now(), now(), 0, 0, false, now())");
            }
            Future<Map<String, Ticket>> batch = pool.submit(() -> jdbc.saveAllIfAbsent(calls));
            try (Connection watcher = database.dataSource().getConnection();
                 Statement s = watcher.createStatement()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE wait_event_type = 'Lock'")) {
                        rs.next();
                        return rs.getInt(1) > 0;
                    }
                });
            }
            other.commit();

            Map<String, Ticket> stored = batch.get(10, TimeUnit.SECONDS);
            assertThat(stored.get("race.1").number()).isEqualTo("20261122-0999999");
            assertThat(store.byLinkedId("race.2")).contains(stored.get("race.2"));
            assertThat(store.count()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }
}
