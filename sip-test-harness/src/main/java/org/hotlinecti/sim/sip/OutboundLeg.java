package org.hotlinecti.sim.sip;

/** A call the PBX placed to an agent phone (the PBX is the UAC). */
public interface OutboundLeg {

    /** SIP Call-ID of the dialog. */
    String callId();

    /** Gives up before an answer: CANCEL (or nothing if no provisional response arrived yet and none will). */
    void cancel();

    /** Ends an answered call with BYE; before an answer it behaves as {@link #cancel()}. Idempotent. */
    void hangup();
}
