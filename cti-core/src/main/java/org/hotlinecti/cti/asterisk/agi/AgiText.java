package org.hotlinecti.cti.asterisk.agi;

import java.util.regex.Pattern;
import org.hotlinecti.cti.util.ProtocolLines;

/**
 * Turns values into AGI command arguments so that no value can become a second command or change what a command
 * means. AGI is one command per {@code \n}-terminated line; Asterisk splits a line into arguments at blanks, groups
 * with double quotes and takes the character after a backslash literally. So:
 * <ul>
 * <li>CR, LF and NUL are rejected everywhere (a line break would end the command and start another one);</li>
 * <li>free text (variable values, console messages) is quoted, with {@code "} and {@code \} escaped, so it stays
 * exactly one argument;</li>
 * <li>names (prompts, files, formats, variables, digits) are checked against a strict pattern: they are not only
 * arguments but also paths or dialplan expressions to Asterisk;</li>
 * <li>{@code ${...}} and {@code $[...]} are rejected in values we set: Asterisk stores them literally, but a dialplan
 * that passes the variable on to an application that evaluates its argument again would run them.</li>
 * </ul>
 * A failed check throws {@link IllegalArgumentException} naming the value with its control characters made visible.
 */
final class AgiText {

    /** A sound file: {@code beep}, {@code hotline/welcome-12345}, {@code silence/1}. */
    private static final Pattern PROMPT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_\\-.]*(/[A-Za-z0-9_\\-.]+)*");
    /** A recording path, relative or absolute: {@code voicemail/vm-1795322467.19}, {@code /var/spool/...}. */
    private static final Pattern FILE = Pattern.compile("/?[A-Za-z0-9_][A-Za-z0-9_\\-.]*(/[A-Za-z0-9_\\-.]+)*");
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9]{1,16}");
    /** A variable ({@code IVR_CHOICE}, {@code __INHERITED}) or a function with plain arguments ({@code CDR(userfield)}). */
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\([A-Za-z0-9_,.\\-]*\\))?");
    private static final Pattern DIGITS = Pattern.compile("[0-9*#A-D]*");
    private static final int MAX_VALUE_CHARS = 4096;

    private AgiText() {
    }

    /** {@code value} as one quoted argument; it must be on one line. */
    static String quote(String what, String value) {
        ProtocolLines.requireOneLine(what, value, "AGI command injection");
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    static String prompt(String prompt) {
        return matching("prompt", prompt, PROMPT);
    }

    static String recordingFile(String file) {
        return matching("recording file", file, FILE);
    }

    static String format(String format) {
        return matching("recording format", format, FORMAT);
    }

    static String variableName(String name) {
        return matching("variable name", name, VARIABLE);
    }

    static String escapeDigits(String digits) {
        return matching("escape digits", digits, DIGITS);
    }

    /** A value to set on the channel: one line, no dialplan expression, at most 4096 characters. */
    static String variableValue(String name, String value) {
        String what = "value of " + name;
        ProtocolLines.requireOneLine(what, value, "AGI command injection");
        if (value.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_VALUE_CHARS + " characters");
        }
        if (value.contains("${") || value.contains("$[")) {
            throw new IllegalArgumentException(
                    what + " must not contain a dialplan expression (${...} or $[...]): " + printable(value));
        }
        return value;
    }

    private static String matching(String what, String value, Pattern pattern) {
        ProtocolLines.requireOneLine(what, value, "AGI command injection");
        if (!pattern.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException(what + " is not a plain " + what + " (" + pattern.pattern() + "): "
                    + printable(value));
        }
        return value;
    }

    /** The value in quotes with CR, LF and NUL shown as escapes, for error messages and logs. */
    static String printable(String value) {
        return ProtocolLines.printable(value);
    }
}
