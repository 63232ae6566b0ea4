package org.hotlinecti.cti.asterisk.agi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Plays Asterisk's side of one FastAGI session: connects to the server, sends an {@code agi_*} header block, then
 * answers each command line with the next scripted reply until the server closes the socket. Lines end with a bare
 * {@code \n}, as Asterisk sends them.
 */
final class FakeAgiPeer implements AutoCloseable {

    /** Replies by command prefix, each used once in order; then the default. A reply may span lines. */
    static final class Replies {

        private record Rule(String prefix, String reply) {
        }

        private final List<Rule> rules = new ArrayList<>();
        private String otherwise = "200 result=1";

        /** The next command starting with {@code prefix} gets {@code reply}; {@code null} means never answer. */
        Replies when(String prefix, String reply) {
            rules.add(new Rule(prefix, reply));
            return this;
        }

        Replies otherwise(String reply) {
            this.otherwise = reply;
            return this;
        }

        synchronized String replyTo(String command) {
            for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
                Rule rule = it.next();
                if (command.startsWith(rule.prefix())) {
                    it.remove();
                    return rule.reply();
                }
            }
            return otherwise;
        }
    }

    private final Socket socket;
    private final Replies replies;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final CompletableFuture<List<String>> ended = new CompletableFuture<>();
    private final Thread thread;

    private FakeAgiPeer(int port, List<String> header, Replies replies) throws IOException {
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        this.replies = replies;
        send(String.join("\n", header) + "\n");
        this.thread = new Thread(this::serve, "fake-agi-peer-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens a session with {@code header} (the {@code agi_*} lines and the closing empty line). */
    static FakeAgiPeer call(int port, List<String> header, Replies replies) throws IOException {
        return new FakeAgiPeer(port, header, replies);
    }

    /** The commands received so far. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    /** Waits until the server closed (or reset) the session; returns every command it sent. */
    List<String> awaitEnd() throws Exception {
        return ended.get(5, TimeUnit.SECONDS);
    }

    boolean hasEnded() {
        return ended.isDone();
    }

    private void serve() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8))) {
            String command;
            while ((command = in.readLine()) != null) {
                commands.add(command);
                String reply = replies.replyTo(command);
                if (reply != null) {
                    send(reply + "\n");
                }
            }
        } catch (IOException e) {
            // A server that closes without reading the header makes the kernel reset the connection: ended too.
        }
        ended.complete(List.copyOf(commands));
    }

    private synchronized void send(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
