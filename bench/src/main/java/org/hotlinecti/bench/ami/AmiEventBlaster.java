package org.hotlinecti.bench.ami;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A loopback AMI server for the benchmark: it answers the login of any client (banner, Challenge, Login, CoreSettings,
 * Ping, CoreShowChannels, Logoff) like Asterisk 22 and then writes a pre-encoded event stream as fast as the socket
 * takes it. The stream is the recorded answered call of trace 01 (126 events: VarSet, Newexten, AGIExec*, Newchannel,
 * DialBegin, BridgeEnter, Hangup ...), repeated with fresh channel names and Uniqueids per call, and closed by one
 * {@code UserEvent: BenchEnd} marker.
 */
final class AmiEventBlaster implements AutoCloseable {

    static final String END_MARKER_NAME = "BenchEnd";
    private static final int CALLS_PER_BLOCK = 64;

    private final ServerSocket server;
    private final Thread acceptor;
    private final CompletableFuture<Client> loggedIn = new CompletableFuture<>();
    private final byte[] block;
    private final int eventsPerBlock;

    AmiEventBlaster() throws IOException {
        String call;
        try (InputStream in = AmiEventBlaster.class.getResourceAsStream("answered-call.ami")) {
            if (in == null) {
                throw new IOException("resource answered-call.ami missing");
            }
            call = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        int perCall = call.split("\r\n\r\n").length;
        StringBuilder b = new StringBuilder(call.length() * CALLS_PER_BLOCK);
        for (int i = 0; i < CALLS_PER_BLOCK; i++) {
            b.append(call.replace("1795322295.2", "1795322295." + (1000 + 2 * i))
                    .replace("1795322299.3", "1795322299." + (1001 + 2 * i))
                    .replace("trunk-00000002", String.format("trunk-%08x", 1000 + 2 * i))
                    .replace("agent1001-00000003", String.format("agent1001-%08x", 1001 + 2 * i)));
        }
        this.block = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        this.eventsPerBlock = perCall * CALLS_PER_BLOCK;
        this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "ami-blaster-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int eventsPerBlock() {
        return eventsPerBlock;
    }

    /** Waits for a client to log in. */
    Client awaitLogin(long timeoutMillis) throws Exception {
        return loggedIn.get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void accept() {
        try {
            Socket socket = server.accept();
            socket.setTcpNoDelay(true);
            socket.setSendBufferSize(1 << 20);
            Client client = new Client(socket);
            client.reader.start();
        } catch (IOException e) {
            loggedIn.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** One connected client. */
    final class Client {
        private final Socket socket;
        private final OutputStream out;
        private final Thread reader;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.reader = new Thread(this::serve, "ami-blaster-reader");
            reader.setDaemon(true);
        }

        /**
         * Writes {@code blocks} blocks of events and the end marker; returns when the last byte was handed to the
         * socket, which only happens as fast as the client reads.
         */
        void blast(int blocks) throws IOException {
            for (int i = 0; i < blocks; i++) {
                write(block);
            }
            write(("Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: " + END_MARKER_NAME + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }

        private void write(byte[] bytes) throws IOException {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        }

        private void serve() {
            try (socket) {
                write("Asterisk Call Manager/11.0.0\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(socket.getInputStream());
                Map<String, String> action = new LinkedHashMap<>();
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) != -1) {
                    if (c == '\r') {
                        continue;
                    }
                    if (c != '\n') {
                        line.append((char) c);
                        continue;
                    }
                    if (line.length() > 0) {
                        int colon = line.indexOf(":");
                        if (colon > 0) {
                            action.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                    line.substring(colon + 1).trim());
                        }
                        line.setLength(0);
                        continue;
                    }
                    if (!action.isEmpty()) {
                        if (!answer(action)) {
                            return;
                        }
                        action = new LinkedHashMap<>();
                    }
                }
            } catch (IOException e) {
                // client gone
            }
        }

        private boolean answer(Map<String, String> action) throws IOException {
            String id = action.containsKey("actionid") ? "ActionID: " + action.get("actionid") + "\r\n" : "";
            String name = action.getOrDefault("action", "").toLowerCase(Locale.ROOT);
            List<String> reply = new ArrayList<>();
            switch (name) {
                case "challenge" -> reply.add("Response: Success\r\n" + id + "Challenge: 840215337\r\n\r\n");
                case "login" -> reply.add("Response: Success\r\n" + id + "Message: Authentication accepted\r\n\r\n");
                case "coresettings" -> reply.add("Response: Success\r\n" + id + "AMIversion: 11.0.0\r\n"
                        + "AsteriskVersion: 22.10.1\r\nSystemName: \r\nCoreMaxCalls: 0\r\n\r\n");
                case "ping" -> reply.add("Response: Success\r\n" + id + "Ping: Pong\r\nTimestamp: 1795322494.129350\r\n\r\n");
                case "coreshowchannels" -> reply.add("Response: Success\r\n" + id + "EventList: start\r\n"
                        + "Message: Channels will follow\r\n\r\nEvent: CoreShowChannelsComplete\r\n" + id
                        + "EventList: Complete\r\nListItems: 0\r\n\r\n");
                case "logoff" -> {
                    write(("Response: Goodbye\r\n" + id + "Message: Thanks for all the fish.\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    return false;
                }
                default -> reply.add("Response: Success\r\n" + id + "\r\n");
            }
            for (String r : reply) {
                write(r.getBytes(StandardCharsets.US_ASCII));
            }
            if (name.equals("login")) {
                loggedIn.complete(this);
            }
            return true;
        }
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
