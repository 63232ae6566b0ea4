package org.hotlinecti.cti.asterisk;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the CTI logs in to the Asterisk Manager Interface, and how it watches the session.
 *
 * @param host              AMI host name or address, e.g. {@code 127.0.0.1}
 * @param port              AMI TCP port (1..65535), normally 5038
 * @param username          the {@code manager.conf} user (see {@code deploy/asterisk/manager.conf} for its classes)
 * @param secret            that user's secret; sent only as an MD5 challenge response, never in clear
 * @param connectTimeout    how long a TCP connect plus banner plus login may take
 * @param actionTimeout     how long to wait for the response to one AMI action before failing it
 * @param connectContext    the dialplan context a waiting caller is redirected to when connected to an agent
 *                          ({@code hotline-connect} in the shipped dialplan)
 * @param keepAliveInterval how often a Ping is sent
 * @param keepAliveTimeout  how long a Ping may go unanswered before the connection is declared dead; interval plus
 *                          timeout bound how late a dead connection is noticed (defaults: 2 s + 2 s)
 * @param reconnectMaxDelay the longest pause between reconnect attempts (they start at 100 ms and double)
 * @param backlogHighWater  events waiting for the call model that raise a warning
 */
public record AmiSettings(String host, int port, String username, String secret, Duration connectTimeout,
        Duration actionTimeout, String connectContext, Duration keepAliveInterval, Duration keepAliveTimeout,
        Duration reconnectMaxDelay, int backlogHighWater) {

    /** The dialplan context of the shipped {@code extensions.conf} that dials an agent. */
    public static final String DEFAULT_CONNECT_CONTEXT = "hotline-connect";

    public AmiSettings {
        AsteriskInputs.requireToken("AMI host", host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("AMI port must be 1..65535, got " + port);
        }
        AsteriskInputs.requireToken("AMI username", username);
        AsteriskInputs.requireValue("AMI secret", secret);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("actionTimeout", actionTimeout);
        AsteriskInputs.requireToken("connectContext", connectContext);
        requirePositive("keepAliveInterval", keepAliveInterval);
        requirePositive("keepAliveTimeout", keepAliveTimeout);
        requirePositive("reconnectMaxDelay", reconnectMaxDelay);
        if (backlogHighWater < 1) {
            throw new IllegalArgumentException("backlogHighWater must be positive, got " + backlogHighWater);
        }
    }

    /** Settings with the shipped connect context and the default keep-alive (2 s / 2 s) and reconnect (≤ 5 s). */
    public static AmiSettings of(String host, int port, String username, String secret, Duration connectTimeout,
            Duration actionTimeout) {
        return new AmiSettings(host, port, username, secret, connectTimeout, actionTimeout, DEFAULT_CONNECT_CONTEXT,
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5), 10_000);
    }

    /** These settings with another keep-alive. */
    public AmiSettings withKeepAlive(Duration interval, Duration timeout) {
        return new AmiSettings(host, port, username, secret, connectTimeout, actionTimeout, connectContext, interval,
                timeout, reconnectMaxDelay, backlogHighWater);
    }

    /** {@code host:port}, as used in messages. */
    public String address() {
        return host + ":" + port;
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive and below 24 days, got " + value);
        }
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AmiSettings[" + address() + ", username=" + username + ", secret=***, connectTimeout="
                + connectTimeout + ", actionTimeout=" + actionTimeout + ", connectContext=" + connectContext
                + ", keepAlive=" + keepAliveInterval + "/" + keepAliveTimeout + "]";
    }
}
