package org.hotlinecti.cti.asterisk.agi;

import java.util.List;
import java.util.Objects;

/**
 * How the FastAGI server listens (config section {@code agi}).
 *
 * @param bind         address to listen on: the address Asterisk reaches the CTI at ({@code 0.0.0.0} for all)
 * @param port         TCP port, {@code 0} to let the system pick one
 * @param maxSessions  how many callers may be in the IVR at once; more get the "busy" answer
 * @param allowedPeers IP addresses and CIDR blocks Asterisk connects from; other peers are refused
 */
public record FastAgiSettings(String bind, int port, int maxSessions, List<String> allowedPeers) {

    /** @throws IllegalArgumentException when a value is out of range or an allowed peer is not an IP/CIDR */
    public FastAgiSettings {
        Objects.requireNonNull(bind, "bind");
        if (bind.isBlank() || bind.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("FastAGI bind address must be one address, got '" + bind + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("FastAGI port must be 0..65535, got " + port);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("FastAGI max sessions must be at least 1, got " + maxSessions);
        }
        allowedPeers = List.copyOf(Objects.requireNonNull(allowedPeers, "allowedPeers"));
        PeerAllowList.parse(allowedPeers);
    }

    /** Loopback only: for tests and the simulated PBX on the same machine. */
    public static FastAgiSettings loopback(int port, int maxSessions) {
        return new FastAgiSettings("127.0.0.1", port, maxSessions, List.of("127.0.0.1", "::1"));
    }
}
