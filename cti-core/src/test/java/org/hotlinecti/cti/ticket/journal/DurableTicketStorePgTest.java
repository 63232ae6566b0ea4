package org.hotlinecti.cti.ticket.journal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import org.hotlinecti.cti.ticket.TicketStore;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.jdbc.PostgresTestCluster;
import org.hotlinecti.cti.ticket.jdbc.TicketStoreContractTest;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The journaled store honours the whole store contract on PostgreSQL (skipped with a message when none). */
class DurableTicketStorePgTest extends TicketStoreContractTest {

    @TempDir
    Path dir;

    private Database database;

    @Override
    protected TicketStore newStore(Clock clock, ZoneId zone) {
        database = Database.open(PostgresTestCluster.get().freshSettings());
        return DurableTicketStore.open(DurableTicketStoreH2Test.options(dir.resolve("journal")),
                new JdbcTicketStore(database.dataSource(), clock, zone), new JdbcCallLedger(database.dataSource()));
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
