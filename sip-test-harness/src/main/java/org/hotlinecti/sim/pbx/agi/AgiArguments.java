package org.hotlinecti.sim.pbx.agi;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an AGI command line into arguments the way Asterisk does: blanks (space, tab) separate arguments, double
 * quotes group (and a quote right after a blank starts an argument, so {@code ""} is an empty argument), a
 * backslash makes the next character literal, and a quote in the middle of a word just toggles quoting.
 */
final class AgiArguments {

    /** Asterisk's MAX_ARGS is 128, one slot being the terminator. */
    static final int MAX_ARGS = 127;

    private AgiArguments() {
    }

    static List<String> parse(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = null;
        boolean quoted = false;
        boolean escaped = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && !escaped) {
                quoted = !quoted;
                if (quoted && current == null && args.size() < MAX_ARGS) {
                    current = new StringBuilder();
                    args.add(null);
                }
                continue;
            }
            if ((c == ' ' || c == '\t') && !quoted && !escaped) {
                if (current != null) {
                    args.set(args.size() - 1, current.toString());
                    current = null;
                }
                continue;
            }
            if (c == '\\' && !escaped) {
                escaped = true;
                continue;
            }
            escaped = false;
            if (current == null) {
                if (args.size() >= MAX_ARGS) {
                    continue;
                }
                current = new StringBuilder();
                args.add(null);
            }
            current.append(c);
        }
        if (current != null) {
            args.set(args.size() - 1, current.toString());
        }
        return args;
    }
}
