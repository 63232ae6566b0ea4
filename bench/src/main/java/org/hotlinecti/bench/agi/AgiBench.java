package org.hotlinecti.bench.agi;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.bench.BenchReport;
import org.hotlinecti.cti.asterisk.agi.FastAgiServer;
import org.hotlinecti.cti.asterisk.agi.FastAgiSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./hotline bench agi}: the CTI's FastAGI server against Asterisk-Java's stock {@code DefaultAgiServer}
 * ({@link StockAgiServer}, its default pool), in one run, at 10, 100 and 400 concurrent sessions, driven over
 * loopback by {@link AsteriskLoadGenerator}, which plays Asterisk. Both servers run the same four-command script:
 * ANSWER, GET FULL VARIABLE, STREAM FILE (one prompt), SET VARIABLE (Asterisk-Java adds a fifth, SET VARIABLE
 * AJ_AGISTATUS).
 *
 * <h2>Realistic model (the primary figures)</h2>
 * C callers sit in the IVR at all times (closed loop: a session ends, that caller slot's next session starts at
 * once); each holds its FastAGI connection while Asterisk executes the commands. Asterisk replies to STREAM FILE only
 * after the prompt has played ({@code --pbx-stream-file-ms}, default 1000 ms); ANSWER, GET/SET VARIABLE are instant
 * (a real Asterisk 22 answers them in about 0.3 ms). A real 12345 welcome prompt lasts 5 to 10 s; 1 s keeps a run
 * at about a minute and is the harsher choice for the servers, since at a fixed number of callers the session rate,
 * hence the connect/accept rate, grows as the prompt gets shorter. The figures are the <em>server-attributable
 * latency</em> per session — time from TCP connect to the first command received, plus, for each reply, time from
 * the reply written to the next command (or the close) received; i.e. the session's wall time minus the simulated
 * PBX time — as p50/p99 over the measured sessions (HdrHistogram), and sessions/s (about C / prompt length when the
 * servers keep up). Keys: {@code cC_sessions_per_s, cC_p50_ms, cC_p99_ms}, the same prefixed
 * {@code asterisk_java_}, and {@code ratio_cC_sessions_per_s} (ours / stock), {@code ratio_cC_p99} (stock / ours).
 * Diagnostics for each server: {@code _max_ms}, {@code _first_command_p99_ms} (connect to first command alone),
 * {@code _sessions} (measured sessions, so a reader knows how many samples a p99 rests on),
 * {@code _cpu_ms_per_session} (CPU of the whole JVM, generator included, per session), {@code _failed_sessions},
 * {@code _commands_per_session}, {@code _listen_overflows} (SYNs the kernel dropped for a full accept queue during
 * that run, Linux only: each costs a caller a 1 s SYN retry; the counter is machine-wide, so other programs'
 * overflows would show too), and the stock pool's {@code _threads}; the model's parameters are printed as
 * {@code pbx_stream_file_ms} and {@code pbx_other_commands_ms}.
 *
 * <p>Asterisk-Java's default pool (core 10, maximum 500, {@code SynchronousQueue}) never queues a session: up to 500
 * concurrent sessions it creates a thread for each, so at 400 callers it holds 400 threads and a caller does not wait
 * for one; the 501st concurrent caller is refused (socket closed, the dialplan continues without the IVR).
 *
 * <h2>Instant model (secondary figures, keys prefixed {@code instant_})</h2>
 * Asterisk answers every command at once: a session is a TCP connect, the header, four round trips and a close, so
 * both servers are bound by the kernel's TCP work on the machine's cores, and by Little's law the session latency is
 * C / throughput. It shows raw protocol throughput, not what a caller hears.
 */
@Command(name = "agi", mixinStandardHelpOptions = true,
        description = {"FastAGI: the CTI's non-blocking server vs Asterisk-Java's DefaultAgiServer (default pool: core 10,"
                + " max 500 threads) at 10, 100 and 400 concurrent sessions of 4 AGI commands (ANSWER, GET FULL "
                + "VARIABLE, STREAM FILE, SET VARIABLE), closed loop over loopback.",
                "Realistic model (primary): the simulated Asterisk replies to STREAM FILE after the prompt's length "
                + "(--pbx-stream-file-ms), to the other commands at once; the C sessions are callers held in the IVR. "
                + "Latency = server-attributable time per session (connect to first command, plus each reply to the "
                + "next command or close), p50/p99 over sessions. Keys: cC_sessions_per_s, cC_p50_ms, cC_p99_ms, "
                + "asterisk_java_cC_sessions_per_s, asterisk_java_cC_p50_ms, asterisk_java_cC_p99_ms, "
                + "ratio_cC_sessions_per_s (ours/stock), ratio_cC_p99 (stock/ours).",
                "Instant model (secondary, keys prefixed instant_): every command answered at once, so a session is "
                + "connect + header + 4 round trips + close; bound by kernel TCP work, latency = C / throughput.",
                "Diagnostics per server: _max_ms, _first_command_p99_ms, _sessions, _cpu_ms_per_session (whole JVM, "
                + "generator included), _failed_sessions, _commands_per_session, _listen_overflows (kernel SYN drops for a "
                + "full accept queue during that run, Linux), asterisk_java_cC_threads."})
public final class AgiBench implements Callable<Integer> {

    @Option(names = "--quick", description = "short warm-up and measurement (for CI smoke runs)")
    boolean quick;

    @Option(names = "--seconds", description = "measured seconds per model, concurrency and server (default 6, quick 1)")
    Double seconds;

