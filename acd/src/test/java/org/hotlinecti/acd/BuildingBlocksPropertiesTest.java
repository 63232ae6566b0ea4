package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the engine's building blocks: the call heap and the time windows. */
class BuildingBlocksPropertiesTest {

    /** Random adds and removes: the heap's head is always the minimum by (key, sequence) of what is left. */
    @Property(tries = 300)
    void theCallHeapAlwaysYieldsTheBestCall(@ForAll @Size(max = 200) List<@IntRange(min = -50, max = 50) Integer> ops) {
        CallHeap heap = new CallHeap();
        List<SkillAcd.Call> model = new ArrayList<>();
        Comparator<SkillAcd.Call> order = Comparator.<SkillAcd.Call>comparingLong(c -> c.key)
                .thenComparingLong(c -> c.seq);
        long seq = 0;
        for (int op : ops) {
            if (op >= 0 || model.isEmpty()) {
                SkillAcd.Call c = new SkillAcd.Call(CallRequest.toQueue("c" + seq, "q", 0), seq++, 0);
                c.key = Math.abs(op) % 7;
                heap.add(c);
                model.add(c);
            } else {
                SkillAcd.Call gone = model.remove(Math.floorMod(op, model.size()));
                heap.remove(gone);
            }
            assertThat(heap.size()).isEqualTo(model.size());
            if (!model.isEmpty()) {
                assertThat(heap.first()).isSameAs(model.stream().min(order).orElseThrow());
            }
        }
    }

    /** Between now and the next change the schedule does not change; at the change it does. */
    @Property(tries = 200)
    void timeWindowsReportTheirNextChangeExactly(@ForAll @IntRange(min = 0, max = 23) int fromHour,
            @ForAll @IntRange(min = 1, max = 12) int hours, @ForAll @IntRange(min = 0, max = 7 * 24 * 60) int minute) {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        LocalTime from = LocalTime.of(fromHour, 0);
        LocalTime to = fromHour + hours >= 24 ? LocalTime.MAX : LocalTime.of(fromHour + hours, 0);
        TimeWindows w = new TimeWindows(zone, List.of(new TimeWindows.Window(
                Set.of(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.WEDNESDAY), Set.of(), from, to)));
        Instant at = Instant.parse("2026-03-02T00:00:00Z").plus(Duration.ofMinutes(minute));
        Instant change = w.nextChange(at).orElseThrow();
        boolean on = w.isOn(at);
        for (Instant t = at; t.isBefore(change); t = t.plus(Duration.ofMinutes(7))) {
            assertThat(w.isOn(t)).isEqualTo(on);
        }
        assertThat(w.isOn(change)).isNotEqualTo(on);
    }
}
