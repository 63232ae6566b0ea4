package org.hotlinecti.cti.asterisk.ami;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AmiClient} connects, logs in and watches its connection.
 *
 * @param host              AMI host
 * @param port              AMI port
 * @param username          the {@code manager.conf} user
 * @param secret            its secret; with {@code md5Login} it never crosses the wire
 * @param md5Login          log in with Challenge + MD5 key (default) rather than a plain {@code Secret} header
 * @param connectTimeout    TCP connect plus banner plus login
 * @param actionTimeout     default wait for one action's response
 * @param pingInterval      how often a keep-alive Ping is sent
 * @param pingTimeout       how long a Ping may stay unanswered before the connection counts as dead; with the
 *                          interval this bounds how late a dead connection is noticed
 * @param reconnectMinDelay first delay before reconnecting; doubles per failed attempt
 * @param reconnectMaxDelay longest delay between attempts
 * @param backlogHighWater  events waiting for the consumer that trigger a warning
 * @param backlogCapacity   events waiting past which the client drops the connection and resynchronises instead of
 *                          growing without bound
 */
public record AmiClientOptions(String host, int port, String username, String secret, boolean md5Login,
        Duration connectTimeout, Duration actionTimeout, Duration pingInterval, Duration pingTimeout,
        Duration reconnectMinDelay, Duration reconnectMaxDelay, int backlogHighWater, int backlogCapacity) {

    public AmiClientOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        AmiAction.requireOneLine("AMI host", host);
        AmiAction.requireOneLine("AMI username", username);
        AmiAction.requireOneLine("AMI secret", secret);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("AMI port must be 1..65535, got " + port);
        }
        for (Duration d : new Duration[] {connectTimeout, actionTimeout, pingInterval, pingTimeout,
                reconnectMinDelay, reconnectMaxDelay}) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("AMI durations must be positive, got " + d);
            }
        }
        if (backlogHighWater < 1 || backlogCapacity < backlogHighWater) {
            throw new IllegalArgumentException("need 1 <= backlogHighWater <= backlogCapacity, got "
                    + backlogHighWater + " and " + backlogCapacity);
        }
    }

    /** Defaults: MD5 login, ping every 2 s with a 2 s timeout (dead within 4 s), reconnect 100 ms..5 s. */
    public static AmiClientOptions of(String host, int port, String username, String secret, Duration connectTimeout,
            Duration actionTimeout) {
        return new AmiClientOptions(host, port, username, secret, true, connectTimeout, actionTimeout,
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(5),
                10_000, 2_000_000);
    }

    public AmiClientOptions withKeepAlive(Duration interval, Duration timeout) {
        return new AmiClientOptions(host, port, username, secret, md5Login, connectTimeout, actionTimeout, interval,
                timeout, reconnectMinDelay, reconnectMaxDelay, backlogHighWater, backlogCapacity);
    }

    public AmiClientOptions withReconnect(Duration min, Duration max) {
        return new AmiClientOptions(host, port, username, secret, md5Login, connectTimeout, actionTimeout,
                pingInterval, pingTimeout, min, max, backlogHighWater, backlogCapacity);
    }

    public AmiClientOptions withBacklog(int highWater, int capacity) {
        return new AmiClientOptions(host, port, username, secret, md5Login, connectTimeout, actionTimeout,
                pingInterval, pingTimeout, reconnectMinDelay, reconnectMaxDelay, highWater, capacity);
    }

    public AmiClientOptions withMd5Login(boolean md5) {
        return new AmiClientOptions(host, port, username, secret, md5, connectTimeout, actionTimeout, pingInterval,
                pingTimeout, reconnectMinDelay, reconnectMaxDelay, backlogHighWater, backlogCapacity);
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AmiClientOptions[" + address() + ", username=" + username + ", secret=***, md5=" + md5Login
                + ", ping=" + pingInterval + "/" + pingTimeout + "]";
    }
}