    @Option(names = "--pbx-stream-file-ms", defaultValue = "1000",
            description = "realistic model: the played prompt's length, i.e. how long the simulated Asterisk takes "
                    + "before replying to STREAM FILE (default ${DEFAULT-VALUE}; a real 12345 welcome prompt is 5-10 s)")
    long streamFileMillis;

    @Option(names = "--concurrency", split = ",", defaultValue = "10,100,400",
            description = "concurrent sessions (callers in the IVR) to measure, comma-separated (default "
                    + "${DEFAULT-VALUE})")
    List<Integer> concurrency;

    @Option(names = "--instant", description = "run only the instant model (keys instant_*)")
    boolean instantOnly;

    @Option(names = "--skip-instant", description = "run only the realistic model")
    boolean skipInstant;

    @Override
    public Integer call() throws Exception {
        if (instantOnly && skipInstant) {
            throw new IllegalArgumentException("--instant and --skip-instant exclude each other");
        }
        if (streamFileMillis <= 0) {
            throw new IllegalArgumentException("--pbx-stream-file-ms must be > 0 (use --instant for the instant model),"
                    + " got " + streamFileMillis);
        }
        if (concurrency.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("--concurrency values must be >= 1, got " + concurrency);
        }
        long measureMillis = (long) ((seconds != null ? seconds : quick ? 1.0 : 6.0) * 1000);
        long warmupMillis = quick ? 300 : 1500;
        PbxModel realistic = new PbxModel(streamFileMillis);
        BenchReport report = new BenchReport();
        Vertx vertx = Vertx.vertx();
        try (AsteriskLoadGenerator asterisk = new AsteriskLoadGenerator()) {
            FastAgiServer ours = new FastAgiServer(vertx, FastAgiSettings.loopback(0, 10_000), new BenchIvr());
            ours.start();
            StockAgiServer stock = new StockAgiServer();
            try {
                report.put("asterisk_java_pool_size", stock.poolSize())
                        .put("asterisk_java_maximum_pool_size", stock.maximumPoolSize());
                // both servers and the generator (its timers too) get the JIT's attention before anything is
                // measured; without the realistic round, whichever server was measured first in that model paid for
                // the compilation of the generator's timer paths, run after run
                for (int round = 0; round < 2; round++) {
                    asterisk.run(ours.port(), 100, PbxModel.INSTANT, 0, warmupMillis);
                    asterisk.run(stock.port(), 100, PbxModel.INSTANT, 0, warmupMillis);
                }
                if (!instantOnly) {
                    asterisk.run(ours.port(), 100, realistic, 0, warmupMillis);
                    asterisk.run(stock.port(), 100, realistic, 0, warmupMillis);
                }
                if (!instantOnly) {
                    report.put("model", "realistic")
                            .put("pbx_stream_file_ms", realistic.streamFileMillis())
                            .put("pbx_other_commands_ms", 0L);
                    measure(asterisk, ours, stock, realistic, "", concurrency, warmupMillis, measureMillis, report);
                }
                if (!skipInstant) {
                    measure(asterisk, ours, stock, PbxModel.INSTANT, "instant_", concurrency, warmupMillis, measureMillis, report);
                }
            } finally {
                stock.close();
                ours.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        report.print(System.out);
        return 0;
    }

    private static void measure(AsteriskLoadGenerator asterisk, FastAgiServer ours, StockAgiServer stock,
            PbxModel pbx, String prefix, List<Integer> concurrency, long warmupMillis, long measureMillis, BenchReport report)
            throws InterruptedException {
        for (int c : concurrency) {
            AsteriskLoadGenerator.Result mine = asterisk.run(ours.port(), c, pbx, warmupMillis, measureMillis);
            AsteriskLoadGenerator.Result theirs = asterisk.run(stock.port(), c, pbx, warmupMillis, measureMillis);
            String key = prefix + "c" + c;
            String stockKey = prefix + "asterisk_java_c" + c;
            report.put(key + "_sessions_per_s", mine.sessionsPerSecond())
                    .put(key + "_p50_ms", mine.p50Millis())
                    .put(key + "_p99_ms", mine.p99Millis())
                    .put(stockKey + "_sessions_per_s", theirs.sessionsPerSecond())
                    .put(stockKey + "_p50_ms", theirs.p50Millis())
                    .put(stockKey + "_p99_ms", theirs.p99Millis())
                    .put(prefix + "ratio_c" + c + "_sessions_per_s",
                            mine.sessionsPerSecond() / Math.max(theirs.sessionsPerSecond(), 1e-9))
                    .put(prefix + "ratio_c" + c + "_p99", theirs.p99Millis() / Math.max(mine.p99Millis(), 1e-9))
                    .put(key + "_cpu_ms_per_session", mine.cpuMillisPerSession())
                    .put(stockKey + "_cpu_ms_per_session", theirs.cpuMillisPerSession())
                    .put(key + "_max_ms", mine.maxMillis())
                    .put(key + "_first_command_p99_ms", mine.firstCommandP99Millis())
                    .put(stockKey + "_first_command_p99_ms", theirs.firstCommandP99Millis())
                    .put(stockKey + "_max_ms", theirs.maxMillis())
                    .put(key + "_sessions", mine.sessions())
                    .put(stockKey + "_sessions", theirs.sessions())
                    .put(key + "_failed_sessions", mine.failedSessions())
                    .put(stockKey + "_failed_sessions", theirs.failedSessions())
                    .put(key + "_commands_per_session", mine.commandsPerSession())
                    .put(stockKey + "_commands_per_session", theirs.commandsPerSession())
                    .put(key + "_listen_overflows", mine.listenOverflows())
                    .put(stockKey + "_listen_overflows", theirs.listenOverflows())
                    .put(stockKey + "_threads", stock.threads());
        }
    }
}
