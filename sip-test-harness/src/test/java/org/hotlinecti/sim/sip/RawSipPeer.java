package org.hotlinecti.sim.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A SIP peer made of a bare UDP socket and text, like the SIPp scenarios of the Asterisk traces: it checks the
 * endpoint under test against an implementation that shares no code with it.
 */
final class RawSipPeer implements AutoCloseable {

    /** A parsed SIP message: start line, headers in order, body. */
    record Message(String startLine, List<String[]> headers, String body, String raw) {

        static Message parse(String text) {
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            String[] lines = head.split("\r\n");
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
                }
            }
            return new Message(lines[0], headers, body, text);
        }

        boolean isRequest(String method) {
            return startLine.startsWith(method + " ");
        }

        boolean isResponse(int code, String method) {
            return startLine.startsWith("SIP/2.0 " + code + " ") && cseqMethod().equals(method);
        }

        int statusCode() {
            return startLine.startsWith("SIP/2.0 ") ? Integer.parseInt(startLine.substring(8, 11)) : -1;
        }

        Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }

        String cseqMethod() {
            String cseq = header("CSeq").orElse("");
            return cseq.substring(cseq.indexOf(' ') + 1).trim();
        }

        /** The tag parameter of the To header, or {@code null}. */
        String toTag() {
            String to = header("To").orElse("");
            int i = to.toLowerCase(Locale.ROOT).indexOf(";tag=");
            return i < 0 ? null : to.substring(i + 5).split(";")[0].trim();
        }

        /** A response to this request; {@code toTag} is added when To has none. */
        String response(int code, String reason, String toTag, String extraHeaders, String body) {
            StringBuilder r = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
            for (String[] h : headers) {
                String name = h[0];
                if (name.equalsIgnoreCase("Via") || name.equalsIgnoreCase("From") || name.equalsIgnoreCase("Call-ID")
                        || name.equalsIgnoreCase("CSeq")) {
                    r.append(name).append(": ").append(h[1]).append("\r\n");
                } else if (name.equalsIgnoreCase("To")) {
                    String to = h[1];
                    if (toTag != null && !to.toLowerCase(Locale.ROOT).contains(";tag=")) {
                        to += ";tag=" + toTag;
                    }
                    r.append("To: ").append(to).append("\r\n");
                }
            }
            return finish(r, extraHeaders, body);
        }
    }

    private final DatagramSocket socket;

    RawSipPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Appends the extra headers, Content-Length and the body to a start line + headers. */
    static String finish(StringBuilder message, String extraHeaders, String body) {
        if (extraHeaders != null && !extraHeaders.isEmpty()) {
            message.append(extraHeaders.replace("\r\n", "\n").replace("\n", "\r\n"));
            if (!extraHeaders.endsWith("\n")) {
                message.append("\r\n");
            }
        }
        String b = body == null ? "" : body.replace("\r\n", "\n").replace("\n", "\r\n");
        message.append("Content-Length: ").append(b.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(b);
        return message.toString();
    }

    /** Sends a request given as lines (LF or CRLF), Content-Length added. */
    void sendRequest(String headLines, String body, int port) throws IOException {
        String head = headLines.replace("\r\n", "\n").strip().replace("\n", "\r\n");
        send(finish(new StringBuilder(head).append("\r\n"), null, body), port);
    }

    void send(String text, int port) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    /** The next message matching {@code wanted}, skipping others (retransmissions, provisional responses...). */
    Message expect(Predicate<Message> wanted, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("no matching SIP message within " + within);
            }
            Optional<Message> m = receive(Duration.ofMillis(left));
            if (m.isPresent() && wanted.test(m.get())) {
                return m.get();
            }
        }
    }

    /** All messages that arrive within {@code window}. */
    List<Message> drain(Duration window) throws IOException {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            receive(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Message> receive(Duration timeout) throws IOException {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(Message.parse(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        socket.close();
    }
}
