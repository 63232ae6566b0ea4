package org.hotlinecti.ivr.calendar;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The named opening hours of lines and queues, over the holiday calendar and a clock. The clock's zone is the
 * centre's (Asia/Shanghai by default); hours are local times in it.
 */
public final class BusinessCalendar {

    private final HolidayCalendar holidays;
    private final Map<String, OpeningHours> hours;
    private final Clock clock;

    public BusinessCalendar(HolidayCalendar holidays, Map<String, OpeningHours> hours, Clock clock) {
        this.holidays = Objects.requireNonNull(holidays, "holidays");
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<String, OpeningHours> all = new LinkedHashMap<>();
        all.put(OpeningHours.ALWAYS.id(), OpeningHours.ALWAYS);
        all.putAll(hours);
        this.hours = Map.copyOf(all);
    }

    /** Whether the hours named {@code hoursId} are open now; unknown ids are open (they are validated on load). */
    public boolean isOpen(String hoursId) {
        OpeningHours h = hours.get(hoursId);
        return h == null || h.isOpen(now(), holidays);
    }

    public Optional<OpeningHours> hours(String hoursId) {
        return Optional.ofNullable(hours.get(hoursId));
    }

    public Map<String, OpeningHours> allHours() {
        return hours;
    }

    public HolidayCalendar holidays() {
        return holidays;
    }

    public WorkingDays workingDays() {
        return new WorkingDays(holidays);
    }

    /** The local date-time now, in the clock's zone. */
    public LocalDateTime now() {
        return LocalDateTime.now(clock);
    }

    public Clock clock() {
        return clock;
    }
}
