package org.hotlinecti.cti.asterisk.ami;

/**
 * Receives what an {@link AmiClient} reads, on the client's one consumer thread ({@code ami-events-<host:port>}), in
 * stream order: {@code connected}, then the session's events, then {@code disconnected}; again after each reconnect.
 * Never called on the socket's event loop, so it may take its time (the reader keeps reading and buffers meanwhile).
 */
public interface AmiListener {

    /** Logged in (again); {@code asteriskVersion} from CoreSettings, or empty when Asterisk did not tell. */
    void connected(String asteriskVersion);

    /** An event (any packet with {@code Event:} that is not part of a list action's answer). */
    void event(AmiMessage event);

    /**
     * The session ended.
     *
     * @param reason    in one line, e.g. {@code no answer to keep-alive Ping within 2000 ms}
     * @param requested true when the CTI itself closed the client
     */
    void disconnected(String reason, boolean requested);
}
