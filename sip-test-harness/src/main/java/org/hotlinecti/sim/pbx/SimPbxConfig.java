package org.hotlinecti.sim.pbx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;

/**
 * How the sim PBX is set up: what {@code pjsip.conf}, {@code manager.conf} and {@code extensions.conf} say for a real
 * Asterisk. Build with {@link #builder()}; every setting has a default that suits tests.
 *
 * @param host              address for SIP and AMI (127.0.0.1 in tests)
 * @param sipPort           SIP UDP port, 0 to pick
 * @param amiPort           AMI TCP port, 0 to pick
 * @param amiUsername       the AMI user
 * @param amiSecret         its secret
 * @param amiRead           read classes of the AMI user (manager.conf {@code read=})
 * @param amiWrite          write classes of the AMI user (manager.conf {@code write=})
 * @param dialplan          the dialplan to execute (default: the shipped deploy/asterisk/extensions.conf)
 * @param globals           global variables set on top of the dialplan's [globals] (e.g. CTI_AGI)
 * @param trunk             the endpoint calls from the carrier arrive on
 * @param endpoints         agent phone endpoints
 * @param promptDuration    how long any sound file "plays"
 * @param agiConnectTimeout how long AGI() waits to connect to the FastAGI server
 * @param asteriskVersion   reported in CoreSettings and agi_version
 * @param clock             time for Uniqueids, Timestamps and durations
 * @param recordingRoot     the directory tree RECORD FILE may write into (the Asterisk host's spool, e.g.
 *                          /var/spool/asterisk/monitor); recordings are written at the absolute path the AGI command
 *                          names, which must lie under it. Null: RECORD FILE writes no file (trace replays name
 *                          paths of the capture host)
 */
public record SimPbxConfig(String host, int sipPort, int amiPort, String amiUsername, String amiSecret,
        List<String> amiRead, List<String> amiWrite, Dialplan dialplan, Map<String, String> globals, SimEndpoint trunk,
        List<SimEndpoint> endpoints, Duration promptDuration, Duration agiConnectTimeout, String asteriskVersion,
        Clock clock, java.nio.file.Path recordingRoot) {

    /** Classpath location of the shipped dialplan (copied from deploy/asterisk by the build). */
    public static final String SHIPPED_DIALPLAN = "asterisk/extensions.conf";

    public SimPbxConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(amiUsername, "amiUsername");
        Objects.requireNonNull(amiSecret, "amiSecret");
        Objects.requireNonNull(dialplan, "dialplan");
        amiRead = List.copyOf(amiRead);
        amiWrite = List.copyOf(amiWrite);
        globals = Map.copyOf(globals);
        endpoints = List.copyOf(endpoints);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The dialplan the project ships for real Asterisk deployments. */
    public static Dialplan shippedDialplan() {
        return classpathDialplan(SHIPPED_DIALPLAN);
    }

    /** A dialplan from the classpath. */
    public static Dialplan classpathDialplan(String resource) {
        try (InputStream in = SimPbxConfig.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return DialplanParser.parse(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builder with test-friendly defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int sipPort;
        private int amiPort;
        private String amiUsername = "cti";
        private String amiSecret;
        private List<String> amiRead = List.of("all");
        private List<String> amiWrite = List.of("all");
        private Dialplan dialplan;
        private final Map<String, String> globals = new LinkedHashMap<>();
        private SimEndpoint trunk = new SimEndpoint("trunk", "from-trunk", null, null, null, null);
        private final List<SimEndpoint> endpoints = new ArrayList<>();
        private Duration promptDuration = Duration.ofMillis(300);
        private Duration agiConnectTimeout = Duration.ofSeconds(2);
        private String asteriskVersion = "22.10.1";
        private Clock clock = Clock.systemUTC();
        private java.nio.file.Path recordingRoot;

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder sipPort(int port) {
            this.sipPort = port;
            return this;
        }

        public Builder amiPort(int port) {
            this.amiPort = port;
            return this;
        }

        public Builder amiUser(String username, String secret) {
            this.amiUsername = username;
            this.amiSecret = secret;
            return this;
        }

        public Builder amiRead(List<String> classes) {
            this.amiRead = classes;
            return this;
        }

        public Builder amiWrite(List<String> classes) {
            this.amiWrite = classes;
            return this;
        }

        public Builder dialplan(Dialplan dialplan) {
            this.dialplan = dialplan;
            return this;
        }

        public Builder global(String name, String value) {
            globals.put(name, value);
            return this;
        }

        /** Where the CTI's FastAGI server listens: sets the dialplan global CTI_AGI. */
        public Builder agiServer(String host, int port) {
            return global("CTI_AGI", host + ":" + port);
        }

        public Builder trunk(SimEndpoint trunk) {
            this.trunk = trunk;
            return this;
        }

        public Builder endpoint(SimEndpoint endpoint) {
            endpoints.add(endpoint);
            return this;
        }

        public Builder promptDuration(Duration d) {
            this.promptDuration = d;
            return this;
        }

        public Builder agiConnectTimeout(Duration d) {
            this.agiConnectTimeout = d;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Lets RECORD FILE write its files under {@code root} (absolute paths only). */
        public Builder recordingRoot(java.nio.file.Path root) {
            this.recordingRoot = root;
            return this;
        }

        public SimPbxConfig build() {
            if (amiSecret == null || amiSecret.isEmpty()) {
                throw new IllegalStateException("the sim PBX needs an AMI secret (amiUser(name, secret))");
            }
            return new SimPbxConfig(host, sipPort, amiPort, amiUsername, amiSecret, amiRead, amiWrite,
                    dialplan != null ? dialplan : shippedDialplan(), globals, trunk, endpoints, promptDuration,
                    agiConnectTimeout, asteriskVersion, clock, recordingRoot);
        }
    }
}
