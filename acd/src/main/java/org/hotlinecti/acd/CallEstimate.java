package org.hotlinecti.acd;

import java.time.Duration;

/**
 * Where a waiting call stands.
 *
 * @param position      1 for the next call of its queue to be served, 2 for the one after ...
 * @param estimatedWait the estimated remaining wait (see {@link AcdEngine#estimate})
 * @param waited        how long the call has waited in its current queue
 * @param step          index of the relaxation step in force
 */
public record CallEstimate(String callId, String queue, int position, Duration estimatedWait, Duration waited,
        int step) {
}
