package org.hotlinecti.ivr.calendar;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Working-day arithmetic over a {@link HolidayCalendar}, for ticket deadlines (e.g. "reply within 5 working days").
 * A Saturday make-up day counts as a working day; holidays are skipped.
 */
public final class WorkingDays {

    private final HolidayCalendar calendar;

    public WorkingDays(HolidayCalendar calendar) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
    }

    /**
     * The date-time {@code days} working days after {@code start}, at the same time of day: the start's own date
     * never counts, each step moves to the next working day. A start on a rest day therefore gets its first step on
     * the next working day (Saturday 10:00 + 1 → Monday 10:00 in a normal week). {@code days} 0 returns the start.
     */
    public LocalDateTime plus(LocalDateTime start, int days) {
        return start.with(plus(start.toLocalDate(), days));
    }

    /** As {@link #plus(LocalDateTime, int)}, in the start's zone. */
    public ZonedDateTime plus(ZonedDateTime start, int days) {
        return start.with(plus(start.toLocalDate(), days));
    }

    /** The {@code days}-th working day after {@code start} (0: {@code start} itself). */
    public LocalDate plus(LocalDate start, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("days must be 0 or more, was " + days);
        }
        LocalDate date = start;
        for (int left = days; left > 0; ) {
            date = date.plusDays(1);
            if (calendar.isWorkingDay(date)) {
                left--;
            }
        }
        return date;
    }

    /** The first working day on or after {@code date}. */
    public LocalDate onOrAfter(LocalDate date) {
        LocalDate d = date;
        while (!calendar.isWorkingDay(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /** Working days in {@code (from, to]}: how many steps of {@link #plus(LocalDate, int)} lead from one to the other. */
    public int between(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return -between(to, from);
        }
        int count = 0;
        for (LocalDate d = from.plusDays(1); !d.isAfter(to); d = d.plusDays(1)) {
            if (calendar.isWorkingDay(d)) {
                count++;
            }
        }
        return count;
    }
}
