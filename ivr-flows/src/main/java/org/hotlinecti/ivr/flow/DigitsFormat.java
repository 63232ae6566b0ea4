package org.hotlinecti.ivr.flow;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/**
 * What a {@code read_digits} node accepts, and the form it stores. Callers type on a phone keypad, so letters and
 * separators are typed as digits or {@code *}.
 */
public enum DigitsFormat {

    /** Any digits. */
    ANY(1, 20) {
        @Override
        public Optional<String> normalise(String typed) {
            return typed.matches("[0-9*]+") ? Optional.of(typed) : Optional.empty();
        }
    },

    /**
     * A resident ID number (居民身份证号码, GB 11643): 17 digits and an ISO 7064 MOD 11-2 check character; the check
     * character X is typed as {@code *}. Stored with X.
     */
    ID_NUMBER(18, 18) {
        private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        private static final String CHECK = "10X98765432";

        @Override
        public Optional<String> normalise(String typed) {
            String id = typed.replace('*', 'X');
            if (!id.matches("[0-9]{17}[0-9X]")) {
                return Optional.empty();
            }
            int sum = 0;
            for (int i = 0; i < 17; i++) {
                sum += (id.charAt(i) - '0') * WEIGHTS[i];
            }
            if (CHECK.charAt(sum % 11) != id.charAt(17) || !date(id.substring(6, 14))) {
                return Optional.empty();
            }
            return Optional.of(id);
        }
    },

    /** A ticket number {@code yyyyMMdd-NNNNNNN}, typed as its 15 digits. Stored with the dash. */
    TICKET_NUMBER(15, 15) {
        @Override
        public Optional<String> normalise(String typed) {
            String digits = typed.replace("-", "");
            if (!digits.matches("[0-9]{15}") || !date(digits.substring(0, 8))) {
                return Optional.empty();
            }
            return Optional.of(digits.substring(0, 8) + "-" + digits.substring(8));
        }
    },

    /** A mainland mobile number (1[3-9] + 9 digits) or a landline with area code (0 + 9 to 11 digits). */
    PHONE(10, 12) {
        @Override
        public Optional<String> normalise(String typed) {
            return typed.matches("1[3-9][0-9]{9}|0[1-9][0-9]{8,10}") ? Optional.of(typed) : Optional.empty();
        }
    };

    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);

    private final int minLength;
    private final int maxLength;

    DigitsFormat(int minLength, int maxLength) {
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /** The stored form of what the caller typed, or empty when it is not valid. */
    public abstract Optional<String> normalise(String typed);

    /** The most digits a caller types for this format (the read length). */
    public int maxLength() {
        return maxLength;
    }

    public int minLength() {
        return minLength;
    }

    /** The YAML name: {@code any}, {@code id_number}, {@code ticket_number}, {@code phone}. */
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean date(String yyyymmdd) {
        try {
            LocalDate.parse(yyyymmdd, YYYYMMDD);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
