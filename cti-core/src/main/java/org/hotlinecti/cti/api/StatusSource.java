package org.hotlinecti.cti.api;

import java.util.concurrent.CompletionStage;

/** Answers {@code GET /api/status}. */
@FunctionalInterface
public interface StatusSource {

    CompletionStage<CtiStatus> status();
}
