package org.hotlinecti.sim.pbx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A FastAGI server that plays the traced scripts again: the n-th session that connects gets the commands the
 * capture tool sent in the n-th traced session, each after the complete reply to the previous one (an unsolicited
 * {@code HANGUP} line is recorded and skipped, as any FastAGI library does), then the server closes the socket, as
 * the traced server did. It records what it sees in the form of {@link AgiTranscript}.
 */
final class ReplayingFastAgiServer implements AutoCloseable {

    private static final Pattern FINAL_REPLY = Pattern.compile("^\\d{3}( .*)?$");

    private final ServerSocket serverSocket;
    private final List<List<String>> scripts;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ReplayingFastAgiServer(List<AgiTranscript> traced) throws IOException {
        this.serverSocket = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        this.scripts = traced.stream().map(AgiTranscript::commands).toList();
        this.acceptor = new Thread(this::acceptLoop, "replaying-fastagi");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** Sessions accepted so far, in arrival order. */
    List<Session> sessions() {
        return List.copyOf(sessions);
    }

    /** True when every accepted session has been closed by this server (or by the PBX). */
    boolean allSessionsEnded() {
        return sessions.stream().allMatch(Session::ended);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket s = serverSocket.accept();
                sockets.add(s);
                int index = sessions.size();
                Session session = new Session(index < scripts.size() ? scripts.get(index) : List.of());
                sessions.add(session);
                Thread t = new Thread(() -> session.run(s), "replaying-fastagi-" + (index + 1));
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** One FastAGI connection. */
    static final class Session {
        private final List<String> script;
        private final Map<String, String> header = new LinkedHashMap<>();
        private final List<String> exchange = new CopyOnWriteArrayList<>();
        private volatile boolean ended;

        Session(List<String> script) {
            this.script = script;
        }

        boolean ended() {
            return ended;
        }

        /** What this session saw so far. */
        AgiTranscript transcript() {
            synchronized (header) {
                return new AgiTranscript(header, new ArrayList<>(exchange));
            }
        }

        private void run(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                String line;
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(": ");
                    synchronized (header) {
                        header.put(colon < 0 ? line : line.substring(0, colon),
                                colon < 0 ? "" : line.substring(colon + 2));
                    }
                }
                for (String command : script) {
                    exchange.add("S " + command);
                    out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    while ((line = readLine(in)) != null) {
                        exchange.add("R " + line);
                        if (FINAL_REPLY.matcher(line).matches()) {
                            break;
                        }
                    }
                    if (line == null) {
                        break;
                    }
                }
            } catch (IOException e) {
                exchange.add("! " + e);
            } finally {
                ended = true;
            }
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
        }
    }
}
