package org.hotlinecti.ivr.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML value that remembers where it was written, so every validation message can name {@code file:line}. Read by
 * {@link YamlReader}; the loaders of flows, prompts, lines and the calendar walk these trees.
 */
public sealed interface YamlNode {

    /** The file the node was read from. */
    String source();

    /** 1-based line of the node's first character. */
    int line();

    /** A short description for messages: {@code a mapping}, {@code a list}, {@code '12'}. */
    String describe();

    /** A {@code key: value} block or flow mapping; keys keep their order and their own lines. */
    record Mapping(String source, int line, Map<String, YamlNode> entries, Map<String, Integer> keyLines)
            implements YamlNode {

        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLines = Map.copyOf(keyLines);
        }

        public Optional<YamlNode> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }

        public Set<String> keys() {
            return entries.keySet();
        }

        /** The line where {@code key} is written (the mapping's own line if it is absent). */
        public int lineOf(String key) {
            return keyLines.getOrDefault(key, line);
        }

        /** Reports every key not in {@code allowed}: a typo must not silently drop a setting. */
        public void checkKeys(Problems problems, String what, Set<String> allowed) {
            for (String key : entries.keySet()) {
                if (!allowed.contains(key)) {
                    problems.error(source, lineOf(key), what + ": unknown key '" + key + "' (allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(String source, int line, List<YamlNode> items) implements YamlNode {

        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A single value; {@code text} is exactly what was written (numbers and booleans too), {@code null} for an
     * explicit null or empty value.
     */
    record Scalar(String source, int line, String text) implements YamlNode {

        public boolean isNull() {
            return text == null;
        }

        @Override
        public String describe() {
            return text == null ? "null" : "'" + text + "'";
        }
    }
}
