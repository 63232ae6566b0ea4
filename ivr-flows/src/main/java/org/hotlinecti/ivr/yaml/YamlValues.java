package org.hotlinecti.ivr.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from a {@link YamlNode.Mapping} that report a missing or malformed value as a {@link Problem} at its
 * line and return empty, so a loader can go on and report every problem in one pass.
 */
public final class YamlValues {

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private YamlValues() {
    }

    public static Optional<YamlNode.Mapping> mapping(YamlNode node, Problems problems, String what) {
        if (node instanceof YamlNode.Mapping m) {
            return Optional.of(m);
        }
        problems.error(node, what + " must be a mapping (key: value), was " + node.describe());
        return Optional.empty();
    }

    /** A text value; a missing required key is an error, a missing optional one is empty. */
    public static Optional<String> string(YamlNode.Mapping m, String key, Problems problems, String what,
            boolean required) {
        Optional<YamlNode> node = m.get(key);
        if (node.isEmpty() || node.get() instanceof YamlNode.Scalar s && s.isNull()) {
            if (required) {
                problems.error(m.source(), m.line(), what + ": '" + key + "' is required");
            }
            return Optional.empty();
        }
        if (node.get() instanceof YamlNode.Scalar s) {
            return Optional.of(s.text());
        }
        problems.error(node.get(), what + ": '" + key + "' must be a single value, was " + node.get().describe());
        return Optional.empty();
    }

    public static Optional<Integer> integer(YamlNode.Mapping m, String key, Problems problems, String what, int min,
            int max) {
        return string(m, key, problems, what, false).flatMap(text -> {
            try {
                int value = Integer.parseInt(text.trim());
                if (value >= min && value <= max) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.error(m.source(), m.lineOf(key), what + ": '" + key + "' must be a whole number " + min + ".."
                    + max + ", was '" + text + "'");
            return Optional.empty();
        });
    }

    public static Optional<Boolean> bool(YamlNode.Mapping m, String key, Problems problems, String what) {
        return string(m, key, problems, what, false).flatMap(text -> {
            if (text.equals("true") || text.equals("false")) {
                return Optional.of(Boolean.parseBoolean(text));
            }
            problems.error(m.source(), m.lineOf(key), what + ": '" + key + "' must be true or false, was '" + text
                    + "'");
            return Optional.empty();
        });
    }

    /** A duration written {@code 500ms}, {@code 5s}, {@code 2m} or {@code 1h}. */
    public static Optional<Duration> duration(YamlNode.Mapping m, String key, Problems problems, String what) {
        return string(m, key, problems, what, false).flatMap(text -> {
            Optional<Duration> parsed = parseDuration(text);
            if (parsed.isEmpty()) {
                problems.error(m.source(), m.lineOf(key), what + ": '" + key
                        + "' must be a duration like 500ms, 5s, 2m or 1h, was '" + text + "'");
            }
            return parsed;
        });
    }

    public static Optional<Duration> parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        });
    }

    /** One value or a list of values, as texts with their nodes (so each can be reported at its own line). */
    public static List<YamlNode.Scalar> scalars(YamlNode.Mapping m, String key, Problems problems, String what) {
        List<YamlNode.Scalar> out = new ArrayList<>();
        Optional<YamlNode> node = m.get(key);
        if (node.isEmpty()) {
            return out;
        }
        List<YamlNode> items = node.get() instanceof YamlNode.Sequence seq ? seq.items() : List.of(node.get());
        for (YamlNode item : items) {
            if (item instanceof YamlNode.Scalar s && !s.isNull()) {
                out.add(s);
            } else {
                problems.error(item, what + ": '" + key + "' entries must be single values, was "
                        + item.describe());
            }
        }
        return out;
    }
}
