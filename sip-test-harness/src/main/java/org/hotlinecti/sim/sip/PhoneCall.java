package org.hotlinecti.sim.sip;

import java.time.Instant;

/**
 * One call offered to an {@link AgentPhone}, as a snapshot. Calls refused at once (busy, decline) have
 * {@code ringingAt} = the time the INVITE arrived and no {@code answeredAt}.
 *
 * @param callId     SIP Call-ID
 * @param fromNumber the From URI user part (the caller id number the PBX presented)
 * @param fromName   the From display name, or {@code null} when there was none
 * @param ringingAt  when the INVITE arrived
 * @param answeredAt when the phone sent 200 OK, or {@code null}
 * @param endedAt    when the call ended, or {@code null} while it is active
 * @param endReason  why it ended, or {@code null} while it is active
 */
public record PhoneCall(String callId, String fromNumber, String fromName, Instant ringingAt, Instant answeredAt,
        Instant endedAt, EndReason endReason) {

    /** Why a phone call ended. */
    public enum EndReason {
        /** The PBX sent BYE. */
        REMOTE_HANGUP,
        /** The phone sent BYE ({@link AgentPhone#hangup()}). */
        LOCAL_HANGUP,
        /** The PBX CANCELled while it rang. */
        CANCELLED,
        /** The phone answered 486 Busy Here (behaviour BUSY, or already in a call). */
        REJECTED_BUSY,
        /** The phone answered 603 Decline (behaviour REJECT, or hung up while ringing). */
        REJECTED_DECLINE
    }

    /** Whether the call is still ringing or talking. */
    public boolean active() {
        return endReason == null;
    }
}
