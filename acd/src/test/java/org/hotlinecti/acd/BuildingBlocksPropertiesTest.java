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
import org.junit.jupiter.api.Test;

/** Properties of the engine's building blocks: the call heap and the time windows. */
class BuildingBlocksPropertiesTest {

    /** Random adds and removes: the heap's head is always the minimum by (key, sequence) of what is left. */
    @Test
    void theCallHeapAlwaysYieldsTheBestCall() {
        PropertyCheck.forAll(300, r -> {
            List<Integer> ops = new ArrayList<>();
            int n = r.nextInt(201);
            for (int i = 0; i < n; i++) {
                ops.add(r.nextInt(101) - 50);
            }
            return ops;
        }, BuildingBlocksPropertiesTest::heapYieldsTheBest);
    }

    private static void heapYieldsTheBest(List<Integer> ops) {
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
    @Test
    void timeWindowsReportTheirNextChangeExactly() {
        PropertyCheck.forAll(200,
                r -> List.of(r.nextInt(24), 1 + r.nextInt(12), r.nextInt(7 * 24 * 60 + 1)),
                input -> {
                    if (input.size() == 3) {
                        windowChangesExactly(input.get(0), input.get(1), input.get(2));
                    }
                });
    }

    private static void windowChangesExactly(int fromHour, int hours, int minute) {
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
