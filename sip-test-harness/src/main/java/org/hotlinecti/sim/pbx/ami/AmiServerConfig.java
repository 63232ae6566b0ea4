package org.hotlinecti.sim.pbx.ami;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the sim PBX's AMI server, the part of manager.conf that matters to a client.
 *
 * @param host address to bind ({@code 127.0.0.1} in tests)
 * @param port TCP port; {@code 0} picks a free one (see {@link AmiServer#port()})
 * @param users who may log in
 * @param timestampEvents {@code timestampevents = yes}: events carry {@code Timestamp: <epoch>.<micros>}
 * @param asteriskVersion the version reported by {@code CoreSettings} (e.g. {@code 22.10.1})
 * @param clock source of every timestamp, uptime and date the server writes
 * @param writeTimeout {@code writetimeout}: a session whose client does not read for this long is disconnected
 * @param maxOutboundBytes bytes a session may have waiting to be written before it is disconnected
 * @param authTimeout {@code authtimeout}: a connection not logged in after this long is closed
 * @param authFailureDelay how long a failed Login waits before answering (Asterisk sleeps 1 s)
 */
public record AmiServerConfig(String host, int port, List<AmiUser> users, boolean timestampEvents,
        String asteriskVersion, Clock clock, Duration writeTimeout, long maxOutboundBytes, Duration authTimeout,
        Duration authFailureDelay) {

    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMillis(5000);
    public static final long DEFAULT_MAX_OUTBOUND_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_AUTH_FAILURE_DELAY = Duration.ofSeconds(1);

    public AmiServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(asteriskVersion, "asteriskVersion");
        Objects.requireNonNull(clock, "clock");
        users = List.copyOf(Objects.requireNonNull(users, "users"));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        requirePositive(writeTimeout, "writeTimeout");
        requirePositive(authTimeout, "authTimeout");
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        if (authFailureDelay.isNegative()) {
            throw new IllegalArgumentException("authFailureDelay must not be negative");
        }
        if (maxOutboundBytes < 4096) {
            throw new IllegalArgumentException("maxOutboundBytes too small: " + maxOutboundBytes);
        }
        Set<String> names = new HashSet<>();
        for (AmiUser u : users) {
            if (!names.add(u.username().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("duplicate AMI user '" + u.username() + "'");
            }
        }
    }

    /** The usual settings; write timeout 5 s, 64 MiB outbound bound, auth timeout 30 s, 1 s failed-login delay. */
    public AmiServerConfig(String host, int port, List<AmiUser> users, boolean timestampEvents,
            String asteriskVersion, Clock clock) {
        this(host, port, users, timestampEvents, asteriskVersion, clock, DEFAULT_WRITE_TIMEOUT,
                DEFAULT_MAX_OUTBOUND_BYTES, DEFAULT_AUTH_TIMEOUT, DEFAULT_AUTH_FAILURE_DELAY);
    }

    public AmiServerConfig withWriteTimeout(Duration value) {
        return new AmiServerConfig(host, port, users, timestampEvents, asteriskVersion, clock, value,
                maxOutboundBytes, authTimeout, authFailureDelay);
    }

    public AmiServerConfig withMaxOutboundBytes(long value) {
        return new AmiServerConfig(host, port, users, timestampEvents, asteriskVersion, clock, writeTimeout, value,
                authTimeout, authFailureDelay);
    }

    public AmiServerConfig withAuthTimeout(Duration value) {
        return new AmiServerConfig(host, port, users, timestampEvents, asteriskVersion, clock, writeTimeout,
                maxOutboundBytes, value, authFailureDelay);
    }

    public AmiServerConfig withAuthFailureDelay(Duration value) {
        return new AmiServerConfig(host, port, users, timestampEvents, asteriskVersion, clock, writeTimeout,
                maxOutboundBytes, authTimeout, value);
    }

    /** The user named {@code username}, compared case-insensitively as Asterisk does. */
    public Optional<AmiUser> user(String username) {
        return users.stream().filter(u -> u.username().equalsIgnoreCase(username)).findFirst();
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
