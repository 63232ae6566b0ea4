package org.hotlinecti.cti.web;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.cti.api.CallbackTask;
import org.hotlinecti.cti.api.QueueBoard;
import org.hotlinecti.cti.api.RoutingViews;

/** A wallboard and a call back list with known values. */
final class FixedRoutingViews implements RoutingViews {

    static final QueueBoard BOARD = new QueueBoard(Instant.parse("2026-11-22T02:00:00Z"), 15, 86_400,
            new QueueBoard.Figures("*", 40, 38, 2, 1, 1, 0, 0.95, 0.9524, 4_200, 0.0476, 0.9302, 1, 7_000),
            List.of(new QueueBoard.Figures("general", 40, 38, 2, 1, 1, 0, 0.95, 0.9524, 4_200, 0.0476, 0.9302, 1,
                    7_000)),
            List.of(new QueueBoard.WaitingCall("1795322295.7", "general", 1, 12_000, 7_000, 0)));
    static final CallbackTask TASK = new CallbackTask("1795322295.3", "general", "13800001111", "12345",
            Instant.parse("2026-11-22T02:10:00Z"), 95);

    @Override
    public CompletionStage<QueueBoard> queueBoard() {
        return CompletableFuture.completedFuture(BOARD);
    }

    @Override
    public CompletionStage<List<CallbackTask>> callbacks() {
        return CompletableFuture.completedFuture(List.of(TASK));
    }
}
