package org.hotlinecti.cti.ticket;

/** How a call ended, from the centre's point of view. Stored by name in lower case. */
public enum Disposition {
    /** An agent talked with the caller. */
    ANSWERED,
    /** The caller hung up before reaching an agent (in the IVR, the queue, or while an agent's phone rang). */
    ABANDONED,
    /** The caller left a voicemail (out of hours). */
    VOICEMAIL,
    /** The call could not be served: no route, PBX failure, rejected. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Disposition fromWireName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
