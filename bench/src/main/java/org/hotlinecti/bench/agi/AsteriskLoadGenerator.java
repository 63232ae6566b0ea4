package org.hotlinecti.bench.agi;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Plays Asterisk towards a FastAGI server over loopback: keeps {@code concurrency} sessions open at all times (callers
 * in the IVR), each sending the {@code agi_*} header of a recorded Asterisk 22 session and answering every command
 * with the reply line Asterisk gave in the traces, after the command's simulated execution time ({@link PbxModel}),
 * until the server closes the socket; then that caller slot starts its next session at once (closed loop). The slots'
 * first sessions are spread evenly over one simulated session length, as callers arrive at different times, so the
 * server sees a steady stream of connects rather than bursts of {@code concurrency} at once.
 *
 * <p>A session's <em>server-attributable latency</em> is what a caller waits for the FastAGI server, not for
 * Asterisk: the time from the connect call to the first command received, plus, for each reply, the time from the
 * reply being written to the server's next command (or its close) being received. The simulated execution time (and
 * any lateness of the generator's own timer) is thus excluded; in the instant model it equals the session's wall time.
 * Non-blocking (its own Vert.x, one context per core), so the generator is not what limits a thread-per-session
 * server.
 */
final class AsteriskLoadGenerator implements AutoCloseable {

    private static final Buffer HEADER = Buffer.buffer(resource("01-answered-call-agi-1.header"));
    // reply lines as the traces show them (01-answered-call/agi-1.log)
    private static final Buffer ANSWERED = Buffer.buffer("200 result=0\n");
    private static final Buffer LINKEDID = Buffer.buffer("200 result=1 (1795322295.2)\n");
    private static final Buffer PLAYED = Buffer.buffer("200 result=0 endpos=3404\n");
    private static final Buffer DONE = Buffer.buffer("200 result=1\n");
    private static final Buffer UNKNOWN = Buffer.buffer("510 Invalid or unknown command\n");
    private static final long MAX_RECORDED = TimeUnit.SECONDS.toNanos(60);
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * The figures of one run at one concurrency; latencies are server-attributable (see the class comment).
     *
     * @param sessions sessions completed in the measured window
     * @param listenOverflows SYNs the kernel dropped for a full accept queue during the run, from its start to the
     *     last session's end ({@link ListenOverflows}; -1 where unknown)
     * @param cpuNanos CPU time the JVM used in the measured window (the idle server's share is near zero)
     * @param firstCommandP99Millis p99 of the first part alone: connect call to the server's first command received
     * @param failedSessions sessions that failed to connect, errored, or ended before the script's last command
     */
    record Result(int concurrency, long sessions, double seconds, double p50Millis, double p99Millis,
            double maxMillis, double firstCommandP99Millis, long failedSessions, double commandsPerSession,
            long cpuNanos, long listenOverflows) {

        double sessionsPerSecond() {
            return sessions / seconds;
        }

        /** CPU time of the whole JVM (server under test and generator) per measured session, in ms. */
        double cpuMillisPerSession() {
            return sessions == 0 ? 0 : cpuNanos / 1e6 / sessions;
        }
    }

    private static final int EVENT_LOOPS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    /** One context per event loop; a session slot keeps its context, so its next session starts there. */
    private final List<Context> loops = new ArrayList<>();

    AsteriskLoadGenerator() {
        // a deployed instance per event loop: getOrCreateContext() from this thread would give the same one context
        // every time (Vert.x 4.5+), leaving the generator on a single thread
        List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
        try {
            vertx.deployVerticle(() -> new VerticleBase() {
                @Override
                public Future<?> start() {
                    contexts.add(context);
                    return Future.succeededFuture();
                }
            }, new DeploymentOptions().setInstances(EVENT_LOOPS)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the load generator", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot start the load generator's event loops", e);
        }
        loops.addAll(contexts);
    }

    private final NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
            .setConnectTimeout(10_000));

