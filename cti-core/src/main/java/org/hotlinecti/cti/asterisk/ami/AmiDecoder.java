package org.hotlinecti.cti.asterisk.ami;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits the AMI byte stream into packets: an explicit state machine over {@code Key: Value} lines ended by CRLF (a
 * bare LF is accepted too), a packet ended by an empty line. The first line of a connection may be the banner
 * ({@code Asterisk Call Manager/11.0.0}, not followed by an empty line).
 *
 * <p>Bytes are copied once, into the current packet's buffer, and only offsets are recorded; the finished packet takes
 * a copy of exactly its bytes and decodes values lazily ({@link AmiMessage}). Limits keep a broken or hostile peer
 * from growing memory: a line longer than {@code maxLineBytes} or a packet with more than {@code maxFields} lines
 * makes that packet malformed; it is reported (errors are data, never exceptions) and decoding resumes after the next
 * empty line. Not thread-safe: one decoder per connection, fed from its event loop.
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
    private static final byte[] ACTION_ID = "ActionID".getBytes(StandardCharsets.US_ASCII);

    private final Sink sink;
    private final int maxLineBytes;
    private final int maxFields;

    /** The current packet's bytes, the current (unfinished) line at its end from {@link #lineStart}. */
    private byte[] packet = new byte[4096];
    private int length;
    private int lineStart;
    private int[] spans = new int[4 * 32];
    private int fields;
    /** Set when the current packet broke a limit: its lines are skipped up to the empty line. */
    private String problem;
    private String problemActionId;
    /** The current line is too long: its bytes are dropped up to its end. */
    private boolean skippingLine;
    private boolean bannerPossible = true;

    AmiDecoder(Sink sink) {
        this(sink, DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_FIELDS);
    }

    AmiDecoder(Sink sink, int maxLineBytes, int maxFields) {
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
        this.maxFields = maxFields;
    }

    void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** Feeds the next bytes of the stream. */
    void feed(byte[] bytes, int offset, int count) {
        int end = offset + count;
        int pos = offset;
        while (pos < end) {
            int newline = pos;
            while (newline < end && bytes[newline] != '\n') {
                newline++;
            }
            append(bytes, pos, newline - pos);
            if (newline == end) {
                return;
            }
            endOfLine();
            pos = newline + 1;
        }
    }

    private void append(byte[] bytes, int from, int count) {
        if (skippingLine || count == 0) {
            return;
        }
        if (length - lineStart + count > maxLineBytes + 1) {
            // +1: the CR of the line end may still come
            skippingLine = true;
            length = lineStart;
            breakPacket("line longer than " + maxLineBytes + " bytes");
            return;
        }
        if (length + count > packet.length) {
            packet = Arrays.copyOf(packet, Math.max(packet.length * 2, length + count));
        }
        System.arraycopy(bytes, from, packet, length, count);
        length += count;
    }

    private void endOfLine() {
        if (skippingLine) {
            skippingLine = false;
            length = lineStart;
            return;
        }
        int end = length;
        if (end > lineStart && packet[end - 1] == '\r') {
            end--;
        }
        if (end - lineStart > maxLineBytes) {
            length = lineStart;
            breakPacket("line longer than " + maxLineBytes + " bytes");
            return;
        }
        if (end == lineStart) {
            endOfPacket();
            return;
        }
        if (bannerPossible && fields == 0 && startsWith(lineStart, end, BANNER_PREFIX)) {
            bannerPossible = false;
            String banner = new String(packet, lineStart, end - lineStart, StandardCharsets.US_ASCII);
            length = lineStart;
            sink.banner(banner);
            return;
        }
        bannerPossible = false;
        if (problem != null) {
            length = lineStart;
            return;
        }
        if (fields >= maxFields) {
            length = lineStart;
            breakPacket("more than " + maxFields + " lines in one packet");
            return;
        }
        int colon = -1;
        for (int i = lineStart; i < end; i++) {
            if (packet[i] == ':') {
                colon = i;
                break;
            }
        }
        int keyEnd;
        int valueStart;
        if (colon < 0) {
            // command output without a key (legacy "Response: Follows"): kept under the empty key
            keyEnd = lineStart;
            valueStart = lineStart;
        } else {
            keyEnd = colon;
            valueStart = colon + 1;
            if (valueStart < end && packet[valueStart] == ' ') {
                valueStart++;
            }
        }
        if ((fields + 1) * 4 > spans.length) {
            spans = Arrays.copyOf(spans, spans.length * 2);
        }
        int s = fields * 4;
        spans[s] = lineStart;
        spans[s + 1] = keyEnd;
        spans[s + 2] = valueStart;
        spans[s + 3] = end;
        fields++;
        length = end;
        lineStart = end;
    }

    private void breakPacket(String why) {
        if (problem == null) {
            problem = why;
            problemActionId = actionIdSoFar();
        }
    }

    private String actionIdSoFar() {
        for (int f = 0; f < fields; f++) {
            int ks = spans[f * 4];
            if (spans[f * 4 + 1] - ks == ACTION_ID.length && startsWithIgnoreCase(ks, ACTION_ID)) {
                return new String(packet, spans[f * 4 + 2], spans[f * 4 + 3] - spans[f * 4 + 2],
                        StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void endOfPacket() {
        if (problem != null) {
            String why = problem;
            String actionId = problemActionId != null ? problemActionId : actionIdSoFar();
            reset();
            sink.malformed(why, actionId);
            return;
        }
        if (fields == 0) {
            reset();
            return;
        }
        AmiMessage message = AmiMessage.copyOf(packet, length, spans, fields);
        reset();
        sink.message(message);
    }

    private void reset() {
        length = 0;
        lineStart = 0;
        fields = 0;
        problem = null;
        problemActionId = null;
    }

    private boolean startsWith(int start, int end, byte[] prefix) {
        if (end - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (packet[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWithIgnoreCase(int start, byte[] ascii) {
        for (int i = 0; i < ascii.length; i++) {
            if ((packet[start + i] | 0x20) != (ascii[i] | 0x20)) {
                return false;
            }
        }
        return true;
    }
}
