package org.hotlinecti.sim.pbx.agi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinecti.cti.util.PhoneNumbers;

/** AGI command lines may carry callers' numbers: this is how they go into logs. */
final class LogMasking {

    private static final Pattern LONG_DIGIT_RUN = Pattern.compile("\\d{8,}");

    private LogMasking() {
    }

    /** The text with every run of 8 or more digits masked as a phone number. */
    static String masked(String text) {
        if (text == null) {
            return "-";
        }
        Matcher m = LONG_DIGIT_RUN.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(PhoneNumbers.mask(m.group())));
        }
        return m.appendTail(sb).toString();
    }
}
