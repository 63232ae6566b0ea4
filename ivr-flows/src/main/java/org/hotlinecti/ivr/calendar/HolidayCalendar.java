package org.hotlinecti.ivr.calendar;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hotlinecti.ivr.yaml.InvalidConfigException;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlNode;
import org.hotlinecti.ivr.yaml.YamlReader;
import org.hotlinecti.ivr.yaml.YamlValues;

/**
 * PRC public holidays and make-up working days (调休上班) as announced each year by the State Council General Office.
 * A date is a working day when it is a make-up day, or a Monday to Friday that is not a holiday. Years the file does
 * not cover fall back to Monday to Friday: {@link #covers} lets the caller warn that the table needs its next year.
 *
 * <p>File format (see {@code ivr/prc-holidays.yaml}): a mapping of year to a list of
 * {@code {name: 春节, off: [first, last], work: [date, ...]}}; {@code off} is one date or an inclusive range.
 */
public final class HolidayCalendar {

    /** The resource shipped in the jar with the official 2025 and 2026 schedules. */
    public static final String DEFAULT_RESOURCE = "ivr/prc-holidays.yaml";

    private static final int LONGEST_HOLIDAY_DAYS = 10;
    private static final int BOUNDARY_SLACK_DAYS = 7;

    private final Map<LocalDate, String> offDays;
    private final Map<LocalDate, String> makeUpDays;
    private final SortedSet<Integer> years;

    private HolidayCalendar(Map<LocalDate, String> offDays, Map<LocalDate, String> makeUpDays,
            SortedSet<Integer> years) {
        this.offDays = Collections.unmodifiableMap(new TreeMap<>(offDays));
        this.makeUpDays = Collections.unmodifiableMap(new TreeMap<>(makeUpDays));
        this.years = Collections.unmodifiableSortedSet(new TreeSet<>(years));
    }

    /** The shipped table. */
    public static HolidayCalendar loadDefault() {
        Problems problems = new Problems();
        Optional<YamlNode> root = YamlReader.readResource(DEFAULT_RESOURCE, problems);
        return parse(root, problems);
    }

    /** Loads and validates an operator's file; throws {@link InvalidConfigException} listing every error. */
    public static HolidayCalendar load(Path file) {
        Problems problems = new Problems();
        return parse(YamlReader.read(file, problems), problems);
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static HolidayCalendar parse(String source, String text) {
        Problems problems = new Problems();
        return parse(YamlReader.read(source, text, problems), problems);
    }

    /** A calendar with no holidays: Monday to Friday are working days (for tests and unconfigured set-ups). */
    public static HolidayCalendar weekdaysOnly() {
        return new HolidayCalendar(Map.of(), Map.of(), new TreeSet<>());
    }

    private static HolidayCalendar parse(Optional<YamlNode> root, Problems problems) {
        Map<LocalDate, String> off = new HashMap<>();
        Map<LocalDate, String> work = new HashMap<>();
        Map<LocalDate, Integer> lineOf = new HashMap<>();
        SortedSet<Integer> years = new TreeSet<>();
        root.flatMap(node -> YamlValues.mapping(node, problems, "the holiday calendar")).ifPresent(top -> {
            for (String yearKey : top.keys()) {
                int yearLine = top.lineOf(yearKey);
                if (!yearKey.matches("(19|20|21)[0-9]{2}")) {
                    problems.error(top.source(), yearLine, "'" + yearKey + "' is not a year (e.g. 2026)");
                    continue;
                }
                int year = Integer.parseInt(yearKey);
                years.add(year);
                YamlNode entries = top.entries().get(yearKey);
                if (!(entries instanceof YamlNode.Sequence seq)) {
                    problems.error(entries, yearKey + ": must be a list of holidays, was " + entries.describe());
                    continue;
                }
                for (YamlNode item : seq.items()) {
                    YamlValues.mapping(item, problems, yearKey + " holiday").ifPresent(h ->
                            holiday(year, h, off, work, lineOf, problems));
                }
            }
        });
        problems.throwIfErrors("holiday calendar");
        return new HolidayCalendar(off, work, years);
    }

    private static void holiday(int year, YamlNode.Mapping h, Map<LocalDate, String> off,
            Map<LocalDate, String> work, Map<LocalDate, Integer> lineOf, Problems problems) {
        h.checkKeys(problems, year + " holiday", java.util.Set.of("name", "off", "work"));
        String name = YamlValues.string(h, "name", problems, year + " holiday", true).orElse("?");
        String what = year + " " + name;
        List<YamlNode.Scalar> offDates = YamlValues.scalars(h, "off", problems, what);
        if (!h.has("off")) {
            problems.error(h, what + ": 'off' is required (one date, or [first, last])");
        }
        if (offDates.size() > 2) {
            problems.error(offDates.get(0), what + ": 'off' is one date or [first, last], not "
                    + offDates.size() + " dates");
        } else if (!offDates.isEmpty()) {
            Optional<LocalDate> first = date(offDates.get(0), year, what, problems);
            Optional<LocalDate> last = offDates.size() == 2 ? date(offDates.get(1), year, what, problems) : first;
            if (first.isPresent() && last.isPresent()) {
                if (last.get().isBefore(first.get())) {
                    problems.error(offDates.get(0), what + ": 'off' ends (" + last.get() + ") before it starts ("
                            + first.get() + ")");
                } else if (first.get().plusDays(LONGEST_HOLIDAY_DAYS).isBefore(last.get())) {
                    problems.error(offDates.get(0), what + ": " + first.get() + " to " + last.get()
                            + " is longer than " + LONGEST_HOLIDAY_DAYS + " days; is a date mistyped?");
                } else {
                    for (LocalDate d = first.get(); !d.isAfter(last.get()); d = d.plusDays(1)) {
                        if (off.putIfAbsent(d, name) != null) {
                            problems.error(offDates.get(0), what + ": " + d + " is already a day off for "
                                    + off.get(d) + " (line " + lineOf.get(d) + ")");
                        } else {
                            lineOf.put(d, offDates.get(0).line());
                        }
                    }
                }
            }
        }
        for (YamlNode.Scalar workDate : YamlValues.scalars(h, "work", problems, what)) {
            date(workDate, year, what, problems).ifPresent(d -> {
                if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                    problems.error(workDate, what + ": make-up working day " + d + " is a " + d.getDayOfWeek()
                            + "; only a Saturday or Sunday can be made a working day");
                }
                if (work.putIfAbsent(d, name) != null) {
                    problems.error(workDate, what + ": make-up working day " + d + " is listed twice");
                }
            });
        }
        for (YamlNode.Scalar workDate : YamlValues.scalars(h, "work", problems, what)) {
            parseDate(workDate.text()).filter(off::containsKey).ifPresent(d -> problems.error(workDate, what
                    + ": " + d + " is both a day off (" + off.get(d) + ") and a make-up working day"));
        }
    }

