package org.hotlinecti.cti.asterisk;

import java.util.regex.Pattern;
import org.hotlinecti.cti.util.ProtocolLines;

/**
 * Checks every value before it goes into an AMI header or an AGI command line. Both protocols are line based and
 * Asterisk-Java does not escape line breaks (AMI) or only drops {@code \n} (AGI), so a CR or LF in a value would let
 * the value inject further headers or commands.
 */
final class AsteriskInputs {

    /** A plain variable ({@code IVR_CHOICE}, {@code __INHERITED}) or a dialplan function ({@code CDR(userfield)}). */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\([A-Za-z0-9_,.\\- ]*\\))?");
    private static final Pattern ESCAPE_DIGITS = Pattern.compile("[0-9*#]*");

    private AsteriskInputs() {
    }

    /** Any value, possibly empty, on one line. */
    static String requireValue(String what, String value) {
        return ProtocolLines.requireOneLine(what, value, "protocol injection");
    }

    /** A non-blank value on one line: host, user, context, extension, prompt name. */
    static String requireToken(String what, String value) {
        requireValue(what, value);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    /**
     * A channel name. Besides the line rule, it must not start with {@code /}: AMI Hangup takes {@code /regex/} as a
     * pattern over all channels.
     */
    static String requireChannel(String channel) {
        requireToken("channel", channel);
        if (channel.startsWith("/")) {
            throw new IllegalArgumentException("channel must be a channel name, not a pattern: " + channel);
        }
        return channel;
    }

    static String requireVariableName(String name) {
        requireToken("variable name", name);
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "variable name must be letters, digits and _ (optionally a function call), got " + ProtocolLines.printable(name));
        }
        return name;
    }

    static String requireEscapeDigits(String digits) {
        requireValue("escape digits", digits);
        if (!ESCAPE_DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException("escape digits must be 0-9, * or #, got " + ProtocolLines.printable(digits));
        }
        return digits;
    }
}
