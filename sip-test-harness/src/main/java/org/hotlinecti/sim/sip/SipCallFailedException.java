package org.hotlinecti.sim.sip;

/**
 * A simulated actor's SIP request ended without success: a final error response, or no response at all.
 * Futures of {@link TrunkCaller} and {@link AgentPhone} fail with it (wrapped in a
 * {@link java.util.concurrent.CompletionException} by {@code join()}).
 */
public final class SipCallFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@link #statusCode()} when there was no final response (timeout, unreachable, stack closed). */
    public static final int NO_RESPONSE = -1;

    private final int statusCode;

    /**
     * @param statusCode the final SIP status (e.g. 404, 486), or {@link #NO_RESPONSE}
     * @param reason     the reason phrase or what happened
     */
    public SipCallFailedException(int statusCode, String reason) {
        super(statusCode == NO_RESPONSE ? reason : "SIP " + statusCode + " " + reason);
        this.statusCode = statusCode;
    }

    /** The final SIP status code, or {@link #NO_RESPONSE} ({@value #NO_RESPONSE}). */
    public int statusCode() {
        return statusCode;
    }
}
