package org.hotlinecti.acd;

import java.time.Duration;

/**
 * What happens to an agent who did not take an offered call. The agent always becomes not ready with the failure's
 * reason ({@code rona}, {@code busy} ...); after the failure's back-off it is made ready again by the engine. A null
 * back-off means "stays not ready until the agent makes itself ready" (classic RONA). After
 * {@code autoBreakAfter} consecutive no-answers the agent goes on break (reason {@code auto_break}) without an
 * automatic return; 0 disables that.
 */
public record BackoffPolicy(Duration noAnswer, Duration busy, Duration rejected, Duration unreachable,
        int autoBreakAfter) {

    /** Every failure leaves the agent not ready until it makes itself ready. */
    public static final BackoffPolicy MANUAL = new BackoffPolicy(null, null, null, null, 0);

    public BackoffPolicy {
        if (autoBreakAfter < 0) {
            throw new IllegalArgumentException("autoBreakAfter must not be negative");
        }
    }

    /** The back-off for a failure, or null for "stay not ready". */
    public Duration delayFor(OfferFailure failure) {
        return switch (failure) {
            case NO_ANSWER -> noAnswer;
            case BUSY -> busy;
            case REJECTED -> rejected;
            case UNREACHABLE -> unreachable;
        };
    }
}
