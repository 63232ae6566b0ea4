package org.hotlinecti.sim.sip;

/** Told about each new INVITE from a trunk caller. */
@FunctionalInterface
public interface InboundCallListener {

    /**
     * A new call arrived and {@code 100 Trying} has been sent. The returned listener receives this leg's DTMF and
     * hang-up; it is installed before any later message of the dialog is processed.
     */
    InboundLegListener onInvite(InboundLeg leg);
}
