package org.hotlinecti.sim.pbx.agi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code \n}-terminated lines from a socket whose reads time out periodically (so the session can watch its
 * channel meanwhile). A timeout leaves the partial line in place for the next call.
 */
final class AgiLineReader {

    /** A line longer than this is a protocol error. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int max) {
            super("AGI line longer than " + max + " bytes");
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean eof;

    AgiLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its {@code \n} (a trailing {@code \r} is dropped too), or null at end of stream. A last
     * line without {@code \n} before the end is returned as a line, as Asterisk's fgets would.
     *
     * @throws SocketTimeoutException when no complete line arrived within the socket's timeout
     */
    String readLine() throws IOException {
        while (true) {
            while (position < limit) {
                byte b = buffer[position++];
                if (b == '\n') {
                    return take();
                }
                if (line.size() >= maxLineBytes) {
                    throw new LineTooLongException(maxLineBytes);
                }
                line.write(b);
            }
            if (eof) {
                return line.size() > 0 ? take() : null;
            }
            int n = in.read(buffer);
            if (n < 0) {
                eof = true;
            } else {
                position = 0;
                limit = n;
            }
        }
    }

    private String take() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
