package org.hotlinecti.bench.ami;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.event.ManagerEvent;
import org.hotlinecti.bench.BenchReport;
import org.hotlinecti.cti.asterisk.ami.AmiClient;
import org.hotlinecti.cti.asterisk.ami.AmiClientOptions;
import org.hotlinecti.cti.asterisk.ami.AmiListener;
import org.hotlinecti.cti.asterisk.ami.AmiMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./hotline bench ami}: the same recorded-shape AMI event stream (trace 01's answered call, 126 events per
 * call, repeated) blasted over loopback to the CTI's own AMI client and to Asterisk-Java's stock
 * {@code ManagerConnection}, in one run; then once more to the CTI's client with a consumer that takes 200 µs per
 * event, to show the reader keeps reading and loses nothing.
 *
 * <p>Throughput is events sent (including the end marker) divided by the time from the first byte written to the
 * consumer seeing the end marker, so parsing, hand-off and delivery all count. Each side gets a warm-up pass first.
 */
@Command(name = "ami", mixinStandardHelpOptions = true,
        description = "AMI event throughput: the CTI's AMI client vs Asterisk-Java's ManagerConnection.")
public final class AmiBench implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long SLOW_CONSUMER_NANOS = 200_000;

    @Option(names = "--quick", description = "fewer events (a few seconds in all)")
    boolean quick;

    @Option(names = "--events", description = "events for the CTI's client (default 1,000,000; quick 200,000)")
    Integer events;

    @Override
    public Integer call() throws Exception {
        int ours = events != null ? events : quick ? 200_000 : 1_000_000;
        int stock = quick ? 40_000 : 200_000;
        int slow = quick ? 5_000 : 20_000;

        runOurs(ours / 10, false);
        Result own = runOurs(ours, false);
        runAsteriskJava(stock / 10);
        Result aj = runAsteriskJava(stock);
        Result slowRun = runOurs(slow, true);

        new BenchReport()
                .put("events_per_s", own.perSecond())
                .put("asterisk_java_events_per_s", aj.perSecond())
                .put("ratio_vs_asterisk_java", own.perSecond() / aj.perSecond())
                .put("lost_events", own.sent - own.received)
                .put("slow_consumer_lost_events", slowRun.sent - slowRun.received)
                .put("events_sent", own.sent)
                .put("asterisk_java_events_sent", aj.sent)
                .put("max_backlog", own.maxBacklog)
                .put("slow_consumer_events", slowRun.sent)
                .put("slow_consumer_blast_ms", slowRun.blastMillis)
                .put("slow_consumer_drain_ms", slowRun.millis)
                .put("slow_consumer_max_backlog", slowRun.maxBacklog)
                .put("slow_consumer_disconnects", slowRun.disconnects)
                .print(System.out);
        return 0;
    }

    /** One run's figures. */
    private record Result(long sent, long received, double millis, long blastMillis, long maxBacklog,
            long disconnects) {
        double perSecond() {
            return sent / (millis / 1000.0);
        }
    }

    private Result runOurs(int wanted, boolean slowConsumer) throws Exception {
        try (AmiEventBlaster blaster = new AmiEventBlaster()) {
            int blocks = Math.max(1, wanted / blaster.eventsPerBlock());
            long sent = (long) blocks * blaster.eventsPerBlock() + 1;
            AtomicLong received = new AtomicLong();
            AtomicLong disconnects = new AtomicLong();
            CompletableFuture<Long> end = new CompletableFuture<>();
            AmiListener listener = new AmiListener() {
                @Override
                public void connected(String asteriskVersion) {
                }

                @Override
                public void event(AmiMessage event) {
                    received.incrementAndGet();
                    if (slowConsumer) {
                        LockSupport.parkNanos(SLOW_CONSUMER_NANOS);
                    }
                    if ("UserEvent".equals(event.eventName())
                            && AmiEventBlaster.END_MARKER_NAME.equals(event.get("UserEvent"))) {
                        end.complete(System.nanoTime());
                    }
                }

                @Override
                public void disconnected(String reason, boolean requested) {
                    if (!requested) {
                        disconnects.incrementAndGet();
                    }
                }
            };
            AmiClientOptions options = AmiClientOptions.of("127.0.0.1", blaster.port(), "bench", "bench-secret",
                    TIMEOUT, TIMEOUT).withBacklog(100_000, Integer.MAX_VALUE);
            AmiClient client = new AmiClient(options, listener);
            try {
                client.connect();
                AmiEventBlaster.Client peer = blaster.awaitLogin(TIMEOUT.toMillis());
                long start = System.nanoTime();
                peer.blast(blocks);
                long blastMillis = (System.nanoTime() - start) / 1_000_000;
                long endNanos = end.get(10, TimeUnit.MINUTES);
                return new Result(sent, received.get(), (endNanos - start) / 1e6, blastMillis, client.maxBacklog(),
                        disconnects.get());
            } finally {
                client.close();
            }
        }
    }

    private Result runAsteriskJava(int wanted) throws Exception {
        try (AmiEventBlaster blaster = new AmiEventBlaster()) {
            int blocks = Math.max(1, wanted / blaster.eventsPerBlock());
            long sent = (long) blocks * blaster.eventsPerBlock() + 1;
            AtomicLong received = new AtomicLong();
            CompletableFuture<Long> end = new CompletableFuture<>();
            ManagerConnection connection = new ManagerConnectionFactory("127.0.0.1", blaster.port(), "bench",
                    "bench-secret").createManagerConnection();
            connection.registerUserEventClass(BenchEndEvent.class);
            ManagerEventListener listener = (ManagerEvent event) -> {
                received.incrementAndGet();
                if (event instanceof BenchEndEvent) {
                    end.complete(System.nanoTime());
                }
            };
            connection.addEventListener(listener);
            try {
                connection.login();
                AmiEventBlaster.Client peer = blaster.awaitLogin(TIMEOUT.toMillis());
                long start = System.nanoTime();
                peer.blast(blocks);
                long blastMillis = (System.nanoTime() - start) / 1_000_000;
                long endNanos = end.get(10, TimeUnit.MINUTES);
                return new Result(sent, received.get(), (endNanos - start) / 1e6, blastMillis, 0, 0);
            } finally {
                connection.logoff();
            }
        }
    }
}
