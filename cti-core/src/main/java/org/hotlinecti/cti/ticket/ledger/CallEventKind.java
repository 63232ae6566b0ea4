package org.hotlinecti.cti.ticket.ledger;

import java.util.Locale;

/** What happened to a call (or an agent) in the call ledger. Stored by {@link #wireName()}. */
public enum CallEventKind {
    /** The caller reached the IVR of a line. */
    ENTERED_IVR,
    /** The IVR asked for an agent: the call waits in a queue (the skill). */
    QUEUED,
    /** The ACD offered the call to an agent: the agent's phone rings. */
    OFFERED,
    /**
     * The offer came to nothing; detail {@code reason}: {@code no_answer} (the phone rang out, RONA), {@code busy},
     * {@code unreachable}. The call goes back to the queue.
     */
    OFFER_FAILED,
    /** An agent answered. */
    ANSWERED,
    /** The call was transferred (detail says where). */
    TRANSFERRED,
    /** The call ended (detail: disposition, end stage, who hung up). */
    ENDED,
    AGENT_LOGIN,
    AGENT_LOGOFF,
    /** The agent went not ready (detail: reason). */
    PAUSE,
    /** The agent became ready again. */
    UNPAUSE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name */
    public static CallEventKind fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
