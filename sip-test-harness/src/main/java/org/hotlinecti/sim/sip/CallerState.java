package org.hotlinecti.sim.sip;

/** Where a {@link TrunkCaller}'s single call stands. The last three are final. */
public enum CallerState {
    /** Not dialled yet. */
    IDLE,
    /** INVITE sent, no final response yet. */
    DIALLING,
    /** 200 OK received and ACKed. */
    CONNECTED,
    /** The caller hung up: BYE after answer, or CANCEL (or BYE after a crossing 200) while dialling. */
    ENDED_BY_CALLER,
    /** The PBX sent BYE. */
    ENDED_BY_PBX,
    /** The PBX refused the call with a final error, or never answered the INVITE. */
    FAILED
}
