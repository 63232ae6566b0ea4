package org.hotlinecti.ivr.calendar;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Part of a day, {@code from} inclusive to {@code to} exclusive; {@code to} {@code null} means midnight (written
 * {@code 24:00}).
 */
public record TimeRange(LocalTime from, LocalTime to) {

    public boolean contains(LocalTime time) {
        return !time.isBefore(from) && (to == null || time.isBefore(to));
    }

    /** Parses {@code 08:30-17:30} (also with an en dash or {@code ～}); empty when malformed or empty. */
    public static Optional<TimeRange> parse(String text) {
        String[] parts = text.trim().split("\\s*[-–～~]\\s*");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            LocalTime from = LocalTime.parse(pad(parts[0]));
            LocalTime to = parts[1].equals("24:00") ? null : LocalTime.parse(pad(parts[1]));
            if (to != null && !to.isAfter(from)) {
                return Optional.empty();
            }
            return Optional.of(new TimeRange(from, to));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String pad(String time) {
        return time.length() == 4 ? "0" + time : time;
    }

    @Override
    public String toString() {
        return from + "-" + (to == null ? "24:00" : to.toString());
    }
}
