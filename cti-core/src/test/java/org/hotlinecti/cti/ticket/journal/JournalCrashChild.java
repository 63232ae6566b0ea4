package org.hotlinecti.cti.ticket.journal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.DbSettings;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;

/**
 * The victim of {@link KillNineTest}: a JVM that writes tickets through the real journal and H2 store from several
 * threads, as fast as it can, and prints {@code ACK <linkedId>} for each one the journal acknowledged (after fsync),
 * until it is killed. Arguments: data directory, Linkedid prefix, threads.
 */
public final class JournalCrashChild {

    private JournalCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String prefix = args[1];
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        Database database = Database.open(new DbSettings(Database.defaultH2Url(dataDir.resolve("db")), "sa", "", 4));
        DurableTicketStore store = DurableTicketStore.open(JournalOptions.defaults(dataDir.resolve("journal")),
                new JdbcTicketStore(database.dataSource(), Clock.system(zone), zone),
                new JdbcCallLedger(database.dataSource()));
        out.println("READY " + store.replayReport().records());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 1_000_000; i++) {
                    String linkedId = prefix + "-" + thread + "-" + i;
                    store.submit(Calls.answered(linkedId), null).durable().join();
                    synchronized (out) {
                        out.println("ACK " + linkedId);
                    }
                }
            });
            worker.start();
        }
        Thread.currentThread().join();
    }
}
