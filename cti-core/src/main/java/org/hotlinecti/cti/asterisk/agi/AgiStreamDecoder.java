package org.hotlinecti.cti.asterisk.agi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes what Asterisk sends on a FastAGI connection, fed in chunks of any size: first the {@code agi_*} header
 * block (ended by an empty line), then one reply per command. Lines end with {@code \n} (a {@code \r} before it is
 * dropped). Asterisk's unsolicited {@code HANGUP} line is not a reply: it is remembered and reported with the reply
 * that follows it. A {@code 520-} usage block is gathered into one reply.
 *
 * <p>Bounded: a line longer than {@value #MAX_LINE_BYTES} bytes, a header of more than {@value #MAX_HEADER_LINES}
 * lines, a usage block of more than {@value #MAX_USAGE_LINES} lines or a line that is not AGI is a protocol error;
 * after one the decoder ignores the rest of the input. Not thread-safe: one connection, one thread at a time.
 */
final class AgiStreamDecoder {

    static final int MAX_LINE_BYTES = 8192;
    static final int MAX_HEADER_LINES = 256;
    static final int MAX_USAGE_LINES = 64;

    /** What the decoder found; called on the thread that feeds it. */
    interface Listener {

        void header(AgiRequest request);

        void reply(AgiReply reply);

        /** The input is not FastAGI; nothing more will be reported. */
        void protocolError(String message);
    }

    private enum State { HEADER, REPLIES, USAGE, FAILED }

    private final Listener listener;
    private final Map<String, String> header = new LinkedHashMap<>();
    private byte[] line = new byte[256];
    private int lineLength;
    private State state = State.HEADER;
    private boolean hangupSeen;
    private StringBuilder usage;
    private int usageLines;

    AgiStreamDecoder(Listener listener) {
        this.listener = listener;
    }

    void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && state != State.FAILED; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                String text = new String(line, 0, end, StandardCharsets.UTF_8);
                lineLength = 0;
                onLine(text);
            } else if (lineLength == MAX_LINE_BYTES) {
                fail("line longer than " + MAX_LINE_BYTES + " bytes");
            } else {
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
                }
                line[lineLength++] = b;
            }
        }
    }

    /** Whether the header block has been read. */
    boolean headerDone() {
        return state != State.HEADER;
    }

    private void onLine(String text) {
        switch (state) {
            case HEADER -> headerLine(text);
            case REPLIES -> replyLine(text);
            case USAGE -> usageLine(text);
            case FAILED -> { }
        }
    }

    private void headerLine(String text) {
        if (text.isEmpty()) {
            if (header.isEmpty()) {
                fail("empty AGI header block");
                return;
            }
            state = State.REPLIES;
            listener.header(new AgiRequest(header));
            return;
        }
        int colon = text.indexOf(':');
        if (!text.startsWith("agi_") || colon < 0) {
            fail("not an agi_* header line: " + AgiText.printable(text));
            return;
        }
        if (header.size() == MAX_HEADER_LINES) {
            fail("AGI header longer than " + MAX_HEADER_LINES + " lines");
            return;
        }
        String value = text.substring(colon + 1);
        header.put(text.substring("agi_".length(), colon), value.startsWith(" ") ? value.substring(1) : value);
    }

    private void replyLine(String text) {
        if (text.equals("HANGUP")) {
            hangupSeen = true;
            return;
        }
        if (text.startsWith("520-")) {
            usage = new StringBuilder(text);
            usageLines = 1;
            state = State.USAGE;
            return;
        }
        AgiReply reply;
        try {
            reply = AgiReply.parse(text, takeHangup());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        listener.reply(reply);
    }

    private void usageLine(String text) {
        usage.append('\n').append(text);
        if (text.startsWith("520 ")) {
            state = State.REPLIES;
            String lines = usage.toString();
            usage = null;
            listener.reply(AgiReply.usage(lines, takeHangup()));
        } else if (++usageLines > MAX_USAGE_LINES) {
            fail("520 usage block longer than " + MAX_USAGE_LINES + " lines");
        }
    }

    private boolean takeHangup() {
        boolean seen = hangupSeen;
        hangupSeen = false;
        return seen;
    }

    private void fail(String message) {
        state = State.FAILED;
        listener.protocolError(message);
    }
}
