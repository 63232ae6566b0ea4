package org.hotlinecti.cti.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinecti.acd.AcdSettings;
import org.hotlinecti.acd.AcdSetup;
import java.util.Optional;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.acd.BackoffPolicy;
import org.hotlinecti.acd.Diversion;
import org.hotlinecti.acd.ExitTarget;
import org.hotlinecti.acd.QueueConfig;
import org.hotlinecti.acd.RelaxationStep;
import org.hotlinecti.acd.ReserveRule;
import org.hotlinecti.acd.Schedule;
import org.hotlinecti.acd.SkillRequirement;
import org.hotlinecti.acd.Strategy;
import org.hotlinecti.acd.TimeWindows;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.LineMode;
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

    /** {@code allowedPeers}: IP addresses and CIDR blocks Asterisk may connect from (default 127.0.0.1). */
    public record Agi(String bind, int port, int maxSessions, List<String> allowedPeers) {
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

    /**
     * The {@code acd:} section. Beyond the call model's timings: the routing engine's settings, time-boxed pools and
     * queues (see {@link #acdSetup()}).
     */
    public record Acd(Duration ringTimeout, Duration wrapUpMax, Duration surveyTimeout, Duration serviceLevel,
            Duration priorityBoost, String defaultStrategy, Backoff backoff, List<Pool> pools,
            List<QueueDef> queues, Announce announce) {
    }

    /**
     * {@code acd.announce}: what a waiting caller is told of its place (您前面还有3位) and expected wait (预计等待2分钟),
     * and when: {@code first_after} in the queue, then every {@code interval} (0s: never).
     */
    public record Announce(Duration interval, Duration firstAfter, boolean position, boolean expectedWait) {
    }

    /** {@code acd.backoff}: how long an agent who did not take an offer stays not ready (empty = until it readies). */
    public record Backoff(Duration noAnswer, Duration busy, Duration rejected, Duration unreachable,
            Integer autoBreakAfter) {
    }

    /** {@code acd.pools[]}: a skill whose holders qualify only inside the windows (领导接听日). */
    public record Pool(String skill, List<Window> windows) {
    }

    /** A daily window {@code from}-{@code to} (HH:mm), limited to weekdays (MON..SUN) and/or dates (yyyy-MM-dd). */
    public record Window(List<String> days, List<String> dates, String from, String to) {
    }

    /** {@code acd.queues[]}: a routing target; a queue named like a line's skill serves that line. */
    public record QueueDef(String name, String strategy, Duration boost, Duration wrapUpMax, List<StepDef> steps,
            Duration maxWait, String maxWaitTarget, DiversionDef diversion, List<Window> open, String closedTarget,
            List<ReserveDef> reserves, Duration rejoinWindow) {
    }

    /** A relaxation step: from {@code after} on, an agent with any of the skills at the given minimum level. */
    public record StepDef(Duration after, Map<String, Integer> anyOf) {
    }

    public record DiversionDef(Duration maxEstimatedWait, Double maxCallsPerAgent, String target) {
    }

    public record ReserveDef(String skill, Integer minLevel, String basis, Duration activateAbove,
            Duration deactivateAtOrBelow) {
    }

    /**
     * A line the centre answers; the keys mean what they mean in the ivr-flows line table (docs/ivr-flows.md).
     *
     * @param mode           main, merged (整体并入, the default), parallel (双号并行) or sub_centre (设分中心); main
     *                       for the centre's main line
     * @param hours          an id of {@code ivr.hours}, or {@code 7x24} (the default)
     * @param flow           the IVR flow the line runs (default by mode: main, merged, parallel, sub-centre)
     * @param mergedNotice   sound file telling callers the number has merged into 12345 (merged lines)
     * @param poolWhenClosed out of hours, the caller may press 0 for the 12345 pool instead of voicemail
     * @param poolFallback   a sub-centre that does not answer or is closed falls back to the 12345 pool (default true)
     */
    public record Line(String number, String name, String department, String skill, Integer minLevel,
            Integer priority, String welcomePrompt, Map<String, MenuKey> menu, String mode, String hours, String flow,
            String mergedNotice, SubCentre subCentre, Boolean poolWhenClosed, Boolean poolFallback) {
    }

    /** A key pressed during the line's welcome ({@code line_menu} node of the flows): routes by {@code skill}. */
    public record MenuKey(String label, String skill, Integer priority) {
    }

    /**
     * The department's own centre a 设分中心 line is sent to first.
     *
     * @param trunk the PJSIP endpoint that reaches it; empty: the carrier trunk ({@code CTI_DEFAULT_TRUNK})
     */
    public record SubCentre(String number, String trunk, Duration answerTimeout) {
    }

    public record Agent(String id, String name, String extension, Map<String, Integer> skills) {
    }

    /**
     * The IVR's own files (ivr-flows): each path empty for the version built into the jar; how often the CTI checks
     * them for changes (zero: never); and the named opening hours lines and queues keep.
     */
    public record Ivr(String flows, String prompts, String holidays, Duration reloadCheck, Map<String, Hours> hours) {
    }

    /** Opening hours: time ranges like {@code 08:30-17:30} per kind of day, or always open. */
    public record Hours(Boolean always, List<String> workdays, List<String> weekends, List<String> holidays,
            String prompt) {
    }

    public ZoneId zoneId() {
        return ZoneId.of(centre.zone());
    }

    /** How long a sub-centre rings before the caller falls back to the 12345 pool, when the line does not say. */
    static final Duration DEFAULT_SUB_CENTRE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * The lines as the IVR sees them.
     *
     * @throws IllegalArgumentException naming the line and key when a line is inconsistent
     */
    public LineDirectory lineDirectory() {
        List<DepartmentLine> all = new ArrayList<>();
        for (Line l : lines) {
            all.add(departmentLine(l, centre.mainLine()));
        }
        return new LineDirectory(all, centre.mainLine());
    }

    private static DepartmentLine departmentLine(Line l, String mainLine) {
        String at = "line " + l.number();
        Map<String, MenuChoice> menu = new LinkedHashMap<>();
        if (l.menu() != null) {
            l.menu().forEach((key, k) -> {
                if (k == null || k.label() == null || k.skill() == null) {
                    throw new IllegalArgumentException(at + ": menu key " + key + " needs label and skill");
                }
                menu.put(key, new MenuChoice(k.label(), k.skill(), k.priority() == null ? 0 : k.priority()));
            });
        }
        LineMode mode = lineMode(l, mainLine);
        Optional<SubCentre> sc = Optional.ofNullable(l.subCentre());
        if (mode == LineMode.SUB_CENTRE && sc.isEmpty()) {
            throw new IllegalArgumentException(at + ": mode sub_centre needs sub_centre: {number, trunk, "
                    + "answer_timeout}");
        }
        if (mode != LineMode.SUB_CENTRE && sc.isPresent()) {
            throw new IllegalArgumentException(at + ": sub_centre is only for mode sub_centre");
        }
        Optional<org.hotlinecti.ivr.SubCentre> subCentre = sc.map(s -> {
            Duration timeout = s.answerTimeout() == null ? DEFAULT_SUB_CENTRE_TIMEOUT : s.answerTimeout();
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException(at + ": sub_centre.answer_timeout must be whole positive seconds "
                        + "(Dial takes seconds), was " + timeout);
            }
            if (s.number() == null) {
                throw new IllegalArgumentException(at + ": sub_centre.number is missing");
            }
            return new org.hotlinecti.ivr.SubCentre(s.number(),
                    Optional.ofNullable(s.trunk()).filter(t -> !t.isBlank()), timeout);
        });
        // as in the ivr-flows line table: merged and sub-centre lines greet as 12345, the others with their own
        String welcome = l.welcomePrompt() != null ? l.welcomePrompt()
                : "hotline/welcome-" + (mode == LineMode.MERGED || mode == LineMode.SUB_CENTRE ? mainLine : l.number());
        return new DepartmentLine(l.number(), l.name(), l.department(), l.skill(),
                l.minLevel() == null ? 1 : l.minLevel(), l.priority() == null ? 0 : l.priority(), welcome, menu,
                mode, l.hours(), l.flow(), Optional.ofNullable(l.mergedNotice()).filter(n -> !n.isBlank()),
                subCentre, Boolean.TRUE.equals(l.poolWhenClosed()), !Boolean.FALSE.equals(l.poolFallback()));
    }

    private static LineMode lineMode(Line l, String mainLine) {
        if (l.mode() == null) {
            return l.number() != null && l.number().equals(mainLine) ? LineMode.MAIN : LineMode.MERGED;
        }
        for (LineMode m : LineMode.values()) {
            if (m.yamlName().equals(l.mode())) {
                return m;
            }
        }
        throw new IllegalArgumentException("line " + l.number() + ": mode '" + l.mode()
                + "' is not one of main, merged (整体并入), parallel (双号并行), sub_centre (设分中心)");
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
     * Loads the IVR: flows, prompts and holidays from {@link #ivrSources()}, checked against {@link #ivrLineTable()};
     * its calendar tells the time in the centre's zone.
     *
     * @throws org.hotlinecti.ivr.yaml.InvalidConfigException listing every problem, each with file:line
     */
    public org.hotlinecti.ivr.flow.IvrRegistry ivrRegistry(java.time.Clock clock) {
        // opening hours are the centre's local hours, whatever zone the given clock reports in
        return org.hotlinecti.ivr.flow.IvrRegistry.load(ivrSources(), ivrLineTable(), clock.withZone(zoneId()));
    }

    private static java.util.Optional<java.nio.file.Path> path(String file) {
        return file == null || file.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(java.nio.file.Path.of(file));
    }

    /**
     * The routing engine's configuration. Exits go to another queue ({@code queue:NAME}) or to voicemail (the caller
     * is redirected to {@code hotline-queue-exit,voicemail}) or to a call back (a task in {@code GET /api/callbacks};
     * the caller hears the confirmation at {@code hotline-queue-exit,callback} and the call ends).
     *
     * @throws IllegalArgumentException naming the key when a value is wrong
     */
    public AcdSetup acdSetup() {
        Acd a = acd;
        Backoff b = a.backoff() == null ? new Backoff(null, null, null, null, 0) : a.backoff();
        AcdSettings settings = new AcdSettings(a.priorityBoost(), a.serviceLevel(),
                new BackoffPolicy(b.noAnswer(), b.busy(), b.rejected(), b.unreachable(),
                        b.autoBreakAfter() == null ? 0 : b.autoBreakAfter()),
                Strategy.byName(a.defaultStrategy()), a.wrapUpMax(), Duration.ofSeconds(180));
        Map<String, Schedule> pools = new LinkedHashMap<>();
        List<Pool> poolDefs = a.pools() == null ? List.of() : a.pools();
        for (int i = 0; i < poolDefs.size(); i++) {
            Pool p = poolDefs.get(i);
            String where = "acd.pools[" + i + "]";
            require(p.skill() != null && !p.skill().isBlank(), where + ".skill is empty");
            pools.put(p.skill(), schedule(p.windows(), where + ".windows"));
        }
        List<QueueDef> defs = a.queues() == null ? List.of() : a.queues();
        java.util.Set<String> names = new java.util.HashSet<>();
        defs.forEach(q -> names.add(q.name()));
        List<QueueConfig> queues = new ArrayList<>();
        for (int i = 0; i < defs.size(); i++) {
            QueueDef q = defs.get(i);
            String where = "acd.queues[" + i + "]";
            try {
                queues.add(queue(q, settings, names, where));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(where + " (" + q.name() + "): " + e.getMessage(), e);
            }
        }
        return new AcdSetup(settings, queues, pools);
    }

    private QueueConfig queue(QueueDef q, AcdSettings settings, java.util.Set<String> names, String where) {
        require(q.name() != null && !q.name().isBlank(), "name is empty");
        require(q.steps() != null && !q.steps().isEmpty(), "steps: at least one step is needed");
        require(q.open() == null || q.closedTarget() != null, "open needs a closed_target (queue:NAME, voicemail or callback)");
        List<RelaxationStep> steps = new ArrayList<>();
        for (StepDef st : q.steps()) {
            require(st.anyOf() != null && !st.anyOf().isEmpty(), "steps: any_of is empty");
            List<SkillRequirement> any = new ArrayList<>();
            st.anyOf().forEach((skill, level) -> any.add(new SkillRequirement(skill, level)));
            steps.add(new RelaxationStep(st.after() == null ? Duration.ZERO : st.after(), any));
        }
        List<ReserveRule> reserves = new ArrayList<>();
        for (ReserveDef r : q.reserves() == null ? List.<ReserveDef>of() : q.reserves()) {
            reserves.add(new ReserveRule(r.skill(), r.minLevel() == null ? 1 : r.minLevel(),
                    ReserveRule.Basis.valueOf((r.basis() == null ? "oldest_wait" : r.basis())
                            .toUpperCase(java.util.Locale.ROOT)),
                    r.activateAbove(), r.deactivateAtOrBelow() == null ? r.activateAbove() : r.deactivateAtOrBelow()));
        }
        DiversionDef d = q.diversion();
        return new QueueConfig(q.name(), steps,
                Strategy.byName(q.strategy() == null ? settings.defaultStrategy().wireName() : q.strategy()),
                q.boost(), q.wrapUpMax() == null ? settings.defaultWrapUpMax() : q.wrapUpMax(), q.maxWait(),
                target(q.maxWaitTarget(), names, "max_wait_target"),
                d == null ? null : new Diversion(d.maxEstimatedWait(), d.maxCallsPerAgent(),
                        target(d.target(), names, "diversion.target")),
                q.open() == null ? null : schedule(q.open(), "open"),
                target(q.closedTarget(), names, "closed_target"),
                reserves, q.rejoinWindow());
    }

    private static ExitTarget target(String text, java.util.Set<String> names, String key) {
        if (text == null) {
            return null;
        }
        ExitTarget t = ExitTarget.parse(text);
        require(t.kind() != ExitTarget.Kind.QUEUE || names.contains(t.queue()),
                key + ": no queue named '" + t.queue() + "' under acd.queues");
        return t;
    }

    private Schedule schedule(List<Window> windows, String where) {
        require(windows != null && !windows.isEmpty(), where + ": at least one window is needed");
        List<TimeWindows.Window> out = new ArrayList<>();
        for (Window w : windows) {
            java.util.Set<java.time.DayOfWeek> days = new java.util.HashSet<>();
            for (String day : w.days() == null ? List.<String>of() : w.days()) {
                days.add(dayOfWeek(day, where));
            }
            java.util.Set<java.time.LocalDate> dates = new java.util.HashSet<>();
            try {
                for (String date : w.dates() == null ? List.<String>of() : w.dates()) {
                    dates.add(java.time.LocalDate.parse(date));
                }
                out.add(new TimeWindows.Window(days, dates, java.time.LocalTime.parse(w.from()),
                        java.time.LocalTime.parse(w.to())));
            } catch (java.time.format.DateTimeParseException | NullPointerException e) {
                throw new IllegalArgumentException(where + ": dates are yyyy-MM-dd and times HH:mm ("
                        + e.getMessage() + ")");
            }
        }
        return new TimeWindows(zoneId(), out);
    }

    private static java.time.DayOfWeek dayOfWeek(String day, String where) {
        for (java.time.DayOfWeek d : java.time.DayOfWeek.values()) {
            if (d.name().startsWith(day.toUpperCase(java.util.Locale.ROOT)) && day.length() >= 3) {
                return d;
            }
        }
        throw new IllegalArgumentException(where + ": '" + day + "' is not a weekday (MON..SUN)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
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
