package org.hotlinecti.acd;

import java.time.Duration;

/**
 * Service figures of one queue (or of all queues) over the rolling window of the snapshot (the last 24 h, counted in
 * whole minutes: outcomes of the current minute and of the 1439 before it). A call counts where its queue life ended.
 *
 * <ul>
 *   <li>{@code serviceLevel} (SL) = answered within the threshold / answered — Asterisk's SL.</li>
 *   <li>{@code serviceLevel2} (SL2) = (answered within + abandoned within the threshold) / (answered + abandoned) —
 *       Asterisk's SL2: an early hang-up does not count against the centre.</li>
 *   <li>{@code asa} = total wait of answered calls / answered.</li>
 *   <li>{@code abandonRate} = abandoned / (answered + abandoned).</li>
 *   <li>{@code connectRate} (接通率, GB/T 33358 asks ≥ 95 %) = answered / (answered + abandoned + exited); calls that
 *       went to another queue count in that queue, callbacks and voicemail count as not connected.</li>
 * </ul>
 * Ratios are 1.0 when their denominator is zero (nothing has gone wrong yet); ASA is zero then.
 *
 * @param waiting     calls waiting now (not counting calls ringing at an agent)
 * @param oldestWait  the longest current wait among them (zero when none)
 * @param overflowed  calls that left for another queue in the window (not an outcome of this queue)
 */
public record QueueMetrics(String queue, long answered, long answeredWithinSl, long abandoned,
        long abandonedWithinSl, long exited, long overflowed, Duration asa, double serviceLevel,
        double serviceLevel2, double abandonRate, double connectRate, int waiting, Duration oldestWait) {
}
