package org.hotlinecti.cti.asterisk;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the CTI logs in to the Asterisk Manager Interface.
 *
 * @param host           AMI host name or address, e.g. {@code 127.0.0.1}
 * @param port           AMI TCP port (1..65535), normally 5038
 * @param username       the {@code manager.conf} user; it needs {@code read = system,call,...} for the events and
 *                       {@code system} (or {@code reporting}) so that CoreSettings reveals the Asterisk version
 * @param secret         that user's secret; sent only as an MD5 challenge response, never in clear
 * @param connectTimeout how long a TCP connect may take; also how long each login step may take
 * @param actionTimeout  how long to wait for the response to one AMI action before failing it
 * @param connectContext the dialplan context a waiting caller is redirected to when connected to an agent
 *                       ({@code hotline-connect} in the shipped dialplan)
 */
public record AmiSettings(String host, int port, String username, String secret, Duration connectTimeout,
        Duration actionTimeout, String connectContext) {

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
    }

    /** Settings with the shipped connect context. */
    public static AmiSettings of(String host, int port, String username, String secret, Duration connectTimeout,
            Duration actionTimeout) {
        return new AmiSettings(host, port, username, secret, connectTimeout, actionTimeout, DEFAULT_CONNECT_CONTEXT);
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
                + connectTimeout + ", actionTimeout=" + actionTimeout + ", connectContext=" + connectContext + "]";
    }
}
