package org.hotlinecti.sim.sip;

/** What a trunk caller does on an inbound leg. */
public interface InboundLegListener {

    /** The caller sent a DTMF digit ({@code 0-9 * # A-D}) as SIP INFO. */
    void onDtmf(char digit, int durationMs);

    /** The caller hung up: BYE after answer, or CANCEL before it. Reported once. */
    void onRemoteHangup();
}
