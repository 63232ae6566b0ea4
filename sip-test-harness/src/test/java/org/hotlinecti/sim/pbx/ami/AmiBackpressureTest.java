package org.hotlinecti.sim.pbx.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client that stops reading must not slow the others down nor make them lose anything: it is disconnected after
 * {@code writeTimeout} (or when its queue outgrows the bound), while a fast client receives every event in order.
 */
class AmiBackpressureTest {

    private static final Logger log = LoggerFactory.getLogger(AmiBackpressureTest.class);

    private AmiServer server;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(AmiServerConfig config) throws IOException {
        server = new AmiServer(config, (action, reply) -> reply.send(AmiReplies.success()));
        server.start();
    }

    private static AmiServerConfig config() {
        return new AmiServerConfig("127.0.0.1", 0, List.of(AmiUser.all("cti", "cti-secret")), true, "22.10.1",
                Clock.systemUTC());
    }

    /** A Newchannel of about the size of the real ones, numbered by {@code Seq}. */
    private static AmiMessage newchannel(long seq) {
        return AmiMessage.builder()
                .add("Event", "Newchannel").add("Privilege", "call,all")
                .add("Channel", "PJSIP/trunk-00000013").add("ChannelState", "4").add("ChannelStateDesc", "Ring")
                .add("CallerIDNum", "13800001111").add("CallerIDName", "sipp")
                .add("ConnectedLineNum", "<unknown>").add("ConnectedLineName", "<unknown>")
                .add("Language", "en").add("AccountCode", "").add("Context", "from-trunk").add("Exten", "12345")
                .add("Priority", "1").add("Uniqueid", "1795322487.21").add("Linkedid", "1795322487.21")
                .add("Seq", Long.toString(seq))
                .build();
    }

    @Test
    void slowClientIsDisconnectedAfterWriteTimeoutWhileFastClientGetsEverythingInOrder() throws Exception {
        start(config().withWriteTimeout(Duration.ofMillis(500)));
        CountingClient fast = CountingClient.connect(server.port());
        closeables.add(fast);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.loggedInCount() == 1);
        AmiTestClient slow = AmiTestClient.connectWithSmallReceiveBuffer(server.port());
        closeables.add(slow);
        slow.login("cti", "cti-secret", "on");
        slow.nextWhere("Event", "SuccessfulAuth");
        slow.stopReading();

        long stoppedReading = System.nanoTime();
        // 100k events of ~450 bytes: enough to fill every buffer on the way to the slow client, but less than the
        // 64 MiB outbound bound, so only the write timeout can end its session.
        long total = 0;
        while (total < 100_000) {
            for (int i = 0; i < 1000; i++) {
                server.publish(newchannel(++total));
            }
            long published = total;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> fast.lastSeq() >= published - 20_000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sessionCount() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedReading)).isGreaterThan(Duration.ofMillis(500));
        assertThat(server.sessionCount()).as("slow client disconnected").isEqualTo(1);
        slow.resumeReading();
        slow.awaitClosedByServer(Duration.ofSeconds(5));
        server.publish(newchannel(++total));
        long last = total;
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.lastSeq() == last);
        assertThat(fast.outOfOrder()).isFalse();
        assertThat(fast.count()).isEqualTo(last);
    }

    @Test
    void clientWhoseQueueOutgrowsTheBoundIsDisconnected() throws Exception {
        start(config().withWriteTimeout(Duration.ofSeconds(60)).withMaxOutboundBytes(2L * 1024 * 1024));
        CountingClient fast = CountingClient.connect(server.port());
        closeables.add(fast);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.loggedInCount() == 1);
        AmiTestClient slow = AmiTestClient.connectWithSmallReceiveBuffer(server.port());
        closeables.add(slow);
        slow.login("cti", "cti-secret", "on");
        slow.nextWhere("Event", "SuccessfulAuth");
        slow.stopReading();
        long total = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.sessionCount() > 1 && System.nanoTime() < deadline) {
            // Paced so that the fast client's own queue stays far below the bound.
            for (int i = 0; i < 500; i++) {
                server.publish(newchannel(++total));
            }
            long published = total;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> fast.lastSeq() == published);
        }
        assertThat(server.sessionCount()).as("slow client disconnected").isEqualTo(1);
        slow.resumeReading();
        slow.awaitClosedByServer(Duration.ofSeconds(5));
        assertThat(fast.count()).isEqualTo(total);
        assertThat(fast.outOfOrder()).isFalse();
    }

    /**
     * Sustained rate: the publisher never runs more than 20,000 events (about 9 MB) ahead of the client, as a real
     * core cannot burst hundreds of thousands of events at once; an unthrottled burst larger than the outbound bound
     * would (rightly) cost the client its session.
     */
    @Test
    void deliversABurstOf300kEventsInOrderToOneFastClient() throws Exception {
        start(config());
        CountingClient fast = CountingClient.connect(server.port());
        closeables.add(fast);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.loggedInCount() == 1);
        int n = 300_000;
        long start = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            server.publish(newchannel(i));
            if (i % 5000 == 0) {
                long published = i;
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                        .until(() -> fast.lastSeq() >= published - 20_000);
            }
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> fast.lastSeq() == n);
        long nanos = System.nanoTime() - start;
        double rate = n / (nanos / 1e9);
        log.info("AMI throughput: {} events ({} MB) in {} ms = {} events/s to one client", n,
                n * (long) newchannel(n).toWire().length() / 1_000_000, nanos / 1_000_000, (long) rate);
        assertThat(fast.outOfOrder()).isFalse();
        assertThat(fast.count()).isEqualTo(n);
        // the rate is logged, not asserted: speed is what `./hotline bench ami` measures, not the test suite
        assertThat(server.sessionCount()).isEqualTo(1);
    }

    /**
     * A fast, lean reader: logs in, then only scans for {@code Seq: n} lines, checking they increase by one. (The
     * general test client parses every message and would be the bottleneck here.)
     */
    private static final class CountingClient implements AutoCloseable {
        private final Socket socket;
        private final AtomicLong lastSeq = new AtomicLong();
        private final AtomicLong count = new AtomicLong();
        private final AtomicBoolean outOfOrder = new AtomicBoolean();

        private CountingClient(Socket socket) {
            this.socket = socket;
        }

        static CountingClient connect(int port) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            OutputStream out = s.getOutputStream();
            out.write("Action: Login\r\nUsername: cti\r\nSecret: cti-secret\r\nEvents: call\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CountingClient c = new CountingClient(s);
            Thread t = new Thread(c::readLoop, "ami-counting-client");
            t.setDaemon(true);
            t.start();
            return c;
        }

        long lastSeq() {
            return lastSeq.get();
        }

        long count() {
            return count.get();
        }

        boolean outOfOrder() {
            return outOfOrder.get();
        }

        private void readLoop() {
            byte[] pattern = "\nSeq: ".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            long value = -1;
            byte[] buf = new byte[256 * 1024];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte b = buf[i];
                        if (value >= 0) {
                            if (b >= '0' && b <= '9') {
                                value = value * 10 + (b - '0');
                                continue;
                            }
                            if (value != lastSeq.get() + 1 && !outOfOrder.getAndSet(true)) {
                                log.error("out of order: {} after {}", value, lastSeq.get());
                            }
                            count.incrementAndGet();
                            lastSeq.set(value);
                            value = -1;
                        }
                        if (b == pattern[matched]) {
                            if (++matched == pattern.length) {
                                matched = 0;
                                value = 0;
                            }
                        } else {
                            matched = b == pattern[0] ? 1 : 0;
                        }
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
