package org.hotlinecti.ivr.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.Clock;
import java.util.Map;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlNode;
import org.hotlinecti.ivr.yaml.YamlReader;
import org.junit.jupiter.api.Test;

class OpeningHoursTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private final HolidayCalendar prc = HolidayCalendar.loadDefault();

    private static OpeningHours parse(String yaml, Problems problems) {
        YamlNode node = YamlReader.read("hours.yaml", yaml, problems).orElseThrow();
        return OpeningHours.parse("office", node, problems).orElse(null);
    }

    @Test
    void officeHoursFollowWorkingDaysIncludingMakeUpSaturdays() {
        Problems problems = new Problems();
        OpeningHours office = parse("{workdays: [\"08:30-12:00\", \"13:30-17:30\"], prompt: hours-office}", problems);
        assertThat(problems.all()).isEmpty();

        assertThat(office.isOpen(LocalDateTime.of(2026, 3, 2, 8, 30), prc)).isTrue();     // Monday
        assertThat(office.isOpen(LocalDateTime.of(2026, 3, 2, 8, 29), prc)).isFalse();
        assertThat(office.isOpen(LocalDateTime.of(2026, 3, 2, 12, 30), prc)).isFalse();   // lunch
        assertThat(office.isOpen(LocalDateTime.of(2026, 3, 2, 17, 30), prc)).isFalse();   // end exclusive
        assertThat(office.isOpen(LocalDateTime.of(2026, 3, 7, 10, 0), prc)).isFalse();    // Saturday
        assertThat(office.isOpen(LocalDateTime.of(2026, 10, 10, 10, 0), prc)).isTrue();   // make-up Saturday
        assertThat(office.isOpen(LocalDateTime.of(2026, 10, 7, 10, 0), prc)).isFalse();   // National Day Wed
    }

    @Test
    void holidaysDefaultToWeekendHoursButCanDiffer() {
        Problems problems = new Problems();
        OpeningHours h = parse("{workdays: [\"08:00-20:00\"], weekends: [\"09:00-17:00\"], holidays: []}", problems);
        assertThat(problems.all()).isEmpty();
        assertThat(h.isOpen(LocalDateTime.of(2026, 3, 7, 10, 0), prc)).isTrue();
        assertThat(h.isOpen(LocalDateTime.of(2026, 10, 3, 10, 0), prc)).isFalse();

        OpeningHours same = parse("{workdays: [\"08:00-20:00\"], weekends: [\"09:00-17:00\"]}", problems);
        assertThat(same.isOpen(LocalDateTime.of(2026, 10, 3, 10, 0), prc)).isTrue();
    }

    @Test
    void badRangesAndKeysAreErrorsWithLines() {
        Problems problems = new Problems();
        parse("workdays:\n  - \"17:30-08:30\"\n  - \"08:00-12:00\"\n  - \"11:00-13:00\"\nweekdays: [x]\n", problems);
        assertThat(problems.all()).extracting(Object::toString).contains(
                "hours.yaml:2: error: hours 'office': '17:30-08:30' is not a time range like 08:30-17:30",
                "hours.yaml:4: error: hours 'office': 11:00-13:00 overlaps 08:00-12:00")
                .anyMatch(p -> p.startsWith("hours.yaml:5: error: hours 'office': unknown key 'weekdays'"));
    }

    @Test
    void theBusinessCalendarAnswersByTheClockInTheCentresZone() {
        Problems problems = new Problems();
        OpeningHours office = parse("{workdays: [\"08:30-17:30\"]}", problems);
        Clock mondayNight = Clock.fixed(ZonedDateTime.of(2026, 3, 2, 20, 0, 0, 0, SHANGHAI).toInstant(), SHANGHAI);
        BusinessCalendar calendar = new BusinessCalendar(prc, Map.of("office", office), mondayNight);

        assertThat(calendar.isOpen("office")).isFalse();
        assertThat(calendar.isOpen("7x24")).isTrue();
    }
}
