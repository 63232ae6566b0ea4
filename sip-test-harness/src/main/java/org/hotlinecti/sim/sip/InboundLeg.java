package org.hotlinecti.sim.sip;

/** A call that a trunk caller placed towards the PBX (the PBX is the UAS). */
public interface InboundLeg {

    /** SIP Call-ID of the dialog; unique per call. */
    String callId();

    /** The caller's number: the From URI user part (e.g. {@code 13800001111}). */
    String fromUser();

    /** The From display name, or the user part when there is none. */
    String fromDisplayName();

    /** The dialled number: the Request-URI user part (e.g. {@code 12345}). */
    String toUser();

    /** Sends 200 OK with an SDP answer; the leg is up once the caller's ACK arrived (not awaited here). Idempotent. */
    void answer();

    /** Rejects a not yet answered call with a final response (e.g. 404, 486, 503). */
    void reject(int statusCode);

    /** Ends the call from the PBX side: BYE if answered, otherwise a 487/603 final response. Idempotent. */
    void hangup();
}
