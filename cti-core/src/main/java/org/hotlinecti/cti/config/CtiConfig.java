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
        List<Line> lines, List<Agent> agents, Ivr ivr) {

    public record Centre(String name, String zone, String mainLine) {
    }

    /**
     * @param recordingDir the directory the PBX writes recordings into, as the PBX sees it (absolute); the IVR's
     *                     voicemail names are relative to it
     */
    public record Asterisk(Ami ami, String inboundContext, String waitContext, String connectContext,
            String recordingDir) {
    }

    public record Ami(String host, int port, String username, String secret, Duration connectTimeout,
            Duration actionTimeout, Duration keepaliveInterval, Duration keepaliveTimeout,
            Duration reconnectMaxDelay, int backlogHighWater) {
    }

    public record Agi(String bind, int port, int maxSessions) {
    }

    public record Http(String bind, int port) {
    }

    public record Database(String url, String username, String password, String dataDir, int maxPoolSize) {
    }

    public record Acd(Duration ringTimeout, Duration wrapUpMax, Duration surveyTimeout) {
    }

    /**
     * A line. {@code closed}, {@code mode}/{@code subCentre} and the transfer/end menu keys drive the interim flow
     * runner ({@link org.hotlinecti.cti.call.LineModeFlowRunner}) until the YAML flow interpreter and the calendar
     * decide them.
     */
    public record Line(String number, String name, String department, String skill, Integer minLevel,
            Integer priority, String welcomePrompt, Map<String, MenuKey> menu, Boolean closed, String mode,
            SubCentre subCentre) {
    }

    /**
     * A menu key: routes by {@code skill}, or transfers to {@code transfer} (110/119/120 ...), or ends the call with
     * reason {@code end} after the prompt {@code notice}. Exactly one of skill, transfer, end.
     */
    public record MenuKey(String label, String skill, Integer priority, String transfer, Boolean threeParty,
            Duration answerTimeout, String end, String notice) {
    }

    /** The department's own centre a 设分中心 line is sent to first. */
    public record SubCentre(String number, String trunk, Duration answerTimeout) {
    }

    public record Agent(String id, String name, String extension, Map<String, Integer> skills) {
    }

    /**
     * The IVR's own files (ivr-flows): each path empty for the version built into the jar; and the named opening
     * hours lines and queues keep.
     */
    public record Ivr(String flows, String prompts, String holidays, Map<String, Hours> hours) {
    }

    /** Opening hours: time ranges like {@code 08:30-17:30} per kind of day, or always open. */
    public record Hours(Boolean always, List<String> workdays, List<String> weekends, List<String> holidays,
            String prompt) {
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
                // transfer and end keys are not routing choices: the interim flow runner handles them
                l.menu().forEach((key, k) -> {
                    if (k.transfer() == null && k.end() == null) {
                        menu.put(key, new MenuChoice(k.label(), k.skill(), k.priority() == null ? 0 : k.priority()));
                    }
                });
            }
            all.add(new DepartmentLine(l.number(), l.name(), l.department(), l.skill(),
                    l.minLevel() == null ? 1 : l.minLevel(), l.priority() == null ? 0 : l.priority(),
                    l.welcomePrompt(), menu));
        }
        return new LineDirectory(all, centre.mainLine());
    }

    /** What the interim flow runner does on each line beyond the welcome-then-queue flow, by line number. */
    public Map<String, org.hotlinecti.cti.call.LineBehaviour> lineBehaviours() {
        Map<String, org.hotlinecti.cti.call.LineBehaviour> all = new LinkedHashMap<>();
        for (Line l : lines) {
            all.put(l.number(), org.hotlinecti.cti.call.LineBehaviour.of(l));
        }
        return all;
    }

    /** Where the IVR's flows, prompts and holidays come from (empty path: built in). */
    public org.hotlinecti.ivr.flow.IvrSources ivrSources() {
        return new org.hotlinecti.ivr.flow.IvrSources(path(ivr == null ? null : ivr.prompts()),
                path(ivr == null ? null : ivr.holidays()), java.util.Optional.empty(),
                path(ivr == null ? null : ivr.flows()));
    }

    /** The lines with the named opening hours, as the IVR's flows check and use them. */
    public org.hotlinecti.ivr.lines.LineTable ivrLineTable() {
        Map<String, org.hotlinecti.ivr.calendar.OpeningHours> hours = new LinkedHashMap<>();
        if (ivr != null && ivr.hours() != null) {
            ivr.hours().forEach((id, h) -> hours.put(id, org.hotlinecti.ivr.calendar.OpeningHours.of(id, h.prompt(),
                    Boolean.TRUE.equals(h.always()), h.workdays(), h.weekends(), h.holidays())));
        }
        LineDirectory directory = lineDirectory();
        return new org.hotlinecti.ivr.lines.LineTable(directory.mainLine().number(), directory.all(), hours);
    }

    /**
     * Loads the IVR: flows, prompts and holidays from {@link #ivrSources()}, checked against {@link #ivrLineTable()}.
     *
     * @throws org.hotlinecti.ivr.yaml.InvalidConfigException listing every problem, each with file:line
     */
    public org.hotlinecti.ivr.flow.IvrRegistry ivrRegistry(java.time.Clock clock) {
        return org.hotlinecti.ivr.flow.IvrRegistry.load(ivrSources(), ivrLineTable(), clock);
    }

    private static java.util.Optional<java.nio.file.Path> path(String file) {
        return file == null || file.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(java.nio.file.Path.of(file));
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
