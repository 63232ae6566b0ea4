package org.hotlinecti.bench.agi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.util.ServerSocketFacade;

/**
 * Asterisk-Java's stock {@link DefaultAgiServer} with its defaults (3.42.2): a thread per session from a
 * {@code ThreadPoolExecutor} of core size 10 and maximum 500 on a {@code SynchronousQueue} (so no session ever waits
 * in a queue for a thread: up to 500 threads are created on demand, the 501st concurrent session is rejected and its
 * socket closed), accept backlog 200, socket read timeout 3 h; with a script sending the same four commands as the CTI's session: ANSWER, GET FULL VARIABLE, STREAM FILE,
 * SET VARIABLE. (Asterisk-Java adds its own {@code SET VARIABLE AJ_AGISTATUS} at the end of every session.)
 */
final class StockAgiServer implements AutoCloseable {

    private final DefaultAgiServer server;
    private final Thread acceptThread;
    private final int port;
    private final CountDownLatch listening = new CountDownLatch(1);

    StockAgiServer() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        server = new DefaultAgiServer((AgiScript) StockAgiServer::session) {
            @Override
            protected ServerSocketFacade createServerSocket() throws IOException {
                ServerSocketFacade socket = super.createServerSocket();
                listening.countDown();
                return socket;
            }
        };
        server.setPort(port);
        server.setAddress(InetAddress.getLoopbackAddress());
        acceptThread = new Thread(() -> {
            try {
                server.startup();
            } catch (IOException | IllegalStateException e) {
                throw new IllegalStateException("stock FastAGI server failed on port " + port, e);
            }
        }, "stock-fastagi-accept");
        acceptThread.setDaemon(true);
        acceptThread.start();
        awaitListening();
    }

    private static void session(AgiRequest request, AgiChannel channel) throws AgiException {
        channel.answer();
        channel.getFullVariable("${CHANNEL(linkedid)}");
        channel.streamFile("beep");
        channel.setVariable("IVR_CHOICE", "1");
    }

    private void awaitListening() throws IOException {
        try {
            if (listening.await(5, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("stock FastAGI server did not listen on port " + port + " within 5 s");
    }

    int port() {
        return port;
    }

    int poolSize() {
        return server.getPoolSize();
    }

    int maximumPoolSize() {
        return server.getMaximumPoolSize();
    }

    /** Threads the pool holds now (idle ones die after 50 s), -1 before the first session. */
    int threads() {
        return server.getPoolActiveThreadCount();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        acceptThread.join(5_000);
    }
}
