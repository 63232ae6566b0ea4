package org.hotlinecti.cti.ticket.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI's relational database: a connection pool (HikariCP) whose schema has been brought up to date by the
 * migrations in {@code classpath:db/migration} (Flyway) before {@link #open} returns. Closing it closes the pool; an
 * embedded H2 database then shuts down cleanly.
 *
 * <p>The same migrations serve the embedded H2 default ({@link #defaultH2Url}, H2 in PostgreSQL mode) and PostgreSQL
 * ({@code jdbc:postgresql://...} in {@link DbSettings}; driver and Flyway's PostgreSQL support are on the class path).
 *
 * <h2>Durability of the embedded H2 database</h2>
 * H2 2.x (MVStore) acknowledges a commit before it is on disk. Committed changes stay in memory until the store's
 * background writer saves them, at most {@code WRITE_DELAY} milliseconds later (the database setting; default 500,
 * it is the MVStore's auto-commit delay): a {@code kill -9} in that window loses commits that JDBC reported as done.
 * With {@code WRITE_DELAY=0} in the URL (or {@code SET WRITE_DELAY 0}), every commit writes its chunk to the file
 * before returning, which survives the death of the process, but H2 still never calls fsync on commit (only on a clean
 * close, or on {@code CHECKPOINT SYNC}), so an OS crash or power cut can still lose it; it also stops the background
 * writer and with it the background compaction of the file. {@code MAX_COMPACT_TIME} only bounds how long a clean
 * close spends compacting the file (default 200 ms) and does not change what survives a crash. Measured here: of 20
 * acknowledged inserts followed by {@code kill -9}, 0 survived with the defaults and 20 with {@code WRITE_DELAY=0}
 * (three runs each); of 2,000 (H2KillNineTest) the defaults kept 1,296 and {@code WRITE_DELAY=0} all. {@link
 * #defaultH2Url} therefore sets {@code WRITE_DELAY=0}; surviving an OS crash as well is the job of the durable journal
 * in front of the store ({@code ticket.journal}), which keeps its records until {@code CHECKPOINT SYNC} has synced the
 * database's copy.
 *
 * <p>{@code WRITE_DELAY=0} also stops H2's background housekeeping, which is what rewrites half-empty chunks: the
 * file then grows by every commit's pages (measured: 9.5 KB a ticket written in batches of ten, against 1.3 KB with
 * the defaults; far more for bulk loads). For an embedded H2 file database this class therefore compacts the file
 * itself every {@value #H2_COMPACT_INTERVAL_SECONDS} s, for at most {@value #H2_COMPACT_MILLIS} ms at a time
 * (H2's MVStore {@code compactFile}, what the housekeeping would do), which keeps the file at the defaults' size.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** H2 error code for "Database may be already in use" (the file lock is held by someone else). */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    static final int H2_COMPACT_INTERVAL_SECONDS = 30;
    static final int H2_COMPACT_MILLIS = 100;

    private final HikariDataSource pool;
    private final ScheduledExecutorService compactor;
    private volatile boolean compactFailureLogged;

    private Database(HikariDataSource pool, boolean h2File) {
        this.pool = pool;
        if (h2File) {
            compactor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "h2-compactor");
                t.setDaemon(true);
                return t;
            });
            compactor.scheduleWithFixedDelay(this::compactH2File, H2_COMPACT_INTERVAL_SECONDS,
                    H2_COMPACT_INTERVAL_SECONDS, TimeUnit.SECONDS);
        } else {
            compactor = null;
        }
    }

    /**
     * Rewrites the embedded H2 file's half-empty chunks for at most {@value #H2_COMPACT_MILLIS} ms (see the class
     * comment); does nothing for other databases. Runs by itself every {@value #H2_COMPACT_INTERVAL_SECONDS} s.
     */
    public void compactH2File() {
        if (compactor == null) {
            return;
        }
        try (Connection c = pool.getConnection()) {
            JdbcConnection h2 = c.unwrap(JdbcConnection.class);
            // H2's own API: its SQL has no online compaction
            ((SessionLocal) h2.getSession()).getDatabase().getStore().getMvStore().compactFile(H2_COMPACT_MILLIS);
            compactFailureLogged = false;
        } catch (SQLException | RuntimeException e) {
            if (!compactFailureLogged) {
                compactFailureLogged = true;
                LOG.warn("Cannot compact the H2 database file (it grows until the next restart): {}", e.toString());
            }
        }
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @throws DatabaseException with a one-line message when the database cannot be reached, is locked by another
     *                           process, or a migration fails; nothing stays open then
     */
    public static Database open(DbSettings settings) {
        Objects.requireNonNull(settings, "settings");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setPoolName("hotline-db");
        // Fail at open, not at the first ticket.
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        if (settings.jdbcUrl().startsWith("jdbc:postgresql:") && !settings.jdbcUrl().contains("reWriteBatchedInserts")) {
            // the journal's drain inserts tickets in JDBC batches: sent as multi-row INSERTs they cost one round
            // trip and one statement per 128 rows instead of one per row
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }

        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new DatabaseException(cannotOpen(settings.jdbcUrl(), e), e);
        }
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            LOG.info("Database {} ready: schema version {}, {} migration(s) applied now",
                    redact(settings.jdbcUrl()), result.targetSchemaVersion == null
                            ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException | IllegalStateException e) {
            pool.close();
            throw new DatabaseException("Cannot migrate database " + redact(settings.jdbcUrl()) + ": "
                    + firstLine(e.getMessage()), e);
        }
        return new Database(pool, isH2File(settings.jdbcUrl()));
    }

    /**
     * The JDBC URL of the embedded default: an H2 file database {@code <dataDir>/hotline} (file
     * {@code hotline.mv.db}) in PostgreSQL mode, so the PostgreSQL migrations run on it unchanged.
     */
    public static String defaultH2Url(Path dataDir) {
        Path base = dataDir.toAbsolutePath().normalize().resolve("hotline");
        return "jdbc:h2:file:" + base
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    /** The pool; connections borrowed from it must be closed by the borrower. */
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        if (compactor != null) {
            compactor.shutdownNow();
            try {
                compactor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.close();
    }

    /** The URL without its parameters (which may carry a password), for messages and logs. */
    static String redact(String jdbcUrl) {
        int end = jdbcUrl.length();
        for (char c : new char[] {';', '?'}) {
            int i = jdbcUrl.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return jdbcUrl.substring(0, end);
    }

    private static String cannotOpen(String jdbcUrl, Throwable failure) {
        SQLException sql = sqlCause(failure);
        if (sql != null && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN && isH2File(jdbcUrl)) {
            return "Cannot open database: the file " + h2File(jdbcUrl)
                    + " is locked by another process (is another hotline-cti running on the same data directory?)";
        }
        Throwable reason = sql != null ? sql : failure;
        return "Cannot open database " + redact(jdbcUrl) + ": " + firstLine(reason.getMessage());
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static boolean isH2File(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:")
                && !jdbcUrl.startsWith("jdbc:h2:tcp:") && !jdbcUrl.startsWith("jdbc:h2:ssl:");
    }

    private static String h2File(String jdbcUrl) {
        String path = redact(jdbcUrl).substring("jdbc:h2:".length());
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        return path + ".mv.db";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl).strip();
    }
}
