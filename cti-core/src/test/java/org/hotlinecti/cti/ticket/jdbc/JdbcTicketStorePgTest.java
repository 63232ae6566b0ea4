package org.hotlinecti.cti.ticket.jdbc;

import java.time.Clock;
import java.time.ZoneId;
import org.hotlinecti.cti.ticket.TicketStore;
import org.junit.jupiter.api.AfterEach;

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
}
