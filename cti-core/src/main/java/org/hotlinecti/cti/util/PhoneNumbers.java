package org.hotlinecti.cti.util;

/** Phone numbers are personal data: this is the one way they appear in logs. */
public final class PhoneNumbers {

    private PhoneNumbers() {
    }

    /**
     * Masks a number for logs: mobiles and longer numbers keep their first 3 and last 4 digits
     * ({@code 13800001111} → {@code 138****1111}); 8 to 10 digit numbers (local landlines) keep only the last 4
     * ({@code ****4321}). Numbers of 7 characters or fewer (service numbers such as 12345, extensions) are not
     * personal and stay as they are; {@code null} becomes {@code "-"}.
     */
    public static String mask(String number) {
        if (number == null) {
            return "-";
        }
        int n = number.length();
        if (n <= 7) {
            return number;
        }
        if (n <= 10) {
            return "****" + number.substring(n - 4);
        }
        return number.substring(0, 3) + "****" + number.substring(n - 4);
    }
}
