package org.hotlinecti.ivr;

/**
 * Digits a caller typed.
 *
 * @param digits   the digits typed, possibly empty
 * @param timedOut whether input ended because the caller stopped typing rather than by {@code #} or max digits
 */
public record DigitInput(String digits, boolean timedOut) {

    public DigitInput {
        if (digits == null) {
            throw new IllegalArgumentException("digits must not be null");
        }
    }

    public boolean isEmpty() {
        return digits.isEmpty();
    }
}
