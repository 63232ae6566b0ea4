package org.hotlinecti.cti.api;

/** A request from a desktop or the API that cannot be done; the message says why, for the user. */
public class CtiRequestException extends RuntimeException {

    /** Why a request failed; the web layer maps it to an HTTP status. */
    public enum Kind {
        /** 404: no such agent, ticket or draft. */
        NOT_FOUND,
        /** 409: not allowed in the current state. */
        CONFLICT,
        /** 400: malformed input. */
        INVALID
    }

    private final Kind kind;

    public CtiRequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
