package org.hotlinecti.cti.asterisk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scriptable stand-in for Asterisk's AMI on 127.0.0.1 (port picked by the system), close to what Asterisk 22 does
 * in the traces: banner without blank line, Challenge/MD5 Login (bad key: Error "Authentication failed", then the
 * connection is closed), CoreSettings, Ping, Setvar, Redirect, Hangup, Logoff ("Goodbye", then closed), "Permission
 * denied" before login, and "Invalid/unknown command" for anything else. Tests can replace the reply to any action,
 * read every action received (keys lower-cased, in arrival order), push raw bytes to the client and drop it.
 */
final class FakeAmiServer implements AutoCloseable {

    static final String BANNER = "Asterisk Call Manager/11.0.0\r\n";
    static final String ASTERISK_VERSION = "22.10.1";

    /** A response to an action; {@link #NONE} sends nothing. */
    record Reply(String response, List<String> headers, boolean closeAfter) {

        static final Reply NONE = new Reply(null, List.of(), false);

        static Reply success(String... headers) {
            return new Reply("Success", List.of(headers), false);
        }

        static Reply error(String message) {
            return new Reply("Error", List.of("Message: " + message), false);
        }
    }

    private final String username;
    private final String secret;
    private final boolean sendBanner;
    private final ServerSocket serverSocket;
    private final Thread acceptThread;
    private final Map<String, Function<Map<String, String>, Reply>> scripted = new ConcurrentHashMap<>();
    private final List<Map<String, String>> actions = new CopyOnWriteArrayList<>();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger logins = new AtomicInteger();
    private volatile String afterLogin = "";
    private volatile List<String> channels = List.of();
    private volatile Map<String, String> deviceStates = Map.of();
    private volatile boolean unresponsive;
    private volatile boolean closed;

    private FakeAmiServer(String username, String secret, boolean sendBanner) throws IOException {
        this(username, secret, sendBanner, 0);
    }

    private FakeAmiServer(String username, String secret, boolean sendBanner, int port) throws IOException {
        this.username = username;
        this.secret = secret;
        this.sendBanner = sendBanner;
        this.serverSocket = new ServerSocket(port, 10, InetAddress.getLoopbackAddress());
        this.acceptThread = new Thread(this::acceptLoop, "fake-ami-accept");
        acceptThread.setDaemon(true);
        acceptThread.start();
    }

    /** A server accepting {@code username}/{@code secret}. */
    static FakeAmiServer start(String username, String secret) throws IOException {
        return new FakeAmiServer(username, secret, true);
    }

    /**
     * A server on a given port: for a client that was started before Asterisk (the port was picked by the system
     * earlier and released).
     */
    static FakeAmiServer startOn(int port, String username, String secret) throws IOException {
        return new FakeAmiServer(username, secret, true, port);
    }

    /** Device states ({@code PJSIP/agent1001} → {@code NOT_INUSE}) listed by DeviceStateList. */
    void deviceStates(Map<String, String> states) {
        this.deviceStates = new LinkedHashMap<>(states);
    }

