package org.hotlinecti.sim.pbx.ami;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare AMI client over a real socket for tests: records every byte received, splits what follows the banner
 * into messages at empty lines, and notices when the server closes.
 */
final class AmiTestClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closedByServer;
    private final java.util.concurrent.Semaphore readPermit = new java.util.concurrent.Semaphore(1);
    private volatile String banner;

    private AmiTestClient(Socket socket, boolean read) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new Thread(this::readLoop, "ami-test-client");
        this.reader.setDaemon(true);
        if (read) {
            this.reader.start();
        }
    }

    static AmiTestClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return new AmiTestClient(s, true);
    }

    /** A client with a small receive buffer, so that the server soon notices when it stops reading. */
    static AmiTestClient connectWithSmallReceiveBuffer(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return new AmiTestClient(s, true);
    }

    /** Stops reading from the socket (after the chunk being read), like a client that hangs. */
    void stopReading() throws InterruptedException {
        readPermit.acquire();
    }

    /** Reads again (to see what the server did meanwhile, e.g. close the connection). */
    void resumeReading() {
        readPermit.release();
    }

    void send(String raw) throws IOException {
        sendBytes(raw.getBytes(StandardCharsets.UTF_8));
    }

    synchronized void sendBytes(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    void login(String user, String secret, String events) throws IOException {
        send("Action: Login\r\nUsername: " + user + "\r\nSecret: " + secret + "\r\n"
                + (events == null ? "" : "Events: " + events + "\r\n") + "ActionID: login\r\n\r\n");
        AmiMessage r = next();
        if (!r.getOrEmpty("Response").equals("Success")) {
            throw new IllegalStateException("login failed: " + r);
        }
    }

    String banner() {
        await().atMost(Duration.ofSeconds(5)).until(() -> banner != null);
        return banner;
    }

    AmiMessage next() {
        return next(Duration.ofSeconds(5));
    }

    AmiMessage next(Duration timeout) {
        return take(timeout).message();
    }

    /** The next message as the exact bytes received (without its terminating empty line). */
    String nextRaw() {
        return take(Duration.ofSeconds(5)).raw();
    }

    private Received take(Duration timeout) {
        try {
            Received r = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no AMI message within " + timeout + "; received so far:\n" + receivedText());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Skips messages until one whose first field matches {@code key: value}. */
    AmiMessage nextWhere(String key, String value) {
        List<AmiMessage> skipped = new ArrayList<>();
        while (true) {
            AmiMessage m = next();
            if (m.getOrEmpty(key).equals(value)) {
                return m;
            }
            skipped.add(m);
        }
    }

    boolean hasPending() {
        return !messages.isEmpty();
    }

    int pendingCount() {
        return messages.size();
    }

    boolean closedByServer() {
        return closedByServer;
    }

    void awaitClosedByServer(Duration within) {
        await().atMost(within).until(() -> closedByServer);
    }

    synchronized String receivedText() {
        return received.toString(StandardCharsets.UTF_8);
    }

    synchronized byte[] receivedBytes() {
        return received.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        readPermit.release();
    }

    private record Received(AmiMessage message, String raw) {
    }

    private void readLoop() {
        try (InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            AmiMessage.Builder builder = AmiMessage.builder();
            boolean inMessage = false;
            byte[] buf = new byte[65536];
            int n;
            while (true) {
                readPermit.acquireUninterruptibly();
                readPermit.release();
                n = in.read(buf);
                if (n <= 0) {
                    break;
                }
                synchronized (this) {
                    received.write(buf, 0, n);
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    line.write(b);
                    if (b != '\n') {
                        continue;
                    }
                    String text = line.toString(StandardCharsets.UTF_8);
                    byte[] lineBytes = line.toByteArray();
                    line.reset();
                    String content = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                            : text.substring(0, text.length() - 1);
                    if (banner == null) {
                        banner = content;
                        continue;
                    }
                    if (content.isEmpty()) {
                        if (inMessage) {
                            messages.add(new Received(builder.build(), message.toString(StandardCharsets.UTF_8)));
                            builder = AmiMessage.builder();
                            message.reset();
                            inMessage = false;
                        }
                        continue;
                    }
                    inMessage = true;
                    message.write(lineBytes);
                    int colon = content.indexOf(": ");
                    if (colon < 0) {
                        builder.add(content, "");
                    } else {
                        builder.add(content.substring(0, colon), content.substring(colon + 2));
                    }
                }
            }
        } catch (IOException e) {
            // The socket was closed, by us or by the server.
        } finally {
            closedByServer = true;
        }
    }
}
