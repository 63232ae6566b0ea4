package org.hotlinecti.sim.sip;

/** What an {@link AgentPhone} is doing. */
public enum PhoneState {
    /** No call. */
    IDLE,
    /** 180 sent, not answered yet. */
    RINGING,
    /** 200 sent: in a call. */
    TALKING
}