    /** A server that accepts TCP connections and then says nothing at all. */
    static FakeAmiServer silent() throws IOException {
        return new FakeAmiServer("nobody", "nothing", false);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** Replaces the reply to {@code action} (case-insensitive), e.g. {@code Redirect}. */
    void reply(String action, Function<Map<String, String>, Reply> reply) {
        scripted.put(action.toLowerCase(Locale.ROOT), reply);
    }

    /** Raw bytes sent right after each successful Login response (Asterisk sends FullyBooted there). */
    void afterLogin(String raw) {
        this.afterLogin = raw;
    }

    /** Raw CoreShowChannel blocks (without ActionID and blank line) listed by CoreShowChannels. */
    void channels(List<String> rawBlocks) {
        this.channels = List.copyOf(rawBlocks);
    }

    /**
     * While on, the server reads actions but answers none and sends no banner to new clients: a hung Asterisk or a
     * half-dead network path, as a keep-alive Ping must detect.
     */
    void unresponsive(boolean on) {
        this.unresponsive = on;
    }

    /** Every action received so far, keys lower-cased, in arrival order. */
    List<Map<String, String>> actions() {
        return List.copyOf(actions);
    }

    /** The actions named {@code action}, in arrival order. */
    List<Map<String, String>> actions(String action) {
        return actions.stream().filter(a -> action.equalsIgnoreCase(a.get("action"))).toList();
    }

    /** How many logins succeeded so far. */
    int logins() {
        return logins.get();
    }

    /** Sends raw bytes to the newest client. */
    void send(byte[] bytes) throws IOException {
        currentClient().write(bytes);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the newest client's socket, as Asterisk does on shutdown. */
    void dropClient() throws IOException {
        currentClient().close();
    }

    private Client currentClient() {
        if (clients.isEmpty()) {
            throw new IllegalStateException("no AMI client connected");
        }
        return clients.get(clients.size() - 1);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        serverSocket.close();
        for (Client client : clients) {
            client.close();
        }
        try {
            acceptThread.join(2_000);
            for (Client client : clients) {
                client.thread.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                Client client = new Client(socket);
                clients.add(client);
                client.thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Client {

        private final Socket socket;
        private final OutputStream out;
        private final Thread thread;
        private final String challenge =
                Long.toString(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
        private boolean loggedIn;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.thread = new Thread(this::serve, "fake-ami-client-" + socket.getPort());
            thread.setDaemon(true);
        }

        synchronized void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void close() throws IOException {
            socket.close();
        }

        private void serve() {
            try (socket) {
                if (sendBanner && !unresponsive) {
                    write(BANNER.getBytes(StandardCharsets.US_ASCII));
                }
                InputStream in = socket.getInputStream();
                Map<String, String> message = new LinkedHashMap<>();
                String line;
                while ((line = readLine(in)) != null) {
                    if (!line.isEmpty()) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            message.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                    line.substring(colon + 1).strip());
                        }
                        continue;
                    }
                    if (!message.isEmpty()) {
                        Map<String, String> action = Collections.unmodifiableMap(message);
                        actions.add(action);
                        if (!answer(action)) {
                            return;
                        }
                        message = new LinkedHashMap<>();
                    }
                }
            } catch (IOException e) {
                // client gone or dropped by the test
            }
        }

        /** Answers one action; false when the connection is to be closed. */
        private boolean answer(Map<String, String> action) throws IOException {
            String name = action.getOrDefault("action", "").toLowerCase(Locale.ROOT);
            if (unresponsive) {
                return true;
            }
            if (name.equals("coreshowchannels") && loggedIn && !scripted.containsKey(name)) {
                String id = action.containsKey("actionid") ? "ActionID: " + action.get("actionid") + "\r\n" : "";
                StringBuilder list = new StringBuilder("Response: Success\r\n").append(id)
                        .append("EventList: start\r\nMessage: Channels will follow\r\n\r\n");
                for (String block : channels) {
                    list.append("Event: CoreShowChannel\r\n").append(id).append(block.strip()).append("\r\n\r\n");
                }
                list.append("Event: CoreShowChannelsComplete\r\n").append(id)
                        .append("EventList: Complete\r\nListItems: ").append(channels.size()).append("\r\n\r\n");
                write(list.toString().getBytes(StandardCharsets.UTF_8));
                return true;
            }
            if (name.equals("devicestatelist") && loggedIn && !scripted.containsKey(name)) {
                String id = action.containsKey("actionid") ? "ActionID: " + action.get("actionid") + "\r\n" : "";
                StringBuilder list = new StringBuilder("Response: Success\r\n").append(id)
                        .append("EventList: start\r\nMessage: Device State Changes will follow\r\n\r\n");
                deviceStates.forEach((device, state) -> list.append("Event: DeviceStateChange\r\n").append(id)
                        .append("Device: ").append(device).append("\r\nState: ").append(state).append("\r\n\r\n"));
                list.append("Event: DeviceStateListComplete\r\n").append(id)
                        .append("EventList: Complete\r\nListItems: ").append(deviceStates.size()).append("\r\n\r\n");
                write(list.toString().getBytes(StandardCharsets.UTF_8));
                return true;
            }
            Reply reply;
            Function<Map<String, String>, Reply> script = scripted.get(name);
            if (script != null) {
                reply = script.apply(action);
            } else if (!loggedIn && !name.equals("challenge") && !name.equals("login")) {
                reply = Reply.error("Permission denied");
            } else {
                reply = builtIn(name, action);
            }
            if (reply.response() == null) {
                return true;
            }
            StringBuilder text = new StringBuilder("Response: ").append(reply.response()).append("\r\n");
            if (action.containsKey("actionid")) {
                text.append("ActionID: ").append(action.get("actionid")).append("\r\n");
            }
            reply.headers().forEach(header -> text.append(header).append("\r\n"));
            write(text.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            if (name.equals("login") && loggedIn && script == null) {
                write(afterLogin.getBytes(StandardCharsets.UTF_8));
            }
            return !reply.closeAfter();
        }

        private Reply builtIn(String name, Map<String, String> action) {
            switch (name) {
                case "challenge":
                    return Reply.success("Challenge: " + challenge);
                case "login":
                    boolean md5Ok = md5(challenge + secret).equalsIgnoreCase(action.getOrDefault("key", ""));
                    boolean plainOk = !action.containsKey("authtype") && secret.equals(action.get("secret"));
                    if (username.equals(action.get("username")) && (md5Ok || plainOk)) {
                        loggedIn = true;
                        logins.incrementAndGet();
                        return Reply.success("Message: Authentication accepted");
                    }
                    return new Reply("Error", List.of("Message: Authentication failed"), true);
                case "coresettings":
                    return Reply.success("AMIversion: 11.0.0", "AsteriskVersion: " + ASTERISK_VERSION,
                            "SystemName: ", "CoreMaxCalls: 0", "CoreMaxLoadAvg: 0.000000",
                            "CoreRunUser: asterisk", "CoreRunGroup: asterisk", "CoreMaxFilehandles: 0",
                            "CoreRealTimeEnabled: No", "CoreCDRenabled: Yes", "CoreHTTPenabled: No",
                            "SoundsSearchCustomDir: No");
                case "ping":
                    return Reply.success("Ping: Pong", "Timestamp: 1795322494.129350");
                case "setvar":
                    return Reply.success("Message: Variable Set");
                case "redirect":
                    return Reply.success("Message: Redirect successful");
                case "hangup":
                    return Reply.success("Message: Channel Hungup");
                case "logoff":
                    return new Reply("Goodbye", List.of("Message: Thanks for all the fish."), true);
                default:
                    return Reply.error("Invalid/unknown command: " + action.get("action")
                            + ". Use Action: ListCommands to show available commands.");
            }
        }
    }

    /** A CRLF-terminated line without its terminator, or null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                    text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
