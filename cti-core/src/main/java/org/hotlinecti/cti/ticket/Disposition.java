package org.hotlinecti.cti.ticket;

/** How a call ended, from the centre's point of view. Stored by name in lower case. */
public enum Disposition {
    /** An agent talked with the caller. */
    ANSWERED,
    /** The caller hung up before reaching an agent (in the IVR, the queue, or while an agent's phone rang). */
    ABANDONED,
    /** The caller left a voicemail (out of hours, or by choice); the ticket carries the recording and a call back. */
    VOICEMAIL,
    /**
     * The call was connected to a number outside the centre (an emergency service, or the department's sub-centre)
     * and the far end answered; {@link CallSummary#transferTarget()} names it and {@link CallSummary#handledBy()} says
     * who took it.
     */
    TRANSFERRED,
    /** The IVR ended the call itself after a notice (e.g. 不予受理: the matter belongs to a court or 信访). */
    ENDED_BY_IVR,
    /** The call could not be served: no route, PBX failure, rejected. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Disposition fromWireName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
