package org.hotlinecti.cti.api;

/** What the web API shows of routing: the wallboard ({@code GET /api/queues}) and due call backs ({@code GET /api/callbacks}). */
public interface RoutingViews extends QueueBoardSource, CallbackSource {
}
