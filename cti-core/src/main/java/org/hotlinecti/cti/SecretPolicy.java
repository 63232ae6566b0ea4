package org.hotlinecti.cti;

import java.util.Locale;
import java.util.Set;
import org.hotlinecti.cti.config.ConfigException;

/**
 * The AMI secret gives full control of the PBX; the CTI refuses to run with one an attacker would try first.
 */
public final class SecretPolicy {

    /**
     * Secrets from Asterisk samples, FreePBX, tutorials, our own traces and the placeholder of the shipped
     * {@code deploy/asterisk/manager.conf}; compared without case.
     */
    private static final Set<String> KNOWN_DEFAULTS = Set.of("amp111", "amp109", "cti-secret", "secret", "changeme",
            "change-me", "change_me", "admin", "password", "passw0rd", "mysecret", "asterisk", "manager", "12345678",
            "123456", "1234", "12345", "00000000", "changethis", "default", "letmein",
            "change-this-ami-secret");
    private static final int MIN_LENGTH = 8;

    private SecretPolicy() {
    }

    /** @throws ConfigException naming the problem when the secret is empty, short or a known default */
    public static void check(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new ConfigException("asterisk.ami.secret is empty: set it in the config file or in HOTLINE_AMI_SECRET");
        }
        if (secret.isBlank()) {
            throw new ConfigException("asterisk.ami.secret is blank: set it in the config file or in HOTLINE_AMI_SECRET");
        }
        if (KNOWN_DEFAULTS.contains(secret.strip().toLowerCase(Locale.ROOT))) {
            throw new ConfigException("asterisk.ami.secret is a well-known default; choose a secret of your own");
        }
        if (secret.length() < MIN_LENGTH) {
            throw new ConfigException("asterisk.ami.secret is shorter than " + MIN_LENGTH + " characters");
        }
    }
}
