package org.hotlinecti.cti.ticket.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for the store tests: the one named by {@code -Dhotline.pg.url=...} (with
 * {@code hotline.pg.user} / {@code hotline.pg.password}), or else a throwaway cluster started once per JVM with the
 * PostgreSQL binaries under {@code /usr/lib/postgresql/<version>/bin} ({@code initdb}, {@code pg_ctl}) in a temp
 * directory on a free port, bound to 127.0.0.1, stopped and deleted when the JVM exits. PostgreSQL refuses to run as
 * root, so as root the binaries run as the {@code postgres} user. Without either, {@link #get()} skips the test with
 * a message saying how to enable it, or fails it when {@code HOTLINE_PG_REQUIRED=true} in the environment or
 * {@code -Dhotline.pg.required=true} (CI sets the environment, so it runs the README's exact test command).
 *
 * <p>Each {@link #freshSettings()} is a new, empty schema, so tests never see each other's rows.
 */
public final class PostgresTestCluster {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PostgresTestCluster shared;
    private static String unavailable;

    private final String baseUrl;
    private final String user;
    private final String password;
    private final Path dir;
    private final Path bin;
    private final boolean asPostgresUser;
    private final int port;

    private PostgresTestCluster(String baseUrl, String user, String password, Path dir, Path bin,
            boolean asPostgresUser, int port) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.dir = dir;
        this.bin = bin;
        this.asPostgresUser = asPostgresUser;
        this.port = port;
    }

    /** The shared server, started on first use; skips the calling test when there is none. */
    public static synchronized PostgresTestCluster get() {
        if (shared == null && unavailable == null) {
            try {
                shared = launch();
            } catch (IOException | RuntimeException e) {
                unavailable = "could not start a throwaway PostgreSQL cluster: " + e.getMessage();
            }
        }
        if (shared == null && required()) {
            throw new IllegalStateException("PostgreSQL is required (HOTLINE_PG_REQUIRED=true or "
                    + "-Dhotline.pg.required=true) but " + unavailable);
        }
        assumeTrue(shared != null, () -> "PostgreSQL store tests skipped: " + unavailable
                + " (install the postgresql package or pass -Dhotline.pg.url=jdbc:postgresql://host:port/db)");
        return shared;
    }

    /** Whether the server is ours, so a test may stop and start it. */
    public boolean isThrowaway() {
        return dir != null;
    }

    /** Settings of a new, empty schema on the server (the store's migrations have not run yet). */
    public DbSettings freshSettings() {
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(baseUrl, user, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + ": " + e.getMessage(), e);
        }
        String glue = baseUrl.contains("?") ? "&" : "?";
        return new DbSettings(baseUrl + glue + "currentSchema=" + schema, user, password, 4);
    }

    /** Stops the throwaway server at once (like a crash of the database host's service). */
    public void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                "stop"));
    }

    /**
     * Stops the throwaway server the way an operator takes it down ({@code pg_ctl stop -m fast}): open sessions are
     * ended, clients see their connections drop and new ones refused until {@link #start()}.
     */
    public void stopFast() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                "stop"));
    }

    /** Starts the throwaway server again on the same port. */
    public void start() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "30", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
    }

    private static PostgresTestCluster launch() throws IOException {
        String url = System.getProperty("hotline.pg.url");
        if (url != null && !url.isBlank()) {
            return new PostgresTestCluster(url, System.getProperty("hotline.pg.user", "postgres"),
                    System.getProperty("hotline.pg.password", ""), null, null, false, -1);
        }
        Optional<Path> bin = findBinaries();
        if (bin.isEmpty()) {
            unavailable = "no -Dhotline.pg.url and no PostgreSQL binaries under /usr/lib/postgresql/*/bin";
            return null;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("hotline-pg-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PostgresTestCluster cluster = new PostgresTestCluster("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "hotline", "", dir, bin.get(), root, port);
        if (root) {
            cluster.runPlain(List.of("chown", "postgres", dir.toString()));
        }
        cluster.run(List.of(bin.get().resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U",
                "hotline", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        cluster.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.stop();
            } catch (RuntimeException e) {
                // already stopped
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // temp dir; the OS cleans it
            }
        }, "pg-test-cluster-stop"));
        return cluster;
    }

    private static Optional<Path> findBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString));
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        runPlain(full);
    }

    private void runPlain(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Whether a missing PostgreSQL fails the tests instead of skipping them. */
    private static boolean required() {
        return Boolean.getBoolean("hotline.pg.required")
                || "true".equalsIgnoreCase(System.getenv("HOTLINE_PG_REQUIRED"));
    }
}
