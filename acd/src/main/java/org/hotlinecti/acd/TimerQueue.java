package org.hotlinecti.acd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The engine's deadlines. Most are "now + a configured delay" (wrap-up cap, back-off, relaxation step, max wait),
 * and for one delay they come in time order: such timers go to a FIFO lane per delay (O(1) to add, no tree of cold
 * timer objects to sift). Anything else (schedule changes, reserve thresholds, timers re-armed out of order) goes to a
 * priority queue. Cancelled timers stay where they are until they reach the front of their lane or queue.
 */
final class TimerQueue {

    private static final int MAX_LANES = 64;

    private final PriorityQueue<SkillAcd.Timer> irregular = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.atMs, b.atMs);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private final Map<Long, ArrayDeque<SkillAcd.Timer>> lanesByDelay = new HashMap<>();
    private final List<ArrayDeque<SkillAcd.Timer>> lanes = new ArrayList<>();

    void add(SkillAcd.Timer t, long now) {
        long delay = t.atMs - now;
        ArrayDeque<SkillAcd.Timer> lane = lanesByDelay.get(delay);
        if (lane == null && delay > 0 && lanes.size() < MAX_LANES) {
            lane = new ArrayDeque<>();
            lanesByDelay.put(delay, lane);
            lanes.add(lane);
        }
        if (lane != null && (lane.isEmpty() || lane.peekLast().atMs <= t.atMs)) {
            lane.addLast(t);
        } else {
            irregular.add(t);
        }
    }

    /** The earliest live timer (cancelled ones in front are dropped), or null. */
    SkillAcd.Timer peek() {
        while (!irregular.isEmpty() && irregular.peek().cancelled) {
            irregular.poll();
        }
        SkillAcd.Timer best = irregular.peek();
        for (int i = 0, n = lanes.size(); i < n; i++) {
            ArrayDeque<SkillAcd.Timer> lane = lanes.get(i);
            while (!lane.isEmpty() && lane.peekFirst().cancelled) {
                lane.pollFirst();
            }
            SkillAcd.Timer head = lane.peekFirst();
            if (head != null && (best == null || head.atMs < best.atMs
                    || (head.atMs == best.atMs && head.seq < best.seq))) {
                best = head;
            }
        }
        return best;
    }

    /** Removes and returns the earliest live timer, or null. */
    SkillAcd.Timer poll() {
        SkillAcd.Timer t = peek();
        if (t == null) {
            return null;
        }
        if (irregular.peek() == t) {
            irregular.poll();
        } else {
            for (ArrayDeque<SkillAcd.Timer> lane : lanes) {
                if (lane.peekFirst() == t) {
                    lane.pollFirst();
                    break;
                }
            }
        }
        return t;
    }
}
