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
 * {@code ./hotline bench agi}: the CTI's FastAGI server against Asterisk-Java's stock {@code DefaultAgiServer}, in one
 * run, at 10, 100 and 400 concurrent sessions of four AGI commands each, driven over loopback by
 * {@link AsteriskLoadGenerator} (a closed loop: a session ends, the next starts). Prints sessions/s and p50/p99 session
 * latency for each server and the ratios.
 */
@Command(name = "agi", mixinStandardHelpOptions = true,
        description = {"FastAGI: the CTI's non-blocking server vs Asterisk-Java's DefaultAgiServer at 10, 100 and 400 "
                + "concurrent sessions (4 AGI commands each). Keys: cC_sessions_per_s, cC_p50_ms, cC_p99_ms, "
                + "asterisk_java_cC_sessions_per_s, asterisk_java_cC_p50_ms, asterisk_java_cC_p99_ms, "
                + "ratio_cC_sessions_per_s, ratio_cC_p99 (stock p99 / ours)."})
public final class AgiBench implements Callable<Integer> {

    private static final List<Integer> CONCURRENCY = List.of(10, 100, 400);

    @Option(names = "--quick", description = "short warm-up and measurement (for CI smoke runs)")
    boolean quick;

    @Option(names = "--seconds", description = "measured seconds per concurrency and server (default 4, quick 1)")
    Double seconds;

    @Override
    public Integer call() throws Exception {
        long measureMillis = (long) ((seconds != null ? seconds : quick ? 1.0 : 4.0) * 1000);
        long warmupMillis = quick ? 300 : 1500;
        BenchReport report = new BenchReport();
        Vertx vertx = Vertx.vertx();
        try (AsteriskLoadGenerator asterisk = new AsteriskLoadGenerator()) {
            FastAgiServer ours = new FastAgiServer(vertx, FastAgiSettings.loopback(0, 10_000), new BenchIvr());
            ours.start();
            StockAgiServer stock = new StockAgiServer();
            try {
                // both servers and the generator get the JIT's attention before anything is measured
                for (int round = 0; round < 2; round++) {
                    asterisk.run(ours.port(), 100, 0, warmupMillis);
                    asterisk.run(stock.port(), 100, 0, warmupMillis);
                }
                for (int c : CONCURRENCY) {
                    AsteriskLoadGenerator.Result mine = asterisk.run(ours.port(), c, warmupMillis, measureMillis);
                    AsteriskLoadGenerator.Result theirs = asterisk.run(stock.port(), c, warmupMillis, measureMillis);
                    String key = "c" + c;
                    report.put(key + "_sessions_per_s", mine.sessionsPerSecond())
                            .put(key + "_p50_ms", mine.p50Millis())
                            .put(key + "_p99_ms", mine.p99Millis())
                            .put("asterisk_java_" + key + "_sessions_per_s", theirs.sessionsPerSecond())
                            .put("asterisk_java_" + key + "_p50_ms", theirs.p50Millis())
                            .put("asterisk_java_" + key + "_p99_ms", theirs.p99Millis())
                            .put("ratio_" + key + "_sessions_per_s",
                                    mine.sessionsPerSecond() / Math.max(theirs.sessionsPerSecond(), 1e-9))
                            .put("ratio_" + key + "_p99", theirs.p99Millis() / Math.max(mine.p99Millis(), 1e-9))
                            .put(key + "_failed_sessions", mine.failedSessions())
                            .put("asterisk_java_" + key + "_failed_sessions", theirs.failedSessions())
                            .put(key + "_commands_per_session", mine.commandsPerSession())
                            .put("asterisk_java_" + key + "_commands_per_session", theirs.commandsPerSession());
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
}
