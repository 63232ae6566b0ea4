package org.hotlinecti.sim.pbx.agi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A FastAGI server for tests: accepts one session, reads the agi_* header, then sends the scripted commands one at a
 * time, each after the complete reply to the previous one (skipping the unsolicited HANGUP line and reading 520's
 * usage block to its end, as Asterisk-Java does). Everything received is kept byte for byte.
 */
final class ScriptedFastAgiServer implements AutoCloseable {

    private static final Pattern FINAL_REPLY = Pattern.compile("^\\d{3} .*");

    private final ServerSocket serverSocket;
    private final List<String> commands;
    private final boolean closeWhenDone;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<String> replies = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean sawEof;

    /**
     * @param closeWhenDone close the connection after the last reply (a normal script end); otherwise go silent
     */
    ScriptedFastAgiServer(List<String> commands, boolean closeWhenDone) throws IOException {
        this.serverSocket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        this.commands = commands;
        this.closeWhenDone = closeWhenDone;
        Thread t = new Thread(this::serve, "scripted-fastagi");
        t.setDaemon(true);
        t.start();
    }

    String url(String script) {
        return "agi://127.0.0.1:" + serverSocket.getLocalPort() + "/" + script;
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** Waits until the script ran out (or failed) and returns everything received. */
    byte[] received() throws Exception {
        done.get(10, TimeUnit.SECONDS);
        synchronized (received) {
            return received.toByteArray();
        }
    }

    String receivedText() throws Exception {
        return new String(received(), StandardCharsets.UTF_8);
    }

    /** The reply lines to each command (the HANGUP line included where it came). */
    List<String> replies() throws Exception {
        done.get(10, TimeUnit.SECONDS);
        return replies;
    }

    /** True once the client closed its side (read returned end of stream). */
    boolean sawEof() {
        return sawEof;
    }

    private void serve() {
        try (Socket s = serverSocket.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                // header
            }
            for (String command : commands) {
                out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                StringBuilder reply = new StringBuilder();
                while ((line = readLine(in)) != null) {
                    reply.append(line).append('\n');
                    if (FINAL_REPLY.matcher(line).matches()) {
                        break;
                    }
                }
                replies.add(reply.toString());
                if (line == null) {
                    break;
                }
            }
            done.complete(null);
            if (!closeWhenDone) {
                sawEof = readLine(in) == null;
            }
        } catch (IOException e) {
            done.completeExceptionally(e);
        }
    }

    private String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            synchronized (received) {
                received.write(b);
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        sawEof = true;
        return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }
}
