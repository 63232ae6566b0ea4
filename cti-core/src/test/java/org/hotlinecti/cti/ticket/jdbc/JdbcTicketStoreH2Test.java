package org.hotlinecti.cti.ticket.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcTicketStoreH2Test extends TicketStoreContractTest {

    @TempDir
    Path dataDir;

    private Database database;

    @Override
    protected TicketStore newStore(Clock clock, ZoneId zone) {
        database = Database.open(settings());
        return new JdbcTicketStore(database.dataSource(), clock, zone);
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    private DbSettings settings() {
        return new DbSettings(Database.defaultH2Url(dataDir), "sa", "", 4);
    }

    @Test
    void reopenedDatabaseKeepsTicketsAndNeverReusesANumber() {
        List<Ticket> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(store.saveCallEnded(abandoned("R" + i, "13800001111", "12345",
                    Instant.parse("2026-11-22T01:00:00Z")), Map.of("i", "" + i)));
        }
        database.close();

        try (Database reopened = Database.open(settings())) {
            JdbcTicketStore again = new JdbcTicketStore(reopened.dataSource(), Clock.fixed(NOW, SHANGHAI), SHANGHAI);
            for (Ticket t : before) {
                assertThat(again.byNumber(t.number())).contains(t);
            }
            Ticket after = again.saveCallEnded(abandoned("R9", "13800001111", "12345",
                    Instant.parse("2026-11-22T01:00:00Z")), null);

            long last = before.stream().mapToLong(t -> sequenceOf(t.number())).max().orElseThrow();
            assertThat(sequenceOf(after.number())).isGreaterThan(last);
            assertThat(again.count()).isEqualTo(4);
        }
    }

    @Test
    void compactionWinsBackWhatCommitsWithoutHousekeepingLeaveInTheFile() throws Exception {
        JdbcTicketStore jdbc = (JdbcTicketStore) store;
        for (int i = 0; i < 3000; i += 10) {
            List<JdbcTicketStore.CallEnded> batch = new ArrayList<>();
            for (int j = i; j < i + 10; j++) {
                batch.add(new JdbcTicketStore.CallEnded(answered("B" + j, "1380000" + (j % 997), "12315", "1001",
                        Instant.parse("2026-11-22T01:00:00Z").plusSeconds(j)), Map.of()));
            }
            jdbc.saveAllIfAbsent(batch);
        }
        Path file = dataDir.resolve("hotline.mv.db");
        long grown = java.nio.file.Files.size(file);

        for (int i = 0; i < 30; i++) {
            database.compactH2File();
        }

        assertThat(java.nio.file.Files.size(file)).isLessThan(grown / 2);
        assertThat(store.count()).isEqualTo(3000);
    }

    @Test
    void flywayAppliedTheTicketsMigration() throws Exception {
        try (Connection c = database.dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, description, success FROM flyway_schema_history"
                     + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("version")).isEqualTo("1");
            assertThat(rs.getString("description")).isEqualTo("tickets");
            assertThat(rs.getBoolean("success")).isTrue();
        }
    }

    @Test
    void keepsInstantsToTheMicrosecond() {
        Instant end = Instant.parse("2026-11-22T03:04:05.123456789Z");
        Ticket saved = store.saveCallEnded(answered("M1", "13800001111", "12315", "1001", end), null);

        assertThat(saved.call().endedAt()).isEqualTo(Instant.parse("2026-11-22T03:04:05.123456Z"));
        assertThat(store.byNumber(saved.number())).contains(saved);
    }

    @Test
    void refusesAnIvrStepThatCannotBeStoredJoined() {
        CallSummary call = new CallSummary("I1", null, "13800001111", "12345", null, null, null,
                List.of("menu > 2"), Disposition.ABANDONED, CallStage.IVR, "caller", null,
                Instant.parse("2026-11-22T01:00:00Z"), null, null, Instant.parse("2026-11-22T01:01:00Z"), 0, 0, null,
                false);

        assertThatThrownBy(() -> store.saveCallEnded(call, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("menu > 2");
        assertThat(store.count()).isZero();
    }

    @Test
    void closedStoreRefusesCalls() {
        store.close();

        assertThatThrownBy(() -> store.count()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDatabaseFileLockedByAnotherProcessGivesAOneLineErrorNamingTheFile() throws Exception {
        database.close();
        Path file = dataDir.resolve("hotline.mv.db");
        // A lock held by this JVM looks to H2 exactly like one held by another process.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            assertThatThrownBy(() -> Database.open(settings()))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessage("Cannot open database: the file " + file.toAbsolutePath()
                            + " is locked by another process (is another hotline-cti running on the same data"
                            + " directory?)");
        }
    }

    @Test
    void anUnreachableDatabaseGivesAOneLineErrorWithoutThePassword() {
        DbSettings bad = new DbSettings("jdbc:h2:tcp://127.0.0.1:1/nowhere;PASSWORD=secret", "sa", "secret", 1);

        assertThatThrownBy(() -> Database.open(bad))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("Cannot open database jdbc:h2:tcp://127.0.0.1:1/nowhere: ")
                .hasMessageNotContaining("secret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void defaultUrlIsAnH2FileInPostgreSqlModeThatWritesEachCommit() {
        assertThat(Database.defaultH2Url(Path.of("/srv/cti/data")))
                .isEqualTo("jdbc:h2:file:/srv/cti/data/hotline;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
    }

    @Test
    void settingsNeverPrintThePassword() {
        assertThat(new DbSettings("jdbc:postgresql://db/hotline?password=pw", "cti", "pw", 5).toString())
                .doesNotContain("pw")
                .contains("jdbc:postgresql://db/hotline", "cti", "****");
    }

    private static long sequenceOf(String number) {
        return Long.parseLong(number.substring(number.indexOf('-') + 1));
    }
}
