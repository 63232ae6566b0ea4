package org.hotlinecti.cti.call;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.hotlinecti.acd.AcdEngine;
import org.hotlinecti.acd.CallEstimate;
import org.hotlinecti.acd.MetricsSnapshot;
import org.hotlinecti.acd.QueueMetrics;
import org.hotlinecti.cti.api.QueueBoard;

/** Builds the wallboard from the engine's running totals; call only on the call loop (the engine is not shared). */
final class QueueBoards {

    private QueueBoards() {
    }

    static QueueBoard take(AcdEngine acd, Collection<String> waitingCallIds) {
        MetricsSnapshot m = acd.metrics();
        List<QueueBoard.WaitingCall> waiting = new ArrayList<>();
        for (String id : waitingCallIds) {
            acd.estimate(id).map(QueueBoards::waitingCall).ifPresent(waiting::add);
        }
        waiting.sort(Comparator.comparing(QueueBoard.WaitingCall::queue)
                .thenComparingInt(QueueBoard.WaitingCall::position));
        return new QueueBoard(m.at(), m.serviceLevelThreshold().toSeconds(), m.window().toSeconds(),
                figures(m.overall()), m.queues().values().stream().map(QueueBoards::figures).toList(), waiting);
    }

    private static QueueBoard.Figures figures(QueueMetrics q) {
        return new QueueBoard.Figures(q.queue(), q.answered(), q.answeredWithinSl(), q.abandoned(),
                q.abandonedWithinSl(), q.exited(), q.overflowed(), q.serviceLevel(), q.serviceLevel2(),
                q.asa().toMillis(), q.abandonRate(), q.connectRate(), q.waiting(), q.oldestWait().toMillis());
    }

    private static QueueBoard.WaitingCall waitingCall(CallEstimate e) {
        return new QueueBoard.WaitingCall(e.callId(), e.queue(), e.position(), e.estimatedWait().toMillis(),
                e.waited().toMillis(), e.step());
    }
}
