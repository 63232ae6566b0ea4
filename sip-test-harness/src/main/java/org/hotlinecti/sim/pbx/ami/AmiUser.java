package org.hotlinecti.sim.pbx.ami;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code [user]} section of manager.conf: who may log in and which permission classes it may read (events) and
 * write (actions).
 *
 * <p>Classes are Asterisk's: {@code system, call, log, verbose, command, agent, user, config, dtmf, reporting, cdr,
 * dialplan, originate, agi, cc, aoc, test, security, message}, plus {@code all} (everything) and {@code none}.
 * Names are case-insensitive and stored in lower case; an unknown name is rejected.
 *
 * @param username the login name ({@code Username:}); matched case-insensitively, as Asterisk does
 * @param secret the plain secret ({@code Secret:}, or the MD5 challenge's key material)
 * @param readClasses classes of the events this user receives; {@code all} receives everything
 * @param writeClasses classes of the actions this user may send (e.g. {@code originate} for Originate)
 */
public record AmiUser(String username, String secret, Set<String> readClasses, Set<String> writeClasses) {

    public AmiUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        if (username.isBlank()) {
            throw new IllegalArgumentException("AMI username must not be blank");
        }
        readClasses = normalize(readClasses, "read");
        writeClasses = normalize(writeClasses, "write");
    }

    /** A user that reads and writes everything ({@code read = all}, {@code write = all}), as in our traces. */
    public static AmiUser all(String username, String secret) {
        return new AmiUser(username, secret, Set.of("all"), Set.of("all"));
    }

    int readMask() {
        return AmiPermissions.maskOf(readClasses);
    }

    int writeMask() {
        return AmiPermissions.maskOf(writeClasses);
    }

    private static Set<String> normalize(Set<String> classes, String what) {
        Objects.requireNonNull(classes, what + "Classes");
        Set<String> normalized = new LinkedHashSet<>();
        for (String c : classes) {
            String name = Objects.requireNonNull(c, what + " class").trim().toLowerCase(Locale.ROOT);
            if (!AmiPermissions.isKnown(name)) {
                throw new IllegalArgumentException("unknown AMI " + what + " class '" + c + "'");
            }
            normalized.add(name);
        }
        return Set.copyOf(normalized);
    }
}
