package org.hotlinecti.acd;

/** A request the engine cannot honour: unknown agent or call, or a transition the agent's state forbids. */
public class AcdException extends RuntimeException {

    /** What kind of refusal this is, so adapters can map it (e.g. to HTTP 404 or 409). */
    public enum Kind { UNKNOWN_AGENT, UNKNOWN_CALL, ILLEGAL_STATE }

    private final Kind kind;

    public AcdException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
