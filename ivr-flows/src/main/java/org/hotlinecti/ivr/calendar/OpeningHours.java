package org.hotlinecti.ivr.calendar;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlNode;
import org.hotlinecti.ivr.yaml.YamlValues;

/**
 * When a line or queue is staffed: time ranges per kind of day ({@link DayKind}), so 调休 Saturdays follow the
 * working-day hours and holidays can be closed (or have their own hours) without editing dates.
 *
 * @param id     the name lines and queues refer to, e.g. {@code office}
 * @param prompt the catalogue prompt that names these hours to callers (e.g. 工作日上午八点半至下午五点半), or null
 * @param ranges the open ranges per kind of day; a missing kind is closed all day
 */
public record OpeningHours(String id, String prompt, Map<DayKind, List<TimeRange>> ranges) {

    /** The hours of 12345 itself. */
    public static final OpeningHours ALWAYS = new OpeningHours("7x24", "hours-7x24", always());

    private static final Set<String> KEYS = Set.of("prompt", "always", "workdays", "weekends", "holidays");

    public OpeningHours {
        Objects.requireNonNull(id, "id");
        Map<DayKind, List<TimeRange>> copy = new EnumMap<>(DayKind.class);
        ranges.forEach((kind, list) -> copy.put(kind, List.copyOf(list)));
        ranges = Map.copyOf(copy);
    }

    private static Map<DayKind, List<TimeRange>> always() {
        TimeRange allDay = TimeRange.parse("00:00-24:00").orElseThrow();
        Map<DayKind, List<TimeRange>> all = new EnumMap<>(DayKind.class);
        for (DayKind kind : DayKind.values()) {
            all.put(kind, List.of(allDay));
        }
        return all;
    }

    /**
     * Hours built in code (e.g. from the CTI's own config), with the same rules as {@link #parse}.
     *
     * @throws IllegalArgumentException naming the first malformed range
     */
    public static OpeningHours of(String id, String prompt, boolean always, List<String> workdays,
            List<String> weekends, List<String> holidays) {
        if (always) {
            return new OpeningHours(id, prompt, always());
        }
        Map<DayKind, List<TimeRange>> ranges = new EnumMap<>(DayKind.class);
        ranges.put(DayKind.WORKDAY, ranges(id, workdays));
        ranges.put(DayKind.WEEKEND, ranges(id, weekends));
        ranges.put(DayKind.HOLIDAY, holidays == null ? ranges.get(DayKind.WEEKEND) : ranges(id, holidays));
        return new OpeningHours(id, prompt, ranges);
    }

    private static List<TimeRange> ranges(String id, List<String> texts) {
        List<TimeRange> out = new ArrayList<>();
        for (String text : texts == null ? List.<String>of() : texts) {
            out.add(TimeRange.parse(text).orElseThrow(() -> new IllegalArgumentException("hours '" + id + "': '"
                    + text + "' is not a time range like 08:30-17:30")));
        }
        return out;
    }

    /** Whether the hours are open at a local date-time. */
    public boolean isOpen(LocalDateTime at, HolidayCalendar calendar) {
        return ranges.getOrDefault(calendar.kindOf(at.toLocalDate()), List.of()).stream()
                .anyMatch(range -> range.contains(at.toLocalTime()));
    }

    /**
     * Reads one entry of an {@code hours:} section:
     * <pre>{@code
     * office: {workdays: ["08:30-12:00", "13:30-17:30"], prompt: hours-office}   # weekends and holidays closed
     * 7x24: {always: true, prompt: hours-7x24}
     * }</pre>
     * {@code holidays} defaults to the {@code weekends} hours.
     */
    public static Optional<OpeningHours> parse(String id, YamlNode node, Problems problems) {
        String what = "hours '" + id + "'";
        Optional<YamlNode.Mapping> mapping = YamlValues.mapping(node, problems, what);
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping m = mapping.get();
        m.checkKeys(problems, what, KEYS);
        String prompt = YamlValues.string(m, "prompt", problems, what, false).orElse(null);
        if (YamlValues.bool(m, "always", problems, what).orElse(false)) {
            if (m.has("workdays") || m.has("weekends") || m.has("holidays")) {
                problems.error(m, what + ": 'always: true' cannot be combined with day ranges");
            }
            return Optional.of(new OpeningHours(id, prompt, always()));
        }
        Map<DayKind, List<TimeRange>> ranges = new EnumMap<>(DayKind.class);
        ranges.put(DayKind.WORKDAY, ranges(m, "workdays", what, problems));
        ranges.put(DayKind.WEEKEND, ranges(m, "weekends", what, problems));
        ranges.put(DayKind.HOLIDAY, m.has("holidays") ? ranges(m, "holidays", what, problems)
                : ranges.get(DayKind.WEEKEND));
        if (ranges.values().stream().allMatch(List::isEmpty)) {
            problems.error(m, what + ": never open; give 'workdays' (e.g. [\"08:30-17:30\"]) or 'always: true'");
        }
        return Optional.of(new OpeningHours(id, prompt, ranges));
    }

    private static List<TimeRange> ranges(YamlNode.Mapping m, String key, String what, Problems problems) {
        List<TimeRange> out = new ArrayList<>();
        for (YamlNode.Scalar s : YamlValues.scalars(m, key, problems, what)) {
            Optional<TimeRange> range = TimeRange.parse(s.text());
            if (range.isEmpty()) {
                problems.error(s, what + ": '" + s.text() + "' is not a time range like 08:30-17:30");
            } else {
                for (TimeRange other : out) {
                    if (overlap(other, range.get())) {
                        problems.error(s, what + ": " + range.get() + " overlaps " + other);
                    }
                }
                out.add(range.get());
            }
        }
        return out;
    }

    private static boolean overlap(TimeRange a, TimeRange b) {
        boolean aEndsBeforeB = a.to() != null && !a.to().isAfter(b.from());
        boolean bEndsBeforeA = b.to() != null && !b.to().isAfter(a.from());
        return !aEndsBeforeB && !bEndsBeforeA;
    }
}
