package org.hotlinecti.ivr.flow;

/**
 * A prompt a node plays: a catalogue id, or one that depends on the caller's line (so one flow serves all lines
 * of a mode). Written in YAML as the id, or as {@code $line.welcome}, {@code $line.merged_notice},
 * {@code $line.hours}.
 */
public sealed interface PromptRef {

    /** How the prompt is written in a flow file. */
    String written();

    /** A prompt of the catalogue. */
    record Catalogue(String id) implements PromptRef {
        @Override
        public String written() {
            return id;
        }
    }

    /** The line's welcome (its own greeting, or the 12345 one for merged lines). */
    record LineWelcome() implements PromptRef {
        @Override
        public String written() {
            return "$line.welcome";
        }
    }

    /** The line's "this number has merged into 12345" notice; skipped when the line has none. */
    record LineMergedNotice() implements PromptRef {
        @Override
        public String written() {
            return "$line.merged_notice";
        }
    }

    /** The prompt naming the line's opening hours; skipped when its hours have none. */
    record LineHours() implements PromptRef {
        @Override
        public String written() {
            return "$line.hours";
        }
    }

    /** Parses what a flow file says; {@code null} for an unknown {@code $} reference. */
    static PromptRef parse(String text) {
        return switch (text) {
            case "$line.welcome" -> new LineWelcome();
            case "$line.merged_notice" -> new LineMergedNotice();
            case "$line.hours" -> new LineHours();
            default -> text.startsWith("$") ? null : new Catalogue(text);
        };
    }
}
