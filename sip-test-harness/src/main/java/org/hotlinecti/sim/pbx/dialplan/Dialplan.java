package org.hotlinecti.sim.pbx.dialplan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code extensions.conf}: global variables and contexts of extensions, each a list of priorities.
 * Literal extensions win over patterns, as in Asterisk; among patterns the first defined wins (Asterisk orders by
 * specificity; the shipped dialplans never have two patterns matching one number).
 */
public final class Dialplan {

    private final Map<String, String> globals;
    private final Map<String, Map<String, Extension>> contexts;

    Dialplan(Map<String, String> globals, Map<String, Map<String, Extension>> contexts) {
        this.globals = Map.copyOf(globals);
        this.contexts = contexts;
    }

    /** An extension (literal or pattern) with its priorities in order. */
    public record Extension(ExtensionPattern pattern, List<Priority> priorities) {

        public Optional<Priority> priority(int number) {
            return priorities.stream().filter(p -> p.number() == number).findFirst();
        }

        public Optional<Priority> label(String label) {
            return priorities.stream().filter(p -> label.equals(p.label())).findFirst();
        }
    }

    public Map<String, String> globals() {
        return globals;
    }

    public boolean hasContext(String context) {
        return contexts.containsKey(context);
    }

    /** The extension of {@code context} that {@code exten} dials, if any. */
    public Optional<Extension> find(String context, String exten) {
        Map<String, Extension> extensions = contexts.get(context);
        if (extensions == null) {
            return Optional.empty();
        }
        Extension literal = extensions.get(exten);
        if (literal != null && !literal.pattern().isPattern()) {
            return Optional.of(literal);
        }
        for (Extension e : extensions.values()) {
            if (e.pattern().isPattern() && e.pattern().matches(exten)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Builder used by the parser; keeps definition order. */
    static final class Builder {
        final Map<String, String> globals = new LinkedHashMap<>();
        final Map<String, Map<String, Extension>> contexts = new LinkedHashMap<>();

        Map<String, Extension> context(String name) {
            return contexts.computeIfAbsent(name, n -> new LinkedHashMap<>());
        }

        static Extension newExtension(String name) {
            return new Extension(new ExtensionPattern(name), new ArrayList<>());
        }

        Dialplan build() {
            return new Dialplan(globals, contexts);
        }
    }
}
