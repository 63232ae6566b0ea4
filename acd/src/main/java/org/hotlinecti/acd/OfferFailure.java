package org.hotlinecti.acd;

/** Why an offered agent did not take the call. Each makes the agent not ready with the reason's name. */
public enum OfferFailure {
    /** Rang until the ring timeout (RONA: redirect on no answer). */
    NO_ANSWER("rona"),
    /** The phone answered busy. */
    BUSY("busy"),
    /** The phone declined the call. */
    REJECTED("rejected"),
    /** The phone could not be reached (unregistered, network). */
    UNREACHABLE("unreachable");

    private final String reason;

    OfferFailure(String reason) {
        this.reason = reason;
    }

    /** The not-ready reason the agent gets. */
    public String reason() {
        return reason;
    }
}
