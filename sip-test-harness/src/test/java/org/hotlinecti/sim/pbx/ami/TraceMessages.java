package org.hotlinecti.sim.pbx.ami;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parsing helpers for the raw AMI text of the traces (also used by the FastAGI tests). */
public final class TraceMessages {

    /** Fields whose values differ between any two connections (pointers, ports, wall clock of the capture). */
    private static final Set<String> VOLATILE = Set.of("SessionID", "LocalAddress", "RemoteAddress", "EventTV",
            "SessionTV");

    private TraceMessages() {
    }

    /** Splits the bytes after the banner into messages (each without its terminating empty line). */
    public static List<String> split(String stream) {
        List<String> out = new ArrayList<>();
        for (String block : stream.split("\r\n\r\n")) {
            if (!block.isEmpty()) {
                out.add(block + "\r\n");
            }
        }
        return out;
    }

    /** Parses {@code Key: Value\r\n} lines (splitting at the first ": "), keeping order and empty values. */
    public static AmiMessage parse(String raw) {
        AmiMessage.Builder b = AmiMessage.builder();
        for (String line : raw.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException("not a Key: Value line: " + line);
            }
            b.add(line.substring(0, colon), line.substring(colon + 2));
        }
        return b.build();
    }

    /** {@code 1795322487.034476} as an instant. */
    public static Instant instant(String amiTimestamp) {
        BigDecimal d = new BigDecimal(amiTimestamp);
        long seconds = d.longValue();
        long nanos = d.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValueExact();
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The message with the values of connection-specific fields replaced by {@code *}. */
    public static String normalize(String raw) {
        StringBuilder sb = new StringBuilder();
        for (String line : raw.split("\r\n", -1)) {
            int colon = line.indexOf(": ");
            if (colon > 0 && VOLATILE.contains(line.substring(0, colon))) {
                sb.append(line, 0, colon).append(": *");
            } else {
                sb.append(line);
            }
            sb.append("\r\n");
        }
        return sb.toString();
    }
}
