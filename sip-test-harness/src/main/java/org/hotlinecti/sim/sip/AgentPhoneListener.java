package org.hotlinecti.sim.sip;

/**
 * Observes an {@link AgentPhone} (scenario runner, demo). Callbacks run one at a time, in order, on a pool thread
 * of the {@link SipPhoneStack} (never on the SIP stack's thread); they should return quickly.
 */
public interface AgentPhoneListener {

    /** An INVITE arrived and the phone rings (180 sent). */
    default void onRinging(PhoneCall call) {
    }

    /** The phone answered (200 sent). */
    default void onAnswered(PhoneCall call) {
    }

    /** A call ended, or was refused at once; {@link PhoneCall#endReason()} tells why. */
    default void onEnded(PhoneCall call) {
    }
}
