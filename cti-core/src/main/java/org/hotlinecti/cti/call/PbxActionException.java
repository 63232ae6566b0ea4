package org.hotlinecti.cti.call;

/** Asterisk refused an action, or did not answer it in time. The message is Asterisk's (or says which timeout). */
public class PbxActionException extends RuntimeException {

    private final String action;

    public PbxActionException(String action, String message) {
        super(action + ": " + message);
        this.action = action;
    }

    public PbxActionException(String action, String message, Throwable cause) {
        super(action + ": " + message, cause);
        this.action = action;
    }

    /** The AMI action name, e.g. {@code Redirect}. */
    public String action() {
        return action;
    }
}
