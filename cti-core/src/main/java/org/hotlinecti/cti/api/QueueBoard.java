package org.hotlinecti.cti.api;

import java.time.Instant;
import java.util.List;

/**
 * The wallboard (大屏) for {@code GET /api/queues}: service figures per queue and overall over the rolling 24 h, and
 * where each waiting call stands. An immutable copy taken on the call loop; web threads only serialise it.
 *
 * @param at                    when the snapshot was taken
 * @param serviceLevelSeconds   the SL threshold in seconds (acd.service_level, default 15)
 * @param windowSeconds         the rolling window the figures cover (86400)
 * @param overall               all queues together (queue {@code *})
 * @param queues                one entry per queue, in definition order
 * @param waiting               the calls waiting now with position and estimated wait, longest wait first per queue
 */
public record QueueBoard(Instant at, long serviceLevelSeconds, long windowSeconds, Figures overall,
        List<Figures> queues, List<WaitingCall> waiting) {

    public QueueBoard {
        queues = List.copyOf(queues);
        waiting = List.copyOf(waiting);
    }

    /**
     * Figures of one queue (see the engine's {@code QueueMetrics} for the exact definitions).
     *
     * @param serviceLevel   SL: answered within the threshold / answered (1.0 when nothing was answered)
     * @param serviceLevel2  SL2: (answered within + abandoned within the threshold) / (answered + abandoned)
     * @param asaMs          average speed of answer of answered calls, in milliseconds
     * @param abandonRate    abandoned / (answered + abandoned)
     * @param connectRate    接通率: answered / (answered + abandoned + exited to voicemail or callback)
     * @param waiting        calls waiting now (not counting calls ringing at an agent)
     * @param oldestWaitMs   the longest current wait, in milliseconds
     */
    public record Figures(String queue, long answered, long answeredWithinSl, long abandoned,
            long abandonedWithinSl, long exited, long overflowed, double serviceLevel, double serviceLevel2,
            long asaMs, double abandonRate, double connectRate, int waiting, long oldestWaitMs) {
    }

    /**
     * A waiting call. The caller's number is not shown (personal data): the call is known by its id.
     *
     * @param position          1 = next of its queue to be served
     * @param estimatedWaitMs   estimated remaining wait (position x the queue's observed answer interval)
     * @param waitedMs          how long it has waited in its current queue
     * @param step              the relaxation step in force (0 = the first)
     */
    public record WaitingCall(String callId, String queue, int position, long estimatedWaitMs, long waitedMs,
            int step) {
    }
}
