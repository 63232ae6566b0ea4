package org.hotlinecti.bench.tickets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster for one benchmark run: initdb in a temp directory, started on a free port on 127.0.0.1 with
 * the server's default durability (fsync on, synchronous commit), stopped and deleted by {@link #close()}. As root the
 * binaries run as the {@code postgres} user, since PostgreSQL refuses to run as root.
 */
final class ThrowawayPostgres implements AutoCloseable {

    private final Path dir;
    private final Path bin;
    private final boolean asPostgres;
    private final int port;

    private ThrowawayPostgres(Path dir, Path bin, boolean asPostgres, int port) {
        this.dir = dir;
        this.bin = bin;
        this.asPostgres = asPostgres;
        this.port = port;
    }

    /** Starts one, or empty when no PostgreSQL binaries are installed under /usr/lib/postgresql. */
    static Optional<ThrowawayPostgres> startIfInstalled() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        Optional<Path> bin;
        try (Stream<Path> versions = Files.list(root)) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString));
        }
        if (bin.isEmpty()) {
            return Optional.empty();
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        boolean root0 = "root".equals(System.getProperty("user.name"));
        ThrowawayPostgres pg = new ThrowawayPostgres(Files.createTempDirectory("hotline-bench-pg-"), bin.get(), root0,
                port);
        if (root0) {
            run(List.of("chown", "postgres", pg.dir.toString()));
        }
        pg.runAs(List.of(bin.get().resolve("initdb").toString(), "-D", pg.dir.resolve("data").toString(), "-U",
                "hotline", "-A", "trust", "-E", "UTF8", "--locale=C"));
        pg.runAs(List.of(bin.get().resolve("pg_ctl").toString(), "-D", pg.dir.resolve("data").toString(), "-l",
                pg.dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + pg.dir + " -c listen_addresses=127.0.0.1 -c shared_buffers=256MB", "start"));
        return Optional.of(pg);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() {
        try {
            runAs(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory; the OS cleans it
            }
        }
    }

    private void runAs(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
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
}
