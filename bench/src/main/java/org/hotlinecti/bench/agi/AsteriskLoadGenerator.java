package org.hotlinecti.bench.agi;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Plays Asterisk towards a FastAGI server over loopback: keeps {@code concurrency} sessions open at all times, each
 * sending the {@code agi_*} header of a recorded Asterisk 22 session and answering every command with the reply line
 * Asterisk gave in the traces, until the server closes the socket; then the next session starts at once (closed
 * loop). A session's latency runs from the connect call to the server's close. Non-blocking (its own Vert.x, one context per
 * core), so the generator is not what limits a thread-per-session server.
 */
final class AsteriskLoadGenerator implements AutoCloseable {

    private static final Buffer HEADER = Buffer.buffer(resource("01-answered-call-agi-1.header"));
    // reply lines as the traces show them (01-answered-call/agi-1.log)
    private static final Buffer ANSWERED = Buffer.buffer("200 result=0\n");
    private static final Buffer LINKEDID = Buffer.buffer("200 result=1 (1795322295.2)\n");
    private static final Buffer PLAYED = Buffer.buffer("200 result=0 endpos=3404\n");
    private static final Buffer DONE = Buffer.buffer("200 result=1\n");
    private static final Buffer UNKNOWN = Buffer.buffer("510 Invalid or unknown command\n");

    /** The figures of one run at one concurrency. */
    record Result(int concurrency, long sessions, double seconds, double p50Millis, double p99Millis,
            long failedSessions, double commandsPerSession) {

        double sessionsPerSecond() {
            return sessions / seconds;
        }
    }

    private static final int EVENT_LOOPS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    /** One context per event loop; a session slot keeps its context, so its next session starts there. */
    private final List<Context> loops = new ArrayList<>();

    AsteriskLoadGenerator() {
        for (int i = 0; i < EVENT_LOOPS; i++) {
            loops.add(vertx.getOrCreateContext());
        }
    }

    private final NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
            .setConnectTimeout(10_000));

    /**
     * Runs {@code concurrency} sessions in a closed loop against {@code port}: {@code warmup} first (not counted),
     * then {@code measure}; waits for the sessions in flight before returning.
     */
    Result run(int port, int concurrency, long warmupMillis, long measureMillis) throws InterruptedException {
        Run run = new Run(port);
        for (int i = 0; i < concurrency; i++) {
            loops.get(i % loops.size()).runOnContext(v -> run.startSession());
        }
        Thread.sleep(warmupMillis);
        run.recorder.reset();
        run.failed.set(0);
        run.commands.set(0);
        run.completed.set(0);
        long start = System.nanoTime();
        Thread.sleep(measureMillis);
        Histogram histogram = run.recorder.getIntervalHistogram();
        double seconds = (System.nanoTime() - start) / 1e9;
        long completed = run.completed.get();
        long commands = run.commands.get();
        long failed = run.failed.get();
        run.stopping = true;
        if (!run.drained(concurrency).await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sessions still open 30 s after the run");
        }
        return new Result(concurrency, histogram.getTotalCount(), seconds,
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6, failed,
                completed == 0 ? 0 : (double) commands / completed);
    }

    private final class Run {

        final int port;
        final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong failed = new AtomicLong();
        final AtomicLong commands = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        volatile boolean stopping;
        private CountDownLatch drained;
        private int open;

        Run(int port) {
            this.port = port;
        }

        synchronized CountDownLatch drained(int concurrency) {
            if (drained == null) {
                drained = new CountDownLatch(1);
                if (open == 0) {
                    drained.countDown();
                }
            }
            return drained;
        }

        private synchronized void opened() {
            open++;
        }

        private synchronized void closed() {
            open--;
            if (open == 0 && drained != null) {
                drained.countDown();
            }
        }

        void startSession() {
            if (stopping) {
                return;
            }
            opened();
            long start = System.nanoTime();
            client.connect(port, "127.0.0.1").onComplete(connected -> {
                if (connected.failed()) {
                    failed.incrementAndGet();
                    closed();
                    vertx.setTimer(10, t -> startSession());
                    return;
                }
                NetSocket socket = connected.result();
                long[] sessionCommands = {0};
                socket.handler(RecordParser.newDelimited("\n", line -> {
                    sessionCommands[0]++;
                    socket.write(replyTo(line));
                }));
                socket.exceptionHandler(e -> failed.incrementAndGet());
                socket.closeHandler(v -> {
                    recorder.recordValue(Math.min(System.nanoTime() - start, TimeUnit.SECONDS.toNanos(60)));
                    commands.addAndGet(sessionCommands[0]);
                    completed.incrementAndGet();
                    if (sessionCommands[0] < 4) {
                        failed.incrementAndGet();
                    }
                    closed();
                    startSession();
                });
                socket.write(HEADER);
            });
        }
    }

    private static Buffer replyTo(Buffer command) {
        byte first = command.length() == 0 ? 0 : command.getByte(0);
        String text = first == 'G' || first == 'S' || first == 'A' || first == 'V'
                ? command.toString(StandardCharsets.UTF_8) : "";
        if (text.startsWith("ANSWER")) {
            return ANSWERED;
        }
        if (text.startsWith("GET FULL VARIABLE")) {
            return LINKEDID;
        }
        if (text.startsWith("STREAM FILE")) {
            return PLAYED;
        }
        if (text.startsWith("SET VARIABLE") || text.startsWith("VERBOSE")) {
            return DONE;
        }
        return UNKNOWN;
    }

    private static byte[] resource(String name) {
        try (InputStream in = AsteriskLoadGenerator.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bench resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
