package org.hotlinecti.ivr.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import org.hotlinecti.ivr.yaml.InvalidConfigException;
import org.hotlinecti.ivr.yaml.Problem;
import org.junit.jupiter.api.Test;

class HolidayCalendarTest {

    private final HolidayCalendar prc = HolidayCalendar.loadDefault();
    private final WorkingDays working = new WorkingDays(prc);

    @Test
    void theShippedTableCoversTheOfficial2025And2026Schedules() {
        assertThat(prc.years()).containsExactly(2025, 2026);
        assertThat(prc.covers(LocalDate.of(2026, 12, 31))).isTrue();
        assertThat(prc.covers(LocalDate.of(2027, 1, 1))).isFalse();
        assertThat(prc.holidayName(LocalDate.of(2026, 2, 17))).contains("春节");
    }

    @Test
    void makeUpSaturdaysAndSundaysAreWorkingDays() {
        // 2026 Spring Festival: Saturdays 02-14 and 02-28; 2026 National Day: Sunday 09-20, Saturday 10-10
        assertThat(prc.isWorkingDay(LocalDate.of(2026, 2, 14))).isTrue();
        assertThat(prc.isWorkingDay(LocalDate.of(2026, 2, 28))).isTrue();
        assertThat(prc.isWorkingDay(LocalDate.of(2026, 9, 20))).isTrue();
        assertThat(prc.isWorkingDay(LocalDate.of(2026, 10, 10))).isTrue();
        assertThat(prc.isWorkingDay(LocalDate.of(2025, 1, 26))).isTrue();
        assertThat(prc.kindOf(LocalDate.of(2026, 10, 10))).isEqualTo(DayKind.WORKDAY);
        // an ordinary Saturday is not
        assertThat(prc.isWorkingDay(LocalDate.of(2026, 3, 7))).isFalse();
        assertThat(prc.kindOf(LocalDate.of(2026, 3, 7))).isEqualTo(DayKind.WEEKEND);
    }

    @Test
    void holidayWeekdaysAreNotWorkingDays() {
        assertThat(prc.isWorkingDay(LocalDate.of(2026, 10, 7))).isFalse();   // Wednesday, National Day
        assertThat(prc.isWorkingDay(LocalDate.of(2025, 10, 8))).isFalse();   // Wednesday, 国庆节、中秋节
        assertThat(prc.isWorkingDay(LocalDate.of(2026, 2, 23))).isFalse();   // Monday, 春节
        assertThat(prc.kindOf(LocalDate.of(2026, 10, 3))).isEqualTo(DayKind.HOLIDAY);  // a Saturday inside
        assertThat(prc.isWorkingDay(LocalDate.of(2026, 2, 24))).isTrue();
    }

    @Test
    void addingWorkingDaysSkipsHolidaysAndCountsMakeUpDays() {
        LocalDateTime fridayBeforeSpringFestival = LocalDateTime.of(2026, 2, 13, 10, 0);
        assertThat(working.plus(fridayBeforeSpringFestival, 1)).isEqualTo(LocalDateTime.of(2026, 2, 14, 10, 0));
        assertThat(working.plus(fridayBeforeSpringFestival, 2)).isEqualTo(LocalDateTime.of(2026, 2, 24, 10, 0));

        LocalDateTime beforeNationalDay = LocalDateTime.of(2026, 9, 30, 16, 45);
        assertThat(working.plus(beforeNationalDay, 1)).isEqualTo(LocalDateTime.of(2026, 10, 8, 16, 45));
        assertThat(working.plus(beforeNationalDay, 3)).isEqualTo(LocalDateTime.of(2026, 10, 10, 16, 45));
        assertThat(working.plus(beforeNationalDay, 4)).isEqualTo(LocalDateTime.of(2026, 10, 12, 16, 45));
        assertThat(working.plus(beforeNationalDay, 0)).isEqualTo(beforeNationalDay);

        assertThat(working.between(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 12))).isEqualTo(4);
        assertThat(working.between(LocalDate.of(2026, 10, 12), LocalDate.of(2026, 9, 30))).isEqualTo(-4);
        assertThat(working.onOrAfter(LocalDate.of(2026, 10, 1))).isEqualTo(LocalDate.of(2026, 10, 8));
    }

    @Test
    void aStartOnARestDayTakesItsFirstStepToTheNextWorkingDay() {
        LocalDateTime saturday = LocalDateTime.of(2026, 3, 7, 10, 0);
        assertThat(working.plus(saturday, 1)).isEqualTo(LocalDateTime.of(2026, 3, 9, 10, 0));
        assertThatThrownBy(() -> working.plus(saturday, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void yearsOutsideTheTableFallBackToMondayToFriday() {
        assertThat(prc.isWorkingDay(LocalDate.of(2027, 1, 4))).isTrue();   // Monday
        assertThat(prc.isWorkingDay(LocalDate.of(2027, 1, 2))).isFalse();  // Saturday
    }

    @Test
    void validationNamesTheLineOfEveryMistake() {
        String text = """
                2026:
                  - {name: 元旦, off: [2026-01-01, 2026-01-03], work: [2026-01-01]}
                  - {name: 春节, off: [2026-02-15, 2026-02-23], work: [2026-02-16]}
                  - {name: 国庆节, off: [2025-10-01, 2025-10-07]}
                  - {name: 端午节, off: [2026-06-21, 2026-06-19]}
                  - {name: 清明节, off: [2026-04-04], holiday: yes}
                  - {name: 中秋节, off: [2026-02-20]}
                """;

        assertThatThrownBy(() -> HolidayCalendar.parse("bad.yaml", text))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).extracting(Problem::toString)
                        .contains(
                                "bad.yaml:2: error: 2026 元旦: make-up working day 2026-01-01 is a THURSDAY; only a "
                                        + "Saturday or Sunday can be made a working day",
                                "bad.yaml:2: error: 2026 元旦: 2026-01-01 is both a day off (元旦) and a make-up "
                                        + "working day",
                                "bad.yaml:3: error: 2026 春节: make-up working day 2026-02-16 is a MONDAY; only a "
                                        + "Saturday or Sunday can be made a working day",
                                "bad.yaml:4: error: 2026 国庆节: 2025-10-01 is not in 2026; is it filed under the "
                                        + "wrong year?",
                                "bad.yaml:5: error: 2026 端午节: 'off' ends (2026-06-19) before it starts (2026-06-21)",
                                "bad.yaml:7: error: 2026 中秋节: 2026-02-20 is already a day off for 春节 (line 3)")
                        .anyMatch(p -> p.startsWith("bad.yaml:6: error: 2026 holiday: unknown key 'holiday'")));
    }

    @Test
    void syntaxErrorsAndNonYearsAreReportedWithLines() {
        assertThatThrownBy(() -> HolidayCalendar.parse("x.yaml", "2026:\n  - {name: 元旦, off: [2026-01-01\n"))
                .hasMessageContaining("x.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> HolidayCalendar.parse("y.yaml", "\"26\":\n  - {name: 元旦, off: 2026-01-01}\n"))
                .hasMessageContaining("y.yaml:1: error: '26' is not a year");
    }

    @Test
    void aSingleOffDateNeedsNoList() {
        HolidayCalendar c = HolidayCalendar.parse("one.yaml", "2027:\n  - {name: 元旦, off: 2027-01-01}\n");
        assertThat(c.isHoliday(LocalDate.of(2027, 1, 1))).isTrue();
        assertThat(c.isWorkingDay(LocalDate.of(2027, 1, 1))).isFalse();
    }
}
