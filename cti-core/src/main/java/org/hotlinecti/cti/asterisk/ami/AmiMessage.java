package org.hotlinecti.cti.asterisk.ami;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One AMI packet as received: its {@code Key: Value} lines in wire order. Keys compare case-insensitively, as
 * Asterisk treats them; values are kept exactly (an empty value is {@code ""}, the literal {@code <unknown>} stays).
 * Immutable and safe to pass between threads.
 */
public final class AmiMessage {

    /** Keys at even, values at odd indexes. */
    private final String[] fields;

    AmiMessage(String[] fields) {
        this.fields = fields;
    }

    /** A message from alternating keys and values, e.g. {@code of("Event", "Hangup", "Channel", "PJSIP/x")}. */
    public static AmiMessage of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        for (String s : keysAndValues) {
            Objects.requireNonNull(s, "key or value");
        }
        return new AmiMessage(keysAndValues.clone());
    }

    /** The first value of {@code key} (case-insensitive), or null when absent. */
    public String get(String key) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(key)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /** The first value of {@code key}, or {@code ""} when absent. */
    public String getOrEmpty(String key) {
        String v = get(key);
        return v == null ? "" : v;
    }

    /** Every value of {@code key}, in order (AMI repeats keys, e.g. {@code Variable}). */
    public List<String> getAll(String key) {
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(key)) {
                values.add(fields[i + 1]);
            }
        }
        return values;
    }

    /** The value of {@code Event}, or null when this is not an event. */
    public String eventName() {
        return fields.length > 0 && fields[0].equalsIgnoreCase("Event") ? fields[1] : get("Event");
    }

    /** Whether this packet is an event (has an {@code Event} key). */
    public boolean isEvent() {
        return eventName() != null;
    }

    /** Whether this packet is a response to an action (has a {@code Response} key). */
    public boolean isResponse() {
        return fields.length > 0 && fields[0].equalsIgnoreCase("Response") || get("Response") != null;
    }

    /** The {@code ActionID}, or null. */
    public String actionId() {
        return get("ActionID");
    }

    /** Number of fields. */
    public int size() {
        return fields.length / 2;
    }

    /** The fields in wire order. */
    public List<Map.Entry<String, String>> fields() {
        List<Map.Entry<String, String>> list = new ArrayList<>(fields.length / 2);
        for (int i = 0; i < fields.length; i += 2) {
            list.add(new AbstractMap.SimpleImmutableEntry<>(fields[i], fields[i + 1]));
        }
        return list;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmiMessage m && java.util.Arrays.equals(fields, m.fields);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(fields);
    }

    /** The packet as AMI lines joined by {@code |}; the secret-bearing keys of our own actions never come in here. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("AmiMessage[");
        for (int i = 0; i < fields.length; i += 2) {
            if (i > 0) {
                b.append(" | ");
            }
            b.append(fields[i]).append(": ").append(fields[i + 1]);
        }
        return b.append(']').toString();
    }
}
