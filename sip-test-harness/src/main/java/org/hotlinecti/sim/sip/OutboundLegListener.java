package org.hotlinecti.sim.sip;

/**
 * Progress of a call to an agent phone. Exactly one of {@link #onAnswered()}, {@link #onRejected(int)} or
 * {@link #onFailed(String)} is called, at most once; {@link #onRemoteHangup()} only after {@link #onAnswered()}.
 */
public interface OutboundLegListener {

    /** 180 Ringing (or 183) arrived. May be skipped by phones that answer at once. */
    void onRinging();

    /** 200 OK arrived and was ACKed. */
    void onAnswered();

    /** A final non-2xx response arrived (486 busy, 603 decline, 480, 404 ...), or 487 after our CANCEL. */
    void onRejected(int statusCode);

    /** No response at all (transaction timeout) or the contact could not be reached. */
    void onFailed(String reason);

    /** The phone sent BYE after answering. */
    void onRemoteHangup();
}
