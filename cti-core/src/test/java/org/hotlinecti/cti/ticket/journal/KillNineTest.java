package org.hotlinecti.cti.ticket.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.DbSettings;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the CTI during a burst of hang-ups, 20 times at random moments, on one data directory: afterwards every
 * acknowledged call has exactly one ticket. Each child JVM also replays what the previous one left, so kills land
 * during replay and drain as well as during appends. {@code -Dhotline.kill.runs=N} changes the number of kills.
 */
class KillNineTest {

    private static final Logger LOG = LoggerFactory.getLogger(KillNineTest.class);
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedTicketSurvivesKillNineExactlyOnce() throws Exception {
        int runs = Integer.getInteger("hotline.kill.runs", 20);
        Random random = new Random();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (int run = 0; run < runs; run++) {
            acked.addAll(runAndKill("k" + run, 1 + random.nextInt(400)));
        }

        Database database = Database.open(new DbSettings(Database.defaultH2Url(dataDir.resolve("db")), "sa", "", 4));
        try (database; DurableTicketStore store = DurableTicketStore.open(
                JournalOptions.defaults(dataDir.resolve("journal")),
                new JdbcTicketStore(database.dataSource(), Clock.system(ZONE), ZONE),
                new JdbcCallLedger(database.dataSource()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> store.stats().pending() == 0);
            Set<String> stored = new HashSet<>();
            Set<String> numbers = new HashSet<>();
            int rows = 0;
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT linked_id, number FROM tickets")) {
                while (rs.next()) {
                    rows++;
                    stored.add(rs.getString(1));
                    numbers.add(rs.getString(2));
                }
            }
            LOG.info("{} kills: {} acknowledged, {} tickets stored", runs, acked.size(), rows);
            assertThat(acked).hasSizeGreaterThan(runs);
            assertThat(stored).as("every acknowledged call has its ticket").containsAll(acked);
            assertThat(rows).as("one row per call").isEqualTo(stored.size());
            assertThat(numbers).as("numbers unique").hasSize(rows);
            assertThat(store.replayReport().damagedRecords()).as("only torn tails").isLessThanOrEqualTo(runs);
        }
    }

    /** Starts a child, lets it acknowledge {@code acks} tickets (a random moment), kills it; returns what it acked. */
    private Set<String> runAndKill(String prefix, int acks) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dhotline.log.level=WARN",
                "-cp", System.getProperty("java.class.path"), JournalCrashChild.class.getName(),
                dataDir.toString(), prefix, "4");
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean ready = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("ACK ")) {
                        acked.add(line.substring(4));
                    } else if (line.startsWith("READY")) {
                        ready.set(true);
                    }
                }
            } catch (IOException e) {
                // the child died
            }
        });
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= acks || !child.isAlive());
            assertThat(child.isAlive()).as("child running").isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        return new HashSet<>(new ArrayList<>(acked));
    }
}
