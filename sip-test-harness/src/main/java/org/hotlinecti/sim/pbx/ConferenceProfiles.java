package org.hotlinecti.sim.pbx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The ConfBridge user profiles of a {@code confbridge.conf} ({@code type = user} sections), with the options the sim
 * honours: {@code marked}, {@code end_marked} and {@code wait_marked}. Bridge profiles and every other option (sounds,
 * DSP, recording) are for the real Asterisk; an unknown profile name acts as Asterisk's {@code default_user} (none of
 * the three).
 */
final class ConferenceProfiles {

    /** Classpath location of the shipped profiles (copied from deploy/asterisk by the build). */
    static final String SHIPPED = "asterisk/confbridge.conf";

    /** The options of one user profile the sim acts on. */
    record UserProfile(boolean marked, boolean endMarked, boolean waitMarked) {
        static final UserProfile DEFAULT = new UserProfile(false, false, false);
    }

    private final Map<String, UserProfile> users;

    private ConferenceProfiles(Map<String, UserProfile> users) {
        this.users = Map.copyOf(users);
    }

    /** The shipped profiles, or none when the file is not on the classpath. */
    static ConferenceProfiles shipped() {
        try (InputStream in = ConferenceProfiles.class.getClassLoader().getResourceAsStream(SHIPPED)) {
            return in == null ? new ConferenceProfiles(Map.of()) : parse(in, SHIPPED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads {@code [name]} sections of {@code key = value} lines ({@code ;} comments).
     *
     * @throws IllegalArgumentException with the line number for a line that is neither a section, an option nor blank
     */
    static ConferenceProfiles parse(InputStream in, String source) throws IOException {
        Map<String, Map<String, String>> sections = new HashMap<>();
        Map<String, String> current = null;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String raw;
        int lineNo = 0;
        while ((raw = reader.readLine()) != null) {
            lineNo++;
            String line = raw.replaceFirst(";.*$", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1).trim(), k -> new HashMap<>());
            } else if (line.contains("=") && current != null) {
                int eq = line.indexOf('=');
                current.put(line.substring(0, eq).trim().toLowerCase(Locale.ROOT), line.substring(eq + 1).trim());
            } else {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected [section] or key = value, got '"
                        + raw + "'");
            }
        }
        Map<String, UserProfile> users = new HashMap<>();
        sections.forEach((name, options) -> {
            if ("user".equalsIgnoreCase(options.get("type"))) {
                users.put(name, new UserProfile(yes(options.get("marked")), yes(options.get("end_marked")),
                        yes(options.get("wait_marked"))));
            }
        });
        return new ConferenceProfiles(users);
    }

    /** The user profile of that name, or the default one. */
    UserProfile user(String name) {
        return name == null ? UserProfile.DEFAULT : users.getOrDefault(name.trim(), UserProfile.DEFAULT);
    }

    private static boolean yes(String value) {
        return value != null && (value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("true")
                || value.equals("1") || value.equalsIgnoreCase("on"));
    }
}
