package org.hotlinecti.cti.util;

/**
 * The one check every value passes before it goes into a line-based Asterisk protocol (an AMI header, an AGI command
 * line): a CR, LF or NUL in it would end the line and let the rest inject further headers or commands.
 */
public final class ProtocolLines {

    private ProtocolLines() {
    }

    /**
     * Returns {@code value} when it holds no CR, LF or NUL.
     *
     * @param what   names the value in the error ("caller id", "context" ...)
     * @param attack what the value could have done, for the error ("AMI header injection" ...)
     * @throws IllegalArgumentException when the value is null or holds CR, LF or NUL; the message shows the value with
     *                                  those characters escaped
     */
    public static String requireOneLine(String what, String value, String attack) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException(
                        what + " must not contain CR, LF or NUL (" + attack + "): " + printable(value));
            }
        }
        return value;
    }

    /** The value in quotes with CR, LF and NUL shown as escapes, for error messages and logs. */
    public static String printable(String value) {
        return '"' + value.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0") + '"';
    }
}
