package org.hotlinecti.sim.sip;

import java.util.Locale;

/**
 * A DTMF digit carried in a SIP INFO body, as PJSIP accepts it: {@code application/dtmf-relay}
 * ({@code Signal=1\r\nDuration=250\r\n}) or {@code application/dtmf} (the digit alone).
 *
 * @param digit      one of {@code 0-9 * # A-D}
 * @param durationMs how long the key was pressed; {@value #DEFAULT_DURATION_MS} when the body does not say
 */
record DtmfInfo(char digit, int durationMs) {

    static final String DTMF_RELAY = "application/dtmf-relay";
    static final String DTMF = "application/dtmf";
    /** Asterisk's default DTMF duration, used when a body carries none. */
    static final int DEFAULT_DURATION_MS = 100;
    private static final String DIGITS = "0123456789*#ABCD";

    DtmfInfo {
        if (DIGITS.indexOf(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF digit: '" + digit + "'");
        }
        if (durationMs <= 0) {
            throw new IllegalArgumentException("DTMF duration must be positive: " + durationMs);
        }
    }

    static boolean isDtmfDigit(char c) {
        return DIGITS.indexOf(c) >= 0;
    }

    /** The {@code application/dtmf-relay} body for this digit. */
    String relayBody() {
        return "Signal=" + digit + "\r\nDuration=" + durationMs + "\r\n";
    }

    /**
     * Parses an INFO body.
     *
     * @param contentType {@code type/subtype} in lower case
     * @throws IllegalArgumentException when the body is not a valid DTMF body of that type
     */
    static DtmfInfo parse(String contentType, String body) {
        if (DTMF.equals(contentType)) {
            return new DtmfInfo(signal(body.trim()), DEFAULT_DURATION_MS);
        }
        if (!DTMF_RELAY.equals(contentType)) {
            throw new IllegalArgumentException("not a DTMF content type: " + contentType);
        }
        Character digit = null;
        int duration = DEFAULT_DURATION_MS;
        for (String line : body.split("\r\n|\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).trim();
            if (key.equals("signal")) {
                digit = signal(value);
            } else if (key.equals("duration")) {
                try {
                    duration = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad Duration in dtmf-relay body: '" + value + "'", e);
                }
            }
        }
        if (digit == null) {
            throw new IllegalArgumentException("dtmf-relay body without Signal");
        }
        return new DtmfInfo(digit, duration);
    }

    /** A signal value: the digit itself, or the RFC 4733 event number 0-15 (10 = *, 11 = #, 12-15 = A-D). */
    private static char signal(String value) {
        if (value.length() == 1 && isDtmfDigit(Character.toUpperCase(value.charAt(0)))) {
            return Character.toUpperCase(value.charAt(0));
        }
        try {
            int event = Integer.parseInt(value);
            if (event >= 0 && event <= 15) {
                return DIGITS.charAt(event);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a DTMF signal: '" + value + "'");
    }
}