    private static Optional<LocalDate> date(YamlNode.Scalar node, int year, String what, Problems problems) {
        Optional<LocalDate> date = parseDate(node.text());
        if (date.isEmpty()) {
            problems.error(node, what + ": '" + node.text() + "' is not a date (yyyy-MM-dd)");
            return date;
        }
        LocalDate d = date.get();
        if (d.getYear() != year) {
            LocalDate start = LocalDate.of(year, 1, 1);
            LocalDate end = LocalDate.of(year, 12, 31);
            boolean nearBoundary = !d.isBefore(start.minusDays(BOUNDARY_SLACK_DAYS))
                    && !d.isAfter(end.plusDays(BOUNDARY_SLACK_DAYS));
            if (nearBoundary) {
                problems.warning(node, what + ": " + d + " is outside " + year
                        + " (accepted: holidays may start or end across New Year)");
            } else {
                problems.error(node, what + ": " + d + " is not in " + year + "; is it filed under the wrong year?");
                return Optional.empty();
            }
        }
        return date;
    }

    private static Optional<LocalDate> parseDate(String text) {
        try {
            return Optional.of(LocalDate.parse(text.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether the date is an official day off (a holiday, including the weekend days inside its range). */
    public boolean isHoliday(LocalDate date) {
        return offDays.containsKey(date);
    }

    /** Whether the date is a Saturday or Sunday made a working day (调休上班). */
    public boolean isMakeUpWorkday(LocalDate date) {
        return makeUpDays.containsKey(date);
    }

    /** The holiday a day off or make-up day belongs to, e.g. {@code 春节}. */
    public Optional<String> holidayName(LocalDate date) {
        return Optional.ofNullable(offDays.getOrDefault(date, makeUpDays.get(date)));
    }

    /** Whether people work that day: a make-up day, or Monday to Friday outside the holidays. */
    public boolean isWorkingDay(LocalDate date) {
        if (makeUpDays.containsKey(date)) {
            return true;
        }
        if (offDays.containsKey(date)) {
            return false;
        }
        DayOfWeek day = date.getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }

    /** What kind of day it is for {@link OpeningHours}. */
    public DayKind kindOf(LocalDate date) {
        if (offDays.containsKey(date)) {
            return DayKind.HOLIDAY;
        }
        return isWorkingDay(date) ? DayKind.WORKDAY : DayKind.WEEKEND;
    }

    /** Whether the table has the official schedule for the date's year (operators add the next year each November). */
    public boolean covers(LocalDate date) {
        return years.contains(date.getYear());
    }

    /** The years in the table. */
    public SortedSet<Integer> years() {
        return years;
    }
}