    /**
     * Runs {@code concurrency} sessions in a closed loop against {@code port} with the given PBX model: the slots'
     * start-up (one simulated session length) and {@code warmupMillis} first, not counted, then
     * {@code measureMillis}; waits for the sessions in flight before returning.
     */
    Result run(int port, int concurrency, PbxModel pbx, long warmupMillis, long measureMillis)
            throws InterruptedException {
        long overflowsBefore = ListenOverflows.now();
        Run run = new Run(port, pbx);
        long spreadMillis = pbx.sessionMillis();
        for (int i = 0; i < concurrency; i++) {
            long delay = spreadMillis * i / concurrency;
            loops.get(i % loops.size()).runOnContext(v -> {
                if (delay == 0) {
                    run.startSession();
                } else {
                    vertx.setTimer(delay, t -> run.startSession());
                }
            });
        }
        Thread.sleep(spreadMillis + warmupMillis);
        run.recorder.reset();
        run.firstCommand.reset();
        run.failed.set(0);
        run.commands.set(0);
        run.completed.set(0);
        long start = System.nanoTime();
        long cpuStart = PROCESS.getProcessCpuTime();
        Thread.sleep(measureMillis);
        long cpuNanos = PROCESS.getProcessCpuTime() - cpuStart;
        Histogram histogram = run.recorder.getIntervalHistogram();
        Histogram firstCommand = run.firstCommand.getIntervalHistogram();
        double seconds = (System.nanoTime() - start) / 1e9;
        long completed = run.completed.get();
        long commands = run.commands.get();
        long failed = run.failed.get();
        run.stopping = true;
        if (!run.drained().await(30 + spreadMillis / 1000, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sessions still open 30 s after the run");
        }
        long overflowsAfter = ListenOverflows.now();
        long overflows = overflowsBefore < 0 || overflowsAfter < 0 ? -1 : overflowsAfter - overflowsBefore;
        return new Result(concurrency, histogram.getTotalCount(), seconds,
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                histogram.getMaxValue() / 1e6, firstCommand.getValueAtPercentile(99) / 1e6, failed, completed == 0 ? 0 : (double) commands / completed, cpuNanos, overflows);
    }

    private final class Run {

        final int port;
        final PbxModel pbx;
        final Recorder recorder = new Recorder(MAX_RECORDED, 3);
        final Recorder firstCommand = new Recorder(MAX_RECORDED, 3);
        final AtomicLong failed = new AtomicLong();
        final AtomicLong commands = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        volatile boolean stopping;
        private CountDownLatch drained;
        private int open;

        Run(int port, PbxModel pbx) {
            this.port = port;
            this.pbx = pbx;
        }

        synchronized CountDownLatch drained() {
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
            Session session = new Session(System.nanoTime());
            client.connect(port, "127.0.0.1").onComplete(connected -> {
                if (connected.failed()) {
                    failed.incrementAndGet();
                    closed();
                    vertx.setTimer(10, t -> startSession());
                    return;
                }
                NetSocket socket = connected.result();
                socket.handler(RecordParser.newDelimited("\n", line -> {
                    session.serverTurnEnded();
                    if (session.commands == 1) {
                        firstCommand.recordValue(Math.min(session.serverNanos, MAX_RECORDED));
                    }
                    String command = line.toString(StandardCharsets.UTF_8);
                    Buffer reply = replyTo(command);
                    long executionMillis = pbx.executionMillis(command);
                    if (executionMillis == 0) {
                        session.replied();
                        socket.write(reply);
                    } else {
                        vertx.setTimer(executionMillis, t -> {
                            session.replied();
                            socket.write(reply);
                        });
                    }
                }));
                socket.exceptionHandler(e -> session.errored = true);
                socket.closeHandler(v -> {
                    session.serverTurnEnded();
                    recorder.recordValue(Math.min(session.serverNanos, MAX_RECORDED));
                    commands.addAndGet(session.commands - 1);
                    completed.incrementAndGet();
                    if (session.commands - 1 < 4 || session.errored) {
                        failed.incrementAndGet();
                    }
                    closed();
                    startSession();
                });
                socket.write(HEADER);
            });
        }
    }

    /** One session's clock, touched only on its socket's event loop. */
    private static final class Session {

        /** When the server's turn began: the connect call, then each reply written. */
        private long turnStarted;
        long serverNanos;
        /** Server turns ended: commands received, plus one for the close. */
        int commands;
        boolean errored;

        Session(long connectStarted) {
            turnStarted = connectStarted;
        }

        void serverTurnEnded() {
            serverNanos += System.nanoTime() - turnStarted;
            commands++;
        }

        void replied() {
            turnStarted = System.nanoTime();
        }
    }

    private static Buffer replyTo(String text) {
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
