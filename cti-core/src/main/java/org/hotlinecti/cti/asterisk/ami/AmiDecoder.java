package org.hotlinecti.cti.asterisk.ami;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits the AMI byte stream into packets: an explicit state machine over {@code Key: Value} lines ended by CRLF (a
 * bare LF is accepted too), a packet ended by an empty line. The first line of a connection may be the banner
 * ({@code Asterisk Call Manager/11.0.0}, not followed by an empty line).
 *
 * <p>Lines that lie wholly inside one fed chunk are decoded straight from it; only a line cut by a chunk boundary is
 * copied. Limits keep a broken or hostile peer from growing memory: a line longer than {@code maxLineBytes} or a
 * packet with more than {@code maxFields} lines makes that packet malformed; it is reported (errors are data, never
 * exceptions) and decoding resumes at the next empty line. Not thread-safe: one decoder per connection, fed from its
 * event loop.
 */
final class AmiDecoder {

    /** What the decoder found. Called on the feeding thread. */
    interface Sink {
        void banner(String banner);

        void message(AmiMessage message);

        /** A packet broken by a limit; {@code actionId} when one was seen before the problem, else null. */
        void malformed(String problem, String actionId);
    }

    static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;
    static final int DEFAULT_MAX_FIELDS = 2048;
    private static final byte[] BANNER_PREFIX = "Asterisk Call Manager/".getBytes(StandardCharsets.US_ASCII);

    private final Sink sink;
    private final int maxLineBytes;
    private final int maxFields;

    private byte[] partial = new byte[512];
    private int partialLength;
    private boolean skippingLine;

    private String[] fields = new String[64];
    private int fieldSlots;
    private String problem;
    private boolean bannerPossible = true;

    AmiDecoder(Sink sink) {
        this(sink, DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_FIELDS);
    }

    AmiDecoder(Sink sink, int maxLineBytes, int maxFields) {
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
        this.maxFields = maxFields;
    }

    /** Feeds the next bytes of the stream. */
    void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int pos = offset;
        while (pos < end) {
            int newline = indexOfNewline(bytes, pos, end);
            if (newline < 0) {
                keep(bytes, pos, end - pos);
                return;
            }
            if (partialLength == 0 && !skippingLine) {
                line(bytes, pos, newline);
            } else {
                keep(bytes, pos, newline - pos);
                if (!skippingLine) {
                    line(partial, 0, partialLength);
                }
                partialLength = 0;
                skippingLine = false;
            }
            pos = newline + 1;
        }
    }

    void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void keep(byte[] bytes, int from, int length) {
        if (skippingLine || length == 0) {
            return;
        }
        if (partialLength + length > maxLineBytes) {
            skippingLine = true;
            partialLength = 0;
            breakPacket("line longer than " + maxLineBytes + " bytes");
            return;
        }
        if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(maxLineBytes, Math.max(partial.length * 2,
                    partialLength + length)));
        }
        System.arraycopy(bytes, from, partial, partialLength, length);
        partialLength += length;
    }

    private void line(byte[] b, int start, int end) {
        if (end > start && b[end - 1] == '\r') {
            end--;
        }
        if (end - start > maxLineBytes) {
            breakPacket("line longer than " + maxLineBytes + " bytes");
            return;
        }
        if (end == start) {
            endPacket();
            return;
        }
        if (bannerPossible && fieldSlots == 0 && startsWith(b, start, end, BANNER_PREFIX)) {
            bannerPossible = false;
            sink.banner(new String(b, start, end - start, StandardCharsets.US_ASCII));
            return;
        }
        bannerPossible = false;
        if (problem != null) {
            return;
        }
        if (fieldSlots / 2 >= maxFields) {
            breakPacket("more than " + maxFields + " lines in one packet");
            return;
        }
        int colon = -1;
        for (int i = start; i < end; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
        }
        String key;
        int valueStart;
        if (colon < 0) {
            // command output without a key (legacy "Response: Follows"): kept under the empty key
            key = "";
            valueStart = start;
        } else {
            key = new String(b, start, colon - start, StandardCharsets.ISO_8859_1);
            valueStart = colon + 1;
            if (valueStart < end && b[valueStart] == ' ') {
                valueStart++;
            }
        }
        String value = new String(b, valueStart, end - valueStart, StandardCharsets.UTF_8);
        if (fieldSlots + 2 > fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        fields[fieldSlots++] = key;
        fields[fieldSlots++] = value;
    }

    private void breakPacket(String why) {
        if (problem == null) {
            problem = why;
        }
    }

    private void endPacket() {
        if (problem != null) {
            String actionId = null;
            for (int i = 0; i < fieldSlots; i += 2) {
                if (fields[i].equalsIgnoreCase("ActionID")) {
                    actionId = fields[i + 1];
                    break;
                }
            }
            String why = problem;
            reset();
            sink.malformed(why, actionId);
            return;
        }
        if (fieldSlots == 0) {
            return;
        }
        AmiMessage message = new AmiMessage(Arrays.copyOf(fields, fieldSlots));
        reset();
        sink.message(message);
    }

    private void reset() {
        Arrays.fill(fields, 0, fieldSlots, null);
        fieldSlots = 0;
        problem = null;
    }

    private static boolean startsWith(byte[] b, int start, int end, byte[] prefix) {
        if (end - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
