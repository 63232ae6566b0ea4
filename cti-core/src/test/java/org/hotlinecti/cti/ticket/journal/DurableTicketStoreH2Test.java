package org.hotlinecti.cti.ticket.journal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.hotlinecti.cti.ticket.TicketStore;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.DbSettings;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.jdbc.TicketStoreContractTest;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The journaled store honours the whole store contract (on the embedded H2 database). */
class DurableTicketStoreH2Test extends TicketStoreContractTest {

    @TempDir
    Path dir;

    private Database database;

    @Override
    protected TicketStore newStore(Clock clock, ZoneId zone) {
        database = Database.open(new DbSettings(Database.defaultH2Url(dir.resolve("db")), "sa", "", 4));
        return DurableTicketStore.open(options(dir.resolve("journal")),
                new JdbcTicketStore(database.dataSource(), clock, zone), new JdbcCallLedger(database.dataSource()));
    }

    static JournalOptions options(Path journalDir) {
        return new JournalOptions(journalDir, 64 * 1024, Duration.ofMillis(5), Duration.ofMillis(50),
                Duration.ofSeconds(5), 500);
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
