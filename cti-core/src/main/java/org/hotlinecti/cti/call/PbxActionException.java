package org.hotlinecti.cti.call;

/**
 * An action did not succeed: Asterisk refused it, it was never sent, or its outcome is unknown. The message is
 * Asterisk's own (e.g. {@code Channel does not exist: PJSIP/trunk-0000dead}) or names what happened locally.
 */
public class PbxActionException extends RuntimeException {

    /** What is known about the action's effect; callers must not treat an unknown outcome as a refusal. */
    public enum Outcome {
        /** Asterisk answered {@code Response: Error}: the action had no effect. */
        REFUSED,
        /** The action never reached Asterisk (AMI not connected, adapter closed, write failed): no effect. */
        NOT_SENT,
        /** Sent, but no answer came (timeout, connection lost before the response): it may have taken effect. */
        UNKNOWN
    }

    private final String action;
    private final Outcome outcome;

    public PbxActionException(String action, Outcome outcome, String message) {
        this(action, outcome, message, null);
    }

    public PbxActionException(String action, Outcome outcome, String message, Throwable cause) {
        super(action + ": " + message, cause);
        this.action = action;
        this.outcome = outcome;
    }

    /** The AMI action name, e.g. {@code Redirect}. */
    public String action() {
        return action;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether Asterisk refused because the channel no longer exists (it hung up, possibly unseen). */
    public boolean channelGone() {
        String m = getMessage();
        return outcome == Outcome.REFUSED && (m.contains("does not exist") || m.contains("No such channel"));
    }
}
