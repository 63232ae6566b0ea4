package org.hotlinecti.cti.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.MenuChoice;

/**
 * The CTI's configuration, bound from YAML by {@link ConfigLoader}. Every key is documented in
 * {@code config/reference.yaml}; the records mirror its sections one to one (snake_case in YAML).
 */
public record CtiConfig(Centre centre, Asterisk asterisk, Agi agi, Http http, Database database, Acd acd,
        List<Line> lines, List<Agent> agents) {

    public record Centre(String name, String zone, String mainLine) {
    }

    public record Asterisk(Ami ami, String inboundContext, String waitContext, String connectContext) {
    }

    public record Ami(String host, int port, String username, String secret, Duration connectTimeout,
            Duration actionTimeout) {
    }

    public record Agi(String bind, int port, int maxSessions) {
    }

    public record Http(String bind, int port) {
    }

    public record Database(String url, String username, String password, String dataDir, int maxPoolSize,
            Journal journal, String queueLog) {

        /** The journal directory: {@code journal.dir}, or {@code <data_dir>/journal} when that is empty. */
        public java.nio.file.Path journalDir() {
            return journal.dir() == null || journal.dir().isBlank()
                    ? java.nio.file.Path.of(dataDir).resolve("journal") : java.nio.file.Path.of(journal.dir());
        }
    }

    /** The durable ticket journal in front of the database ({@code database.journal}). */
    public record Journal(String dir, long segmentBytes, Duration retryInitial, Duration retryMax,
            Duration ackTimeout, int batchSize) {
    }

    public record Acd(Duration ringTimeout, Duration wrapUpMax, Duration surveyTimeout) {
    }

    public record Line(String number, String name, String department, String skill, Integer minLevel,
            Integer priority, String welcomePrompt, Map<String, MenuKey> menu) {
    }

    public record MenuKey(String label, String skill, Integer priority) {
    }

    public record Agent(String id, String name, String extension, Map<String, Integer> skills) {
    }

    public ZoneId zoneId() {
        return ZoneId.of(centre.zone());
    }

    /** The lines as the IVR sees them. */
    public LineDirectory lineDirectory() {
        List<DepartmentLine> all = new ArrayList<>();
        for (Line l : lines) {
            Map<String, MenuChoice> menu = new LinkedHashMap<>();
            if (l.menu() != null) {
                l.menu().forEach((key, k) -> menu.put(key,
                        new MenuChoice(k.label(), k.skill(), k.priority() == null ? 0 : k.priority())));
            }
            all.add(new DepartmentLine(l.number(), l.name(), l.department(), l.skill(),
                    l.minLevel() == null ? 1 : l.minLevel(), l.priority() == null ? 0 : l.priority(),
                    l.welcomePrompt(), menu));
        }
        return new LineDirectory(all, centre.mainLine());
    }

    /** The seats as the ACD sees them. */
    public List<AgentProfile> agentProfiles() {
        List<AgentProfile> profiles = new ArrayList<>();
        for (Agent a : agents) {
            profiles.add(new AgentProfile(a.id(), a.name(), a.extension(), a.skills() == null ? Map.of() : a.skills()));
        }
        return profiles;
    }
}
