package org.hotlinecti.cti.asterisk.ami;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One AMI packet as received: its {@code Key: Value} lines in wire order. Keys compare case-insensitively, as
 * Asterisk treats them; values are kept exactly (an empty value is {@code ""}, the literal {@code <unknown>} stays).
 * Immutable and safe to pass between threads.
 *
 * <p>The packet keeps its raw bytes and the offsets of each key and value; a value becomes a {@code String} only when
 * asked for. Most events are read for two or three fields, many (VarSet, Newexten, RTCP ...) only for their name, so
 * decoding lazily saves most of the allocation of a busy stream.
 */
public final class AmiMessage {

    private final byte[] data;
    /** Per field: key start, key end, value start, value end (offsets into {@link #data}). */
    private final int[] spans;
    private final int fieldCount;
    private String eventName;
    private boolean eventNameKnown;

    AmiMessage(byte[] data, int[] spans, int fieldCount) {
        this.data = data;
        this.spans = spans;
        this.fieldCount = fieldCount;
    }

    /** A message from alternating keys and values, e.g. {@code of("Event", "Hangup", "Channel", "PJSIP/x")}. */
    public static AmiMessage of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int[] spans = new int[keysAndValues.length * 2];
        for (int i = 0; i < keysAndValues.length; i++) {
            byte[] b = Objects.requireNonNull(keysAndValues[i], "key or value").getBytes(StandardCharsets.UTF_8);
            spans[i * 2] = out.size();
            out.writeBytes(b);
            spans[i * 2 + 1] = out.size();
        }
        return new AmiMessage(out.toByteArray(), spans, keysAndValues.length / 2);
    }

    /** The first value of {@code key} (case-insensitive), or null when absent. */
    public String get(String key) {
        int i = indexOf(key, 0);
        return i < 0 ? null : value(i);
    }

    /** The first value of {@code key}, or {@code ""} when absent. */
    public String getOrEmpty(String key) {
        String v = get(key);
        return v == null ? "" : v;
    }

    /** Every value of {@code key}, in order (AMI repeats keys, e.g. {@code Variable}). */
    public List<String> getAll(String key) {
        List<String> values = new ArrayList<>(1);
        for (int i = indexOf(key, 0); i >= 0; i = indexOf(key, i + 1)) {
            values.add(value(i));
        }
        return values;
    }

    /** The value of {@code Event}, or null when this is not an event. */
    public String eventName() {
        if (!eventNameKnown) {
            eventName = fieldCount > 0 && keyIs(0, "Event") ? value(0) : get("Event");
            eventNameKnown = true;
        }
        return eventName;
    }

    /** Whether this packet is an event (has an {@code Event} key). */
    public boolean isEvent() {
        return eventName() != null;
    }

    /** Whether this packet is a response to an action (has a {@code Response} key). */
    public boolean isResponse() {
        return fieldCount > 0 && keyIs(0, "Response") || indexOf("Response", 0) >= 0;
    }

    /** The {@code ActionID}, or null. */
    public String actionId() {
        return get("ActionID");
    }

    /** Number of fields. */
    public int size() {
        return fieldCount;
    }

    /** The fields in wire order. */
    public List<Map.Entry<String, String>> fields() {
        List<Map.Entry<String, String>> list = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            list.add(new AbstractMap.SimpleImmutableEntry<>(key(i), value(i)));
        }
        return list;
    }

    private int indexOf(String key, int from) {
        for (int i = from; i < fieldCount; i++) {
            if (keyIs(i, key)) {
                return i;
            }
        }
        return -1;
    }

    /** Compares an ASCII key without decoding it. */
    private boolean keyIs(int field, String key) {
        int start = spans[field * 4];
        int length = spans[field * 4 + 1] - start;
        if (length != key.length()) {
            return false;
        }
        for (int j = 0; j < length; j++) {
            int a = data[start + j];
            int b = key.charAt(j);
            if (a != b && ((a | 0x20) != (b | 0x20) || !Character.isLetter(b))) {
                return false;
            }
        }
        return true;
    }

    private String key(int field) {
        int start = spans[field * 4];
        return new String(data, start, spans[field * 4 + 1] - start, StandardCharsets.ISO_8859_1);
    }

    private String value(int field) {
        int start = spans[field * 4 + 2];
        return new String(data, start, spans[field * 4 + 3] - start, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmiMessage m && fields().equals(m.fields());
    }

    @Override
    public int hashCode() {
        return fields().hashCode();
    }

    /** The packet as AMI lines joined by {@code |}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("AmiMessage[");
        for (int i = 0; i < fieldCount; i++) {
            if (i > 0) {
                b.append(" | ");
            }
            b.append(key(i)).append(": ").append(value(i));
        }
        return b.append(']').toString();
    }

    /** For tests: the raw bytes behind the fields. */
    int rawLength() {
        return data.length;
    }

    static AmiMessage copyOf(byte[] buffer, int length, int[] spans, int fieldCount) {
        return new AmiMessage(Arrays.copyOf(buffer, length), Arrays.copyOf(spans, fieldCount * 4), fieldCount);
    }
}
