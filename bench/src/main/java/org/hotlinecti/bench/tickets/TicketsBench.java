package org.hotlinecti.bench.tickets;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.hotlinecti.bench.BenchReport;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.DbSettings;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.journal.DurableTicketStore;
import org.hotlinecti.cti.ticket.journal.JournalOptions;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./hotline bench tickets}: the durable ticket path (journal with group-commit fsync, drained to the
 * database) and ticket search, on the embedded H2 database and on PostgreSQL when one is reachable.
 *
 * <ul>
 *   <li>{@code disk_fsyncs_per_s}: this machine's own limit, one 1 KB append + fsync after another, in the same
 *       directory as the journal;</li>
 *   <li>{@code durable_tickets_per_s}: tickets acknowledged durable per second with {@code --window} hang-ups in
 *       flight (closed loop, as many as the journal takes);</li>
 *   <li>{@code fsync_p50_ms}/{@code fsync_p99_ms}: hang-up (submit) to fsync acknowledgement, and
 *       {@code visible_p50_ms}/{@code visible_p99_ms}: hang-up to the ticket committed in the database, at a paced
 *       {@code --rate} of hang-ups per second;</li>
 *   <li>{@code search_p50_ms}/{@code search_p99_ms}: pages of 50 (mostly the first, some later ones) of a mix of
 *       searches (caller, line, department, agent, disposition, number, date ranges) over {@code --search-rows}
 *       tickets the database generates itself ({@code INSERT ... SELECT} over {@code generate_series}).</li>
 * </ul>
 * PostgreSQL figures carry the prefix {@code pg_}.
 */
@Command(name = "tickets", mixinStandardHelpOptions = true,
        description = {"Durable tickets/s, hang-up->fsync and hang-up->visible latency, disk fsync rate and search "
                + "latency on H2 and PostgreSQL."})
public final class TicketsBench implements Callable<Integer> {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String[] LINES = {"12345", "12315", "12333", "12369", "96128", "12319"};
    private static final String[] DEPARTMENTS = {"市政务服务便民热线中心", "市市场监督管理局", "市人力资源和社会保障局",
            "市生态环境局", "市卫生健康委员会", "市住房和城乡建设局"};
    private static final String[] SKILLS = {"general", "market", "labour", "environment", "health", "housing"};

    @Option(names = "--quick", description = "small run for development: fewer tickets and 100,000 search rows")
    boolean quick;

    @Option(names = "--tickets", description = "tickets in the throughput run (default 50000, quick 10000)")
    Integer tickets;

    @Option(names = "--window", defaultValue = "1024", description = "hang-ups in flight in the throughput run")
    int window;

    @Option(names = "--rate", defaultValue = "5000", description = "hang-ups per second in the latency run")
    int rate;

    @Option(names = "--paced-seconds", description = "length of the latency run (default 10, quick 3)")
    Integer pacedSeconds;

    @Option(names = "--search-rows", description = "tickets for the search run (default 1000000, quick 100000; 0 skips"
            + " the search run)")
    Integer searchRows;

    @Option(names = "--searches", description = "searches timed (default 2000, quick 500)")
    Integer searches;

    @Option(names = "--pg-url", description = "PostgreSQL JDBC URL; without it a throwaway cluster is started when"
            + " PostgreSQL is installed")
    String pgUrl;

    @Option(names = "--pg-user", defaultValue = "hotline")
    String pgUser;

    @Option(names = "--pg-password", defaultValue = "")
    String pgPassword;

    @Option(names = "--no-pg", description = "H2 only")
    boolean noPg;

