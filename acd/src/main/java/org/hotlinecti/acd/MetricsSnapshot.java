package org.hotlinecti.acd;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The wallboard's view: figures per queue and overall, computed from running totals (no scan over calls).
 *
 * @param serviceLevelThreshold the SL threshold in use
 * @param window                the rolling window (24 h)
 * @param overall               all queues together (queue name {@code *})
 * @param queues                by queue name, in definition order
 */
public record MetricsSnapshot(Instant at, Duration serviceLevelThreshold, Duration window, QueueMetrics overall,
        Map<String, QueueMetrics> queues) {
}
