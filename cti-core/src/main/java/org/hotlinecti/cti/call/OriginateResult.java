package org.hotlinecti.cti.call;

import java.util.Locale;

/**
 * How an {@link OriginateRequest} ended, from Asterisk's OriginateResponse event.
 *
 * @param answered whether the dialled party answered (Response: Success); its channel then runs the dialplan
 * @param reason   Asterisk's reason code: 4 answered, 3 no answer (rang until the timeout), 5 busy, 8 congestion,
 *                 1 hung up while ringing, 0 failed (no such endpoint, unreachable)
 * @param channel  the new channel's name when answered (e.g. {@code PJSIP/trunk-0000000c}), else the dial string
 * @param uniqueId the new channel's Uniqueid when answered, else empty
 */
public record OriginateResult(boolean answered, int reason, String channel, String uniqueId) {

    /** Answered. */
    public static final int REASON_ANSWERED = 4;
    /** Rang until the timeout. */
    public static final int REASON_NO_ANSWER = 3;
    /** Busy. */
    public static final int REASON_BUSY = 5;
    /** Congestion. */
    public static final int REASON_CONGESTION = 8;
    /** Hung up while ringing. */
    public static final int REASON_HUNG_UP = 1;

    public OriginateResult {
        channel = channel == null ? "" : channel;
        uniqueId = uniqueId == null ? "" : uniqueId;
    }

    /**
     * A short lower-case word for logs, ledgers and IVR paths, in the spirit of DIALSTATUS: {@code answer},
     * {@code noanswer}, {@code busy}, {@code congestion}, {@code cancel}, {@code chanunavail}.
     */
    public String status() {
        if (answered) {
            return "answer";
        }
        String s = switch (reason) {
            case REASON_NO_ANSWER -> "NOANSWER";
            case REASON_BUSY -> "BUSY";
            case REASON_CONGESTION -> "CONGESTION";
            case REASON_HUNG_UP -> "CANCEL";
            default -> "CHANUNAVAIL";
        };
        return s.toLowerCase(Locale.ROOT);
    }
}
