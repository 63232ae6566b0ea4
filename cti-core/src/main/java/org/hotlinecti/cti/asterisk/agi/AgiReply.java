package org.hotlinecti.cti.asterisk.agi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reply of Asterisk to an AGI command, e.g. {@code 200 result=1 (1795322295.2)}, {@code 200 result= (timeout)},
 * {@code 200 result=-1 (hangup) endpos=24240}, {@code 510 Invalid or unknown command}, {@code 511 Command Not
 * Permitted on a dead channel or intercept routine}, or a {@code 520} usage block (its lines joined by {@code \n}).
 *
 * @param code           the status code: 200, 510, 511, 520 ...
 * @param result         the {@code result=} value of a 200 reply (possibly empty); {@code null} for other codes
 * @param extra          the text in parentheses after the result ({@code timeout}, {@code hangup}, a variable's
 *                       value), or {@code null} when there is none
 * @param endPos         the {@code endpos=} value, or {@code -1} when absent
 * @param hangupNotified whether Asterisk's unsolicited {@code HANGUP} line came before this reply
 * @param text           the reply as received (lines joined by {@code \n}), for messages
 */
record AgiReply(int code, String result, String extra, long endPos, boolean hangupNotified, String text) {

    static final int SUCCESS = 200;
    static final int INVALID_COMMAND = 510;
    static final int DEAD_CHANNEL = 511;
    static final int USAGE = 520;

    private static final Pattern STATUS_LINE = Pattern.compile("(\\d{3})([ -].*)?");
    private static final Pattern END_POS = Pattern.compile("(.*?)\\s*endpos=(-?\\d+)\\s*");

    /**
     * Parses a single-line reply.
     *
     * @throws IllegalArgumentException if the line is not an AGI reply
     */
    static AgiReply parse(String line, boolean hangupNotified) {
        Matcher status = STATUS_LINE.matcher(line);
        if (!status.matches()) {
            throw new IllegalArgumentException("not an AGI reply: " + AgiText.printable(line));
        }
        int code = Integer.parseInt(status.group(1));
        if (code != SUCCESS) {
            return new AgiReply(code, null, null, -1, hangupNotified, line);
        }
        String rest = status.group(2) == null ? "" : status.group(2).trim();
        if (!rest.startsWith("result=")) {
            throw new IllegalArgumentException("AGI 200 reply without result=: " + AgiText.printable(line));
        }
        rest = rest.substring("result=".length());
        long endPos = -1;
        Matcher end = END_POS.matcher(rest);
        if (end.matches()) {
            rest = end.group(1);
            endPos = Long.parseLong(end.group(2));
        }
        // "result= (timeout)": an empty result then the extra; a value in parentheses may itself hold blanks
        String result;
        String extra = null;
        int blank = rest.indexOf(' ');
        if (rest.startsWith("(")) {
            result = "";
            extra = parenthesised(rest, line);
        } else if (blank < 0) {
            result = rest;
        } else {
            result = rest.substring(0, blank);
            String tail = rest.substring(blank + 1).trim();
            extra = tail.isEmpty() ? null : parenthesised(tail, line);
        }
        return new AgiReply(code, result, extra, endPos, hangupNotified, line);
    }

    /** A {@code 520} usage block: the lines from {@code 520-...} to {@code 520 End of proper usage.}. */
    static AgiReply usage(String lines, boolean hangupNotified) {
        return new AgiReply(USAGE, null, null, -1, hangupNotified, lines);
    }

    private static String parenthesised(String text, String line) {
        if (!text.startsWith("(") || !text.endsWith(")")) {
            throw new IllegalArgumentException("AGI reply with unexpected text after the result: "
                    + AgiText.printable(line));
        }
        return text.substring(1, text.length() - 1);
    }

    boolean isSuccess() {
        return code == SUCCESS;
    }

    boolean isDeadChannel() {
        return code == DEAD_CHANNEL;
    }

    /** {@code result=-1}: the command failed, for media commands because the channel hung up or was redirected. */
    boolean failed() {
        return isSuccess() && "-1".equals(result);
    }

    /** The result as a number ({@code 0} when empty); for STREAM FILE and RECORD FILE it is a digit's code. */
    int resultCode() {
        if (result == null || result.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(result);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("AGI result is not a number: " + AgiText.printable(text), e);
        }
    }
}
