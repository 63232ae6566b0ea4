package org.hotlinecti.cti.asterisk;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.asteriskjava.util.SocketConnectionFacade;

/**
 * One accepted FastAGI connection for Asterisk-Java's session handler. Ours rather than Asterisk-Java's own because
 * that one can only be built inside its package (so it cannot be combined with a server socket we bound ourselves);
 * ours also registers itself so that {@link FastAgiServer#close()} can end sessions still running, and caps line
 * length.
 *
 * <p>FastAGI lines end with a bare {@code \n}; a trailing {@code \r} is dropped too.
 */
final class AgiSessionSocket implements SocketConnectionFacade {

    private static final int MAX_LINE_BYTES = 16 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Set<AgiSessionSocket> openSockets;
    private final StringBuilder pending = new StringBuilder();

    AgiSessionSocket(Socket socket, Set<AgiSessionSocket> openSockets) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.openSockets = openSockets;
        openSockets.add(this);
    }

    /** The next line without its terminator, or {@code null} at end of stream. */
    @Override
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return decode(line);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new IOException("FastAGI line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : decode(line);
    }

    private static String decode(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void write(String s) {
        pending.append(s);
    }

    @Override
    public void flush() throws IOException {
        out.write(pending.toString().getBytes(StandardCharsets.UTF_8));
        pending.setLength(0);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        openSockets.remove(this);
        socket.close();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected() && !socket.isClosed();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public InetAddress getRemoteAddress() {
        return socket.getInetAddress();
    }

    @Override
    public int getRemotePort() {
        return socket.getPort();
    }
}
