package org.hotlinecti.cti.api;

import java.util.concurrent.CompletionStage;

/** Answers {@code GET /api/queues}: the wallboard, taken on the call loop and completed with an immutable copy. */
@FunctionalInterface
public interface QueueBoardSource {

    CompletionStage<QueueBoard> queueBoard();
}
