package org.hotlinecti.sim.pbx.ami;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One AMI message (action, response or event) as Asterisk writes it: an ordered list of {@code Key: Value} fields.
 * Keys may repeat (e.g. {@code Variable} in an Originate action) and order matters, because clients and our trace
 * comparisons read fields in the order Asterisk sends them. Empty values are kept (Asterisk sends {@code Key: }).
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class AmiMessage {

    private final List<Map.Entry<String, String>> fields;

    private AmiMessage(List<Map.Entry<String, String>> fields) {
        this.fields = Collections.unmodifiableList(fields);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The fields in wire order. */
    public List<Map.Entry<String, String>> fields() {
        return fields;
    }

    /** First value of {@code key}, compared case-insensitively as Asterisk does for action headers. */
    public Optional<String> get(String key) {
        for (Map.Entry<String, String> f : fields) {
            if (f.getKey().equalsIgnoreCase(key)) {
                return Optional.of(f.getValue());
            }
        }
        return Optional.empty();
    }

    /** All values of {@code key} in order (case-insensitive). */
    public List<String> getAll(String key) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> f : fields) {
            if (f.getKey().equalsIgnoreCase(key)) {
                values.add(f.getValue());
            }
        }
        return values;
    }

    /** Value of {@code key} or {@code ""}. */
    public String getOrEmpty(String key) {
        return get(key).orElse("");
    }

    /** A copy with {@code key: value} inserted right after the first field named {@code after}, or appended. */
    public AmiMessage withFieldAfter(String after, String key, String value) {
        List<Map.Entry<String, String>> copy = new ArrayList<>(fields.size() + 1);
        boolean inserted = false;
        for (Map.Entry<String, String> f : fields) {
            copy.add(f);
            if (!inserted && f.getKey().equalsIgnoreCase(after)) {
                copy.add(Map.entry(key, value));
                inserted = true;
            }
        }
        if (!inserted) {
            copy.add(Map.entry(key, value));
        }
        return new AmiMessage(copy);
    }

    /** The message as wire bytes' text: {@code Key: Value\r\n} per field, then an empty {@code \r\n}. */
    public String toWire() {
        StringBuilder sb = new StringBuilder(fields.size() * 32);
        for (Map.Entry<String, String> f : fields) {
            sb.append(f.getKey()).append(": ").append(f.getValue()).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    @Override
    public String toString() {
        return fields.toString();
    }

    /** Builds a message field by field, in wire order. */
    public static final class Builder {
        private final List<Map.Entry<String, String>> fields = new ArrayList<>();

        private Builder() {
        }

        /** Appends {@code key: value}; a {@code null} value is written as empty, never as "null". */
        public Builder add(String key, String value) {
            fields.add(Map.entry(key, value == null ? "" : value));
            return this;
        }

        /** Appends every field of {@code other}, optionally with a key prefix (e.g. {@code Dest} for dial events). */
        public Builder addAll(AmiMessage other, String prefix) {
            for (Map.Entry<String, String> f : other.fields) {
                fields.add(Map.entry(prefix + f.getKey(), f.getValue()));
            }
            return this;
        }

        public AmiMessage build() {
            return new AmiMessage(new ArrayList<>(fields));
        }
    }
}