    @Option(names = "--dir", description = "work directory (default: a temp directory, deleted afterwards)")
    Path dir;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        int n = tickets != null ? tickets : quick ? 10_000 : 50_000;
        int seconds = pacedSeconds != null ? pacedSeconds : quick ? 3 : 10;
        int rows = searchRows != null ? searchRows : quick ? 100_000 : 1_000_000;
        int timed = searches != null ? searches : quick ? 500 : 2000;
        boolean ownDir = dir == null;
        Path work = ownDir ? Files.createTempDirectory("hotline-bench-tickets-") : dir;
        BenchReport report = new BenchReport();
        try {
            double fsyncs = diskFsyncsPerSecond(work, quick ? 1 : 3);
            progress("disk: %.0f fsyncs/s", fsyncs);
            report.put("disk_fsyncs_per_s", fsyncs);

            // H2's search set-up writes hundreds of megabytes, which the kernel then writes back for a while: it runs
            // last, so that this write-back does not stall PostgreSQL's commits and syncs while they are timed
            String h2 = Database.defaultH2Url(work.resolve("h2"));
            try (Database db = Database.open(new DbSettings(h2, "sa", "", 8))) {
                runDurable(db, work.resolve("journal-h2"), "", n, seconds, report);
            }
            if (!noPg) {
                Optional<ThrowawayPostgres> own = Optional.empty();
                String url = pgUrl;
                try {
                    if (url == null) {
                        own = ThrowawayPostgres.startIfInstalled();
                        url = own.map(ThrowawayPostgres::jdbcUrl).orElse(null);
                    }
                    if (url == null) {
                        progress("PostgreSQL: not installed and no --pg-url; pg_ figures skipped");
                    } else {
                        String batched = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
                        try (Database db = Database.open(new DbSettings(batched, pgUser, pgPassword, 8))) {
                            runDurable(db, work.resolve("journal-pg"), "pg_", n, seconds, report);
                            runSearch(db, "pg_", rows, timed, report);
                        }
                    }
                } finally {
                    own.ifPresent(ThrowawayPostgres::close);
                }
            }
            try (Database db = Database.open(new DbSettings(h2, "sa", "", 8))) {
                runSearch(db, "", rows, timed, report);
            }
        } finally {
            if (ownDir) {
                deleteTree(work);
            }
        }
        report.print(out);
        return 0;
    }

    private void runDurable(Database db, Path journalDir, String prefix, int n, int seconds, BenchReport report)
            throws Exception {
        String name = prefix.isEmpty() ? "H2" : "PostgreSQL";
        JdbcTicketStore jdbc = new JdbcTicketStore(db.dataSource(), Clock.system(ZONE), ZONE);
        JournalOptions options = new JournalOptions(journalDir, 64L * 1024 * 1024, Duration.ofMillis(100),
                Duration.ofSeconds(10), Duration.ofSeconds(30), 1000);
        try (DurableTicketStore store = DurableTicketStore.open(options, jdbc, new JdbcCallLedger(db.dataSource()))) {
            throughput(store, prefix + "warm", Math.min(n, 5000));
            long fsyncsBefore = store.stats().fsyncs();
            double[] tp = throughput(store, prefix + "tp", n);
            long fsyncs = store.stats().fsyncs() - fsyncsBefore;
            progress("%s: %d tickets, %.0f durable/s, %.0f in the database/s, %.1f tickets per fsync", name, n, tp[0],
                    tp[1], (double) n / Math.max(1, fsyncs));
            report.put(prefix + "durable_tickets_per_s", tp[0]);
            report.put(prefix + "stored_tickets_per_s", tp[1]);

            Histogram[] lat = paced(store, prefix + "paced", rate, seconds);
            progress("%s: %d hang-ups/s for %d s: fsync p50 %.2f p99 %.2f ms, visible p50 %.2f p99 %.2f ms", name,
                    rate, seconds, ms(lat[0], 50), ms(lat[0], 99), ms(lat[1], 50), ms(lat[1], 99));
            report.put(prefix + "paced_tickets_per_s", (long) rate);
            report.put(prefix + "fsync_p50_ms", ms(lat[0], 50));
            report.put(prefix + "fsync_p99_ms", ms(lat[0], 99));
            report.put(prefix + "visible_p50_ms", ms(lat[1], 50));
            report.put(prefix + "visible_p99_ms", ms(lat[1], 99));
        }
    }

    private void runSearch(Database db, String prefix, int rows, int timed, BenchReport report) throws Exception {
        String name = prefix.isEmpty() ? "H2" : "PostgreSQL";
        if (rows == 0) {
            return;
        }
        long loadStart = System.nanoTime();
        List<String> indexes = dropSearchIndexes(db);
        List<String> numbers = bulkLoad(db, rows);
        double insertSeconds = (System.nanoTime() - loadStart) / 1e9;
        recreate(db, indexes);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        progress("%s: bulk-loaded %d tickets in %.1f s (rows %.1f s, then indexes %.1f s)", name, rows, loadSeconds,
                insertSeconds, loadSeconds - insertSeconds);
        Histogram search = search(new JdbcTicketStore(db.dataSource(), Clock.system(ZONE), ZONE), numbers, timed);
        progress("%s: %d searches on %d tickets: p50 %.2f ms, p99 %.2f ms, max %.2f ms", name, timed, rows,
                ms(search, 50), ms(search, 99), search.getMaxValue() / 1e6);
        report.put(prefix + "search_rows", (long) rows);
        report.put(prefix + "search_p50_ms", ms(search, 50));
        report.put(prefix + "search_p99_ms", ms(search, 99));
    }

    /** Closed loop: {@link #window} hang-ups in flight. Returns {durable/s, stored/s}. */
    private double[] throughput(DurableTicketStore store, String tag, int n) throws InterruptedException {
        Semaphore inFlight = new Semaphore(window);
        List<CompletableFuture<?>> stored = new ArrayList<>(n);
        AtomicLong lastDurable = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            DurableTicketStore.Submission s = store.submit(call(tag + "-" + i, Instant.now()), Map.of());
            s.durable().whenComplete((v, e) -> {
                lastDurable.accumulateAndGet(System.nanoTime(), Math::max);
                inFlight.release();
            });
            stored.add(s.stored());
        }
        inFlight.acquire(window);
        double durableSeconds = (lastDurable.get() - start) / 1e9;
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).join();
        double storedSeconds = (System.nanoTime() - start) / 1e9;
        return new double[] {n / durableSeconds, n / storedSeconds};
    }

    /** Open loop at {@code perSecond} hang-ups a second. Returns {hang-up->fsync, hang-up->visible} in ns. */
    private Histogram[] paced(DurableTicketStore store, String tag, int perSecond, int seconds) {
        Recorder fsync = new Recorder(3);
        Recorder visible = new Recorder(3);
        long total = (long) perSecond * seconds;
        long start = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>((int) total);
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / perSecond;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            long hangUp = System.nanoTime();
            DurableTicketStore.Submission s = store.submit(call(tag + "-" + i, Instant.now()), Map.of());
            s.durable().thenRun(() -> fsync.recordValue(System.nanoTime() - hangUp));
            all.add(s.stored().thenRun(() -> visible.recordValue(System.nanoTime() - hangUp)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return new Histogram[] {fsync.getIntervalHistogram(), visible.getIntervalHistogram()};
    }

    private static CallSummary call(String linkedId, Instant end) {
        return new CallSummary(linkedId, "draft-" + linkedId, "13800001111", "12315", "12315 热线",
                "市市场监督管理局", "market", List.of("welcome", "queue:market"), Disposition.ANSWERED,
                CallStage.TALKING, "caller", "1001", end.minusSeconds(300), end.minusSeconds(280),
                end.minusSeconds(250), end, 30, 250, 5, false);
    }

    /** Rows per INSERT ... SELECT: small transactions, as H2 slows down when one transaction's undo log grows. */
    private static final int LOAD_CHUNK = 10_000;

    /**
     * Inserts {@code rows} varied tickets, generated by the database itself ({@code INSERT ... SELECT} over
     * {@code generate_series}, which both H2 and PostgreSQL have) in chunks of {@value #LOAD_CHUNK}: no row crosses
     * the wire, so a million load in seconds. Ids (and numbers) are far above the sequence's. Values are spread by
     * multiplicative hashing of the row number: 200,000 callers with 5 tickets each, 6 lines and departments, 300
     * agents, ended over the last 365 days, dispositions 70 % answered, 20 % abandoned, 8 % voicemail, 2 % failed.
     *
     * @return every 100th ticket number, for searches by number
     */
    private static List<String> bulkLoad(Database db, int rows) throws Exception {
        String insert = "INSERT INTO tickets (id, number, linked_id, draft_id, caller, line, line_name, department,"
                + " skill, ivr_path, disposition, end_stage, ended_by, agent, started_at, queued_at, answered_at,"
                + " ended_at, queue_wait_seconds, talk_seconds, survey_score, callback_required, form, created_at)"
                + " SELECT id, TO_CHAR(ended_at AT TIME ZONE '" + ZONE.getId() + "', 'YYYYMMDD') || '-' || id,"
                + " 'bulk.' || id, CASE WHEN d < 70 THEN 'draft.' || id END,"
                + " '138' || LPAD(CAST(MOD(g * 48271, 200000) AS VARCHAR), 8, '0'),"
                + pick("l", LINES) + ", " + pick("l", LINES) + " || ' 热线', " + pick("l", DEPARTMENTS) + ", "
                + pick("l", SKILLS) + ", 'welcome > queue:' || " + pick("l", SKILLS) + ","
                + " CASE WHEN d < 70 THEN 'answered' WHEN d < 90 THEN 'abandoned' WHEN d < 98 THEN 'voicemail'"
                + " ELSE 'failed' END, CASE WHEN d < 70 THEN 'talking' ELSE 'queued' END, 'caller',"
                + " CASE WHEN d < 70 THEN CAST(1001 + MOD(g * 104729, 300) AS VARCHAR) END,"
                + " ended_at - INTERVAL '300' SECOND, ended_at - INTERVAL '280' SECOND,"
                + " CASE WHEN d < 70 THEN ended_at - INTERVAL '250' SECOND END, ended_at, 30,"
                + " CASE WHEN d < 70 THEN 250 ELSE 0 END, NULL, d >= 70, '{}', ended_at"
                + " FROM (SELECT g, 1000000000 + g AS id, MOD(g * 7919 + 13, 100) AS d, MOD(g * 40503 / 7, 6) AS l,"
                + " CAST(? AS TIMESTAMP WITH TIME ZONE) - MOD(g * 2654435761, 31536000) * INTERVAL '1' SECOND"
                + " AS ended_at FROM generate_series(CAST(? AS BIGINT), CAST(? AS BIGINT)) AS s(g)) x";
        List<String> numbers = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection()) {
            boolean h2 = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2");
            if (h2) {
                // loading is set-up, not what is measured: let H2 write in the background (and keep its file
                // compact) while it lasts, instead of writing every commit's pages at once
                try (Statement s = c.createStatement()) {
                    s.execute("SET WRITE_DELAY 500");
                }
            }
            c.setAutoCommit(false);
            OffsetDateTime now = utc(Instant.now());
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                for (long from = 1; from <= rows; from += LOAD_CHUNK) {
                    ps.setObject(1, now);
                    ps.setLong(2, from);
                    ps.setLong(3, Math.min(rows, from + LOAD_CHUNK - 1));
                    ps.executeUpdate();
                    c.commit();
                }
            }
            try (Statement s = c.createStatement()) {
                try (java.sql.ResultSet rs = s.executeQuery("SELECT number FROM tickets"
                        + " WHERE id >= 1000000000 AND MOD(id, 100) = 0")) {
                    while (rs.next()) {
                        numbers.add(rs.getString(1));
                    }
                }
                s.execute("ANALYZE");
                if (h2) {
                    s.execute("SET WRITE_DELAY 0");
                    s.execute("CHECKPOINT SYNC");
                }
            }
            c.commit();
        }
        return numbers;
    }

    /** SQL choosing {@code values[column mod values.length]}. */
    private static String pick(String column, String[] values) {
        StringBuilder sql = new StringBuilder("CASE ").append(column);
        for (int i = 0; i < values.length; i++) {
            sql.append(" WHEN ").append(i).append(" THEN '").append(values[i]).append('\'');
        }
        return sql.append(" END").toString();
    }

    /**
     * Drops the tickets table's plain indexes and its unique keys on number and Linkedid before the bulk load, which
     * then runs several times faster; {@link #recreate} builds them again from the returned statements, read from the database itself so
     * that they are exactly the migrations' indexes.
     */
    private static List<String> dropSearchIndexes(Database db) throws Exception {
        List<String> ddl = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            boolean h2 = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2");
            if (h2) {
                Map<String, List<String>> columns = new java.util.LinkedHashMap<>();
                try (java.sql.ResultSet rs = s.executeQuery("SELECT i.index_name, c.column_name,"
                        + " c.ordering_specification FROM information_schema.indexes i"
                        + " JOIN information_schema.index_columns c ON c.index_name = i.index_name"
                        + " AND c.table_name = i.table_name AND c.index_schema = i.index_schema"
                        + " WHERE i.table_name = 'tickets' AND i.index_schema = current_schema"
                        + " AND i.index_type_name = 'INDEX' ORDER BY i.index_name, c.ordinal_position")) {
                    while (rs.next()) {
                        columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(rs.getString(2) + ("DESC".equals(rs.getString(3)) ? " DESC" : ""));
                    }
                }
                columns.forEach((name, cols) -> {
                    names.add(name);
                    ddl.add("CREATE INDEX " + name + " ON tickets (" + String.join(", ", cols) + ")");
                });
            } else {
                try (java.sql.ResultSet rs = s.executeQuery("SELECT i.indexname, i.indexdef FROM pg_indexes i"
                        + " JOIN pg_index x ON x.indexrelid = (quote_ident(i.schemaname) || '.'"
                        + " || quote_ident(i.indexname))::regclass"
                        + " WHERE i.tablename = 'tickets' AND i.schemaname = current_schema()"
                        + " AND NOT x.indisunique")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        ddl.add(rs.getString(2));
                    }
                }
            }
            for (String name : names) {
                s.execute("DROP INDEX " + name);
            }
            // the unique keys too (the load's values are unique by construction): checking them row by row makes
            // H2 load several times slower than building them once afterwards
            for (String[] unique : new String[][] {{"tickets_number_uk", "number"}, {"tickets_linked_id_uk",
                    "linked_id"}}) {
                s.execute("ALTER TABLE tickets DROP CONSTRAINT " + unique[0]);
                ddl.add("ALTER TABLE tickets ADD CONSTRAINT " + unique[0] + " UNIQUE (" + unique[1] + ")");
            }
        }
        return ddl;
    }

    private static void recreate(Database db, List<String> ddl) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String statement : ddl) {
                s.execute(statement);
            }
            s.execute("ANALYZE");
        }
    }

    private Histogram search(JdbcTicketStore store, List<String> numbers, int timed) {
        Random random = new Random(54321);
        Instant now = Instant.now();
        Histogram h = new Histogram(3);
        Map<Integer, Histogram> byKind = new java.util.TreeMap<>();
        int warmUp = Math.min(200, timed / 2);
        for (int i = 0; i < timed + warmUp; i++) {
            int kind = random.nextInt(QUERY_KINDS.length);
            TicketQuery q = query(kind, random, now, numbers);
            long t = System.nanoTime();
            store.find(q);
            if (i >= warmUp) {
                long took = System.nanoTime() - t;
                h.recordValue(took);
                byKind.computeIfAbsent(kind, k -> new Histogram(3)).recordValue(took);
            }
        }
        byKind.forEach((kind, k) -> progress("  search %-34s p50 %7.2f ms  p99 %7.2f ms", QUERY_KINDS[kind],
                ms(k, 50), ms(k, 99)));
        return h;
    }

    private static final String[] QUERY_KINDS = {"caller", "line", "department", "agent", "disposition", "number",
        "caller + week", "line + week", "day", "department + disposition + week", "line, page 2-10",
        "department + week, page 2-5"};

    private static TicketQuery query(int kind, Random r, Instant now, List<String> numbers) {
        int l = r.nextInt(LINES.length);
        Instant from = now.minusSeconds(r.nextInt(300 * 86_400));
        Instant weekLater = from.plusSeconds(7 * 86_400);
        Disposition[] ds = Disposition.values();
        return switch (kind) {
            case 0 -> new TicketQuery(null, caller(r.nextInt(200_000)), null, null, null, null, null, null, 50, 0);
            case 1 -> new TicketQuery(null, null, LINES[l], null, null, null, null, null, 50, 0);
            case 2 -> new TicketQuery(null, null, null, DEPARTMENTS[l], null, null, null, null, 50, 0);
            case 3 -> new TicketQuery(null, null, null, null, agent(r.nextInt(300)), null, null, null, 50, 0);
            case 4 -> new TicketQuery(null, null, null, null, null, ds[r.nextInt(ds.length)], null, null, 50, 0);
            case 5 -> new TicketQuery(numbers.get(r.nextInt(numbers.size())), null, null, null, null, null, null,
                    null, 50, 0);
            case 6 -> new TicketQuery(null, caller(r.nextInt(200_000)), null, null, null, null, from, weekLater, 50,
                    0);
            case 7 -> new TicketQuery(null, null, LINES[l], null, null, null, from, weekLater, 50, 0);
            case 8 -> new TicketQuery(null, null, null, null, null, null, from, from.plusSeconds(86_400), 50, 0);
            case 9 -> new TicketQuery(null, null, null, DEPARTMENTS[l], null, ds[r.nextInt(ds.length)], from,
                    weekLater, 50, 0);
            case 10 -> new TicketQuery(null, null, LINES[l], null, null, null, null, null, 50, 50 * (1 + r.nextInt(9)));
            default -> new TicketQuery(null, null, null, DEPARTMENTS[l], null, null, from, weekLater, 50,
                    50 * (1 + r.nextInt(4)));
        };
    }

    private static String caller(int i) {
        return String.format("138%08d", i);
    }

    private static String agent(int i) {
        return Integer.toString(1001 + i);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** One 1 KB append and one fsync after another, for {@code seconds}. */
    private static double diskFsyncsPerSecond(Path dir, int seconds) throws IOException {
        Path file = dir.resolve("fsync-probe");
        ByteBuffer block = ByteBuffer.allocate(1024);
        long count = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (System.nanoTime() < end) {
                block.clear();
                ch.write(block);
                ch.force(false);
                count++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Files.deleteIfExists(file);
        return count / elapsed;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
