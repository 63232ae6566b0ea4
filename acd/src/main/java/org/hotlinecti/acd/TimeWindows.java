package org.hotlinecti.acd;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A schedule made of daily time windows, each limited to given weekdays or given dates: enough for opening hours
 * ("Mon–Fri 08:00–20:00") and for a leader's answering day ("2026-03-05 09:00–11:00"). Holidays and make-up workdays
 * belong to the IVR's business calendar; pass explicit dates here when a pool needs them.
 *
 * @param zone    the centre's time zone
 * @param windows on when any window is on
 */
public record TimeWindows(ZoneId zone, List<Window> windows) implements Schedule {

    /** Days looked ahead by {@link #nextChange}: a change further away than this is reported as none. */
    public static final int HORIZON_DAYS = 400;

    /**
     * One daily window {@code [from, to)}; {@code to} at or before {@code from} is not allowed (split windows that
     * cross midnight in two).
     *
     * @param days  weekdays it applies to; empty = every day (unless {@code dates} limits it)
     * @param dates dates it applies to; empty = any date
     */
    public record Window(Set<DayOfWeek> days, Set<LocalDate> dates, LocalTime from, LocalTime to) {
        public Window {
            days = Set.copyOf(days == null ? Set.of() : days);
            dates = Set.copyOf(dates == null ? Set.of() : dates);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!to.isAfter(from)) {
                throw new IllegalArgumentException("window must end after it starts: " + from + "-" + to);
            }
        }

        boolean appliesTo(LocalDate date) {
            return (days.isEmpty() || days.contains(date.getDayOfWeek()))
                    && (dates.isEmpty() || dates.contains(date));
        }
    }

    public TimeWindows {
        Objects.requireNonNull(zone, "zone");
        windows = List.copyOf(windows);
    }

    @Override
    public boolean isOn(Instant at) {
        ZonedDateTime t = at.atZone(zone);
        LocalDate date = t.toLocalDate();
        LocalTime time = t.toLocalTime();
        for (Window w : windows) {
            if (w.appliesTo(date) && !time.isBefore(w.from()) && time.isBefore(w.to())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<Instant> nextChange(Instant after) {
        boolean on = isOn(after);
        LocalDate day = after.atZone(zone).toLocalDate();
        for (int i = 0; i <= HORIZON_DAYS; i++, day = day.plusDays(1)) {
            List<Instant> edges = new ArrayList<>();
            for (Window w : windows) {
                if (w.appliesTo(day)) {
                    edges.add(day.atTime(w.from()).atZone(zone).toInstant());
                    edges.add(day.atTime(w.to()).atZone(zone).toInstant());
                }
            }
            edges.sort(null);
            for (Instant edge : edges) {
                if (edge.isAfter(after) && isOn(edge) != on) {
                    return Optional.of(edge);
                }
            }
        }
        return Optional.empty();
    }
}
