package org.hotlinecti.sim.pbx.ami;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits the bytes a client sends into actions: {@code Key: Value} lines ended by CRLF (a bare LF is accepted, as
 * Asterisk does), one empty line ending each action. An explicit state machine fed with whatever the socket delivers
 * (whole actions, arbitrary splits, one byte at a time), with hard limits on line length and header count.
 *
 * <p>Like Asterisk, header names keep their case (lookups are case-insensitive), the value starts after the colon
 * and any blanks, and a line without a colon is ignored (but counted). An empty line with no headers is still an
 * action (which then has no {@code Action:}). After a limit is broken the decoder reports it once and ignores all
 * further input: the session is closed.
 *
 * <p>Not thread-safe: one decoder per connection, fed from its I/O thread.
 */
final class AmiActionDecoder {

    /** Where decoded actions and framing errors go. */
    interface Listener {
        void onAction(AmiMessage action);

        /**
         * A limit was broken.
         *
         * @param message the {@code Message:} to send back (Asterisk's wording)
         * @param actionId the ActionID of the action being read, or {@code ""} if none was seen yet
         */
        void onMalformed(String message, String actionId);
    }

    static final String LINE_TOO_LONG = "Failed to parse message: line too long";
    static final String TOO_MANY_HEADERS = "Too many lines in message or allocation failure";

    private enum State { LINE, AFTER_CR, FAILED }

    private final int maxLineBytes;
    private final int maxHeaders;
    private final Listener listener;

    private State state = State.LINE;
    private byte[] line = new byte[256];
    private int lineLength;
    private int headerLines;
    private AmiMessage.Builder action = AmiMessage.builder();
    private String actionId = "";

    AmiActionDecoder(int maxLineBytes, int maxHeaders, Listener listener) {
        if (maxLineBytes < 16 || maxHeaders < 1) {
            throw new IllegalArgumentException("limits too small: line " + maxLineBytes + ", headers " + maxHeaders);
        }
        this.maxLineBytes = maxLineBytes;
        this.maxHeaders = maxHeaders;
        this.listener = listener;
    }

    void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    void feed(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length && state != State.FAILED; i++) {
            byte b = data[i];
            switch (state) {
                case LINE -> {
                    if (b == '\n') {
                        endOfLine();
                    } else if (b == '\r') {
                        state = State.AFTER_CR;
                    } else {
                        append(b);
                    }
                }
                case AFTER_CR -> {
                    if (b == '\n') {
                        state = State.LINE;
                        endOfLine();
                    } else {
                        // A lone CR is line content, as in Asterisk; the current byte is processed normally.
                        state = State.LINE;
                        append((byte) '\r');
                        i--;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** True once a limit was broken; further input is ignored. */
    boolean failed() {
        return state == State.FAILED;
    }

    private void append(byte b) {
        if (state == State.FAILED) {
            return;
        }
        if (lineLength == maxLineBytes) {
            fail(LINE_TOO_LONG);
            return;
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
        }
        line[lineLength++] = b;
    }

    private void endOfLine() {
        if (state == State.FAILED) {
            return;
        }
        if (lineLength == 0) {
            AmiMessage complete = action.build();
            action = AmiMessage.builder();
            actionId = "";
            headerLines = 0;
            listener.onAction(complete);
            return;
        }
        if (++headerLines > maxHeaders) {
            fail(TOO_MANY_HEADERS);
            return;
        }
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        int colon = text.indexOf(':');
        if (colon < 0) {
            return;
        }
        int valueStart = colon + 1;
        while (valueStart < text.length() && (text.charAt(valueStart) == ' ' || text.charAt(valueStart) == '\t')) {
            valueStart++;
        }
        String key = text.substring(0, colon);
        String value = text.substring(valueStart);
        action.add(key, value);
        if (actionId.isEmpty() && key.equalsIgnoreCase("ActionID")) {
            actionId = value;
        }
    }

    private void fail(String message) {
        state = State.FAILED;
        line = new byte[0];
        lineLength = 0;
        listener.onMalformed(message, actionId);
    }
}
