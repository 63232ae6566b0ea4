package org.hotlinecti.cti.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Answers {@code GET /api/callbacks}: the call backs due, oldest first (an immutable copy taken on the call loop). */
@FunctionalInterface
public interface CallbackSource {

    CompletionStage<List<CallbackTask>> callbacks();
}
