package org.hotlinecti.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hotlinecti.cti.config.ConfigException;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.config.CtiConfig;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.web.JsonCodec;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.hotlinecti.sim.sip.PhoneBehaviour;
import org.hotlinecti.sim.world.AgentSpec;
import org.hotlinecti.sim.world.CallSpec;
import org.hotlinecti.sim.world.ExternalSpec;
import org.hotlinecti.sim.world.ReadyToRing;
import org.hotlinecti.sim.world.SimAgent;
import org.hotlinecti.sim.world.SimCaller;
import org.hotlinecti.sim.world.SimWorld;

/**
 * Runs a scenario in a fresh simulated world (own sim PBX, CTI and database) and checks its expectations, plus the
 * rule every scenario obeys: each call that ended has exactly one ticket.
 */
public final class ScenarioRunner {

    private static final Duration TICKET_GRACE = Duration.ofSeconds(10);
    /** How long the agents' desktops may take to hear their final state once the calls ended. */
    private static final Duration AGENT_GRACE = Duration.ofSeconds(10);
    private static final JsonCodec JSON = new JsonCodec();

    private final ScenarioLoader loader = new ScenarioLoader();
    private final ConfigLoader configs = new ConfigLoader(name -> null);
    private final Duration promptDuration;
    private final Duration agentGrace;

    public ScenarioRunner(Duration promptDuration) {
        this(promptDuration, AGENT_GRACE);
    }

    /** @param agentGrace how long the agents' desktops may take to hear their final state once the calls ended */
    ScenarioRunner(Duration promptDuration, Duration agentGrace) {
        this.promptDuration = promptDuration;
        this.agentGrace = agentGrace;
    }

    /**
     * Loads and checks a scenario file without running it.
     *
     * @throws ScenarioException naming the problem, for malformed files and calls to lines that are not configured
     */
    public Scenario check(Path file) {
        Scenario s = loader.load(file);
        CtiConfig config;
        try {
            config = configs.load(List.of(configs.overlay(file + ": config", s.config())));
        } catch (ConfigException e) {
            throw new ScenarioException(e.getMessage());
        }
        for (int i = 0; i < s.calls().size(); i++) {
            String to = s.calls().get(i).to();
            if (config.lineDirectory().find(to).isEmpty()) {
                throw new ScenarioException(file + ": calls[" + i + "].to: " + to + " is not a configured line "
                        + "(configured: " + config.lineDirectory().all().stream().map(l -> l.number())
                                .collect(Collectors.joining(", ")) + ")");
            }
        }
        return s;
    }

    /** Runs one scenario file; invalid files give a failed result naming the problem. */
    public ScenarioResult run(Path file) {
        Instant began = Instant.now();
        Scenario s;
        try {
            s = check(file);
        } catch (ScenarioException e) {
            return new ScenarioResult(file.toString(), file.getFileName().toString(), List.of(e.getMessage()),
                    Duration.between(began, Instant.now()), 0, 0);
        }
        Path data = null;
        List<String> problems = new ArrayList<>();
        int tickets = 0;
        ReadyToRing.Figures readyToRing = null;
        try {
            data = Files.createTempDirectory("hotline-scenario-");
            Clock clock = s.start() == null ? Clock.systemUTC()
                    : Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), s.start().toInstant()));
            SimWorld.Options options = new SimWorld.Options(List.of(configs.overlay(file + ": config", s.config())),
                    agentSpecs(s), clock, data, 0, promptDuration, externalSpecs(s));
            try (SimWorld world = SimWorld.start(options, configs)) {
                Duration lastCall = Duration.ZERO;
                List<CompletableFuture<SimCaller>> placed = new ArrayList<>();
                for (Scenario.Call c : s.calls()) {
                    CallSpec spec = new CallSpec(c.from(), c.to(), c.at(), c.dtmf(), c.talk(), c.hangupAfter(),
                            c.survey());
                    placed.add(world.scheduleCall(spec));
                    lastCall = spec.at().compareTo(lastCall) > 0 ? spec.at() : lastCall;
                }
                Duration timeout = s.timeout() != null ? s.timeout() : lastCall.plusSeconds(60);
                CompletableFuture.allOf(placed.toArray(CompletableFuture[]::new))
                        .get(lastCall.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
                if (!world.awaitCallsEnded(timeout)) {
                    long open = world.callers().stream().filter(c -> !c.ended().isDone()).count();
                    problems.add(open + " call(s) still on the line after " + timeout.toSeconds() + " s");
                    world.hangUpAll();
                    world.awaitCallsEnded(Duration.ofSeconds(10));
                }
                world.awaitTickets(s.calls().size(), TICKET_GRACE);
                List<Ticket> written = world.tickets();
                tickets = written.size();
                checkOneTicketPerCall(s, written, problems);
                checkRecordings(written, world.recordingRoot(), problems);
                if (s.expect() != null) {
                    checkTickets(s.expect().tickets(), written, problems);
                    checkScreenPops(s.expect().screenPops(), world.agents(), problems);
                    checkAgents(s.expect().agents(), world.agents(), agentGrace, problems);
                    checkCallbacks(s.expect().callbacks(), world, problems);
                    checkHeard(s.expect().heard(), world.callers(), prompts(file, s), problems);
                }
                readyToRing = world.readyToRing(s.warmup() == null ? Duration.ZERO : s.warmup());
            }
        } catch (Exception e) {
            problems.add("the run failed: " + org.hotlinecti.cti.Main.oneLine(e));
        } finally {
            deleteQuietly(data);
        }
        return new ScenarioResult(file.toString(), s.name(), problems, Duration.between(began, Instant.now()),
                s.calls().size(), tickets, readyToRing);
    }

    private static List<AgentSpec> agentSpecs(Scenario s) {
        List<AgentSpec> specs = new ArrayList<>();
        for (Scenario.Agent a : s.agents() == null ? List.<Scenario.Agent>of() : s.agents()) {
            PhoneBehaviour phone = Boolean.TRUE.equals(a.noAnswer()) ? PhoneBehaviour.noAnswer()
                    : Boolean.TRUE.equals(a.busy()) ? PhoneBehaviour.busy()
                    : Boolean.TRUE.equals(a.reject()) ? PhoneBehaviour.reject()
                    : PhoneBehaviour.answerAfter(a.answerAfter() == null ? Duration.ofSeconds(1) : a.answerAfter());
            specs.add(new AgentSpec(a.id(), a.name(), a.extension(), a.skills(), phone, a.hangUpAfter(), a.wrapUp(),
                    a.ready() == null || a.ready()));
        }
        return specs;
    }

    private static List<ExternalSpec> externalSpecs(Scenario s) {
        List<ExternalSpec> specs = new ArrayList<>();
        for (Scenario.External x : s.externals() == null ? List.<Scenario.External>of() : s.externals()) {
            PhoneBehaviour phone = Boolean.TRUE.equals(x.noAnswer()) ? PhoneBehaviour.noAnswer()
                    : Boolean.TRUE.equals(x.busy()) ? PhoneBehaviour.busy()
                    : Boolean.TRUE.equals(x.reject()) ? PhoneBehaviour.reject()
                    : PhoneBehaviour.answerAfter(x.answerAfter() == null ? Duration.ofSeconds(1) : x.answerAfter());
            specs.add(new ExternalSpec(x.number(), x.trunk(), phone, x.hangUpAfter()));
        }
        return specs;
    }

    /** Every recording a ticket names exists where the PBX wrote it, as a WAV file. */
    private static void checkRecordings(List<Ticket> tickets, Path root, List<String> problems) {
        for (Ticket t : tickets) {
            String recording = t.call().recording();
            if (recording == null) {
                continue;
            }
            Path file = root.resolve(recording).normalize();
            try {
                byte[] head = file.startsWith(root) && Files.isRegularFile(file)
                        ? Arrays.copyOf(Files.readAllBytes(file), 12) : null;
                if (head == null || !new String(head, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
                        || !new String(head, 8, 4, StandardCharsets.US_ASCII).equals("WAVE")) {
                    problems.add("ticket " + t.number() + " names recording " + recording
                            + " but no WAV file is there");
                }
            } catch (IOException e) {
                problems.add("ticket " + t.number() + ": cannot read recording " + recording + ": " + e.getMessage());
            }
        }
    }

    private static void checkOneTicketPerCall(Scenario s, List<Ticket> tickets, List<String> problems) {
        Map<String, Long> placed = s.calls().stream()
                .collect(Collectors.groupingBy(c -> c.from() + "→" + c.to(), LinkedHashMap::new,
                        Collectors.counting()));
        Map<String, Long> written = tickets.stream()
                .collect(Collectors.groupingBy(t -> t.call().caller() + "→" + t.call().line(), LinkedHashMap::new,
                        Collectors.counting()));
        if (!placed.equals(written)) {
            problems.add("every call must have exactly one ticket: calls " + placed + ", tickets " + written);
        }
    }

    private static void checkTickets(List<Map<String, Object>> expected, List<Ticket> tickets,
            List<String> problems) {
        if (expected == null) {
            return;
        }
        List<Map<String, Object>> actual = new ArrayList<>(tickets.stream().map(ScenarioRunner::view).toList());
        for (Map<String, Object> want : expected) {
            Map<String, Object> match = actual.stream().filter(t -> matches(want, t)).findFirst().orElse(null);
            if (match == null) {
                problems.add("no ticket " + want + " among " + brief(tickets));
            } else {
                actual.remove(match);
            }
        }
    }

    private static void checkScreenPops(List<Map<String, Object>> expected, List<SimAgent> agents,
            List<String> problems) {
        if (expected == null) {
            return;
        }
        List<Map<String, Object>> actual = new ArrayList<>();
        for (SimAgent a : agents) {
            for (JsonNode pop : a.screenPops()) {
                Map<String, Object> v = new LinkedHashMap<>();
                pop.fields().forEachRemaining(f -> v.put(f.getKey(), plain(f.getValue())));
                v.put("desktop", a.id());
                actual.add(v);
            }
        }
        for (Map<String, Object> want : expected) {
            Map<String, Object> match = actual.stream()
                    .filter(p -> matches(want, p) && (want.get("agent") == null
                            || String.valueOf(want.get("agent")).equals(p.get("desktop"))))
                    .findFirst().orElse(null);
            if (match == null) {
                problems.add("no screen-pop " + want + " on the agents' desktops (got " + actual.size() + ": "
                        + actual.stream().map(p -> p.get("agent") + "/" + p.get("caller")).toList() + ")");
            } else {
                actual.remove(match);
            }
        }
    }

    /** Each expected agent's desktop must hear the expected state and reason (within {@code grace}). */
    private static void checkAgents(List<Map<String, Object>> expected, List<SimAgent> agents, Duration grace,
            List<String> problems) throws InterruptedException {
        if (expected == null) {
            return;
        }
        Map<String, SimAgent> byId = new LinkedHashMap<>();
        agents.forEach(a -> byId.put(a.id(), a));
        long deadline = System.nanoTime() + grace.toNanos();
        for (Map<String, Object> want : expected) {
            SimAgent agent = byId.get(String.valueOf(want.get("id")));
            String state = want.containsKey("state") ? String.valueOf(want.get("state")) : null;
            boolean checkReason = want.containsKey("reason");
            String reason = want.get("reason") == null || String.valueOf(want.get("reason")).isEmpty() ? null
                    : String.valueOf(want.get("reason"));
            boolean met = agent.awaitHeard((heardState, heardReason) -> (state == null || state.equals(heardState))
                    && (!checkReason || Objects.equals(reason, heardReason)),
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (!met) {
                problems.add("agent " + agent.id() + " is " + agent.state()
                        + (agent.reason() == null ? "" : " (" + agent.reason() + ")") + ", expected " + want);
            }
        }
    }

    /** Each expected call back must be among those due ({@code GET /api/callbacks}, as the REST API writes them). */
    private static void checkCallbacks(List<Map<String, Object>> expected, SimWorld world, List<String> problems)
            throws Exception {
        if (expected == null) {
            return;
        }
        List<Map<String, Object>> actual = new ArrayList<>();
        for (org.hotlinecti.cti.api.CallbackTask task : world.cti().calls().callbacks().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)) {
            Map<String, Object> v = new LinkedHashMap<>();
            JSON.toTree(task).fields().forEachRemaining(f -> v.put(f.getKey(), plain(f.getValue())));
            actual.add(v);
        }
        for (Map<String, Object> want : expected) {
            Map<String, Object> match = actual.stream().filter(t -> matches(want, t)).findFirst().orElse(null);
            if (match == null) {
                problems.add("no call back " + want + " is due (due: " + actual.size() + ")");
            } else {
                actual.remove(match);
            }
        }
    }

    /** The prompt catalogue of the scenario's configuration (ivr.prompts, or the built-in one). */
    private PromptCatalogue prompts(Path file, Scenario s) {
        return configs.load(List.of(configs.overlay(file + ": config", s.config()))).ivrSources().prompts()
                .map(PromptCatalogue::load).orElseGet(PromptCatalogue::loadDefault);
    }

    /** Each caller named must have heard the texts of {@code says} in order, and none of {@code not}. */
    private static void checkHeard(List<Map<String, Object>> expected, List<SimCaller> callers,
            PromptCatalogue prompts, List<String> problems) {
        if (expected == null) {
            return;
        }
        for (Map<String, Object> want : expected) {
            String number = String.valueOf(want.get("caller"));
            List<String> heard = callers.stream().filter(c -> c.spec().from().equals(number))
                    .map(c -> transcript(c.heard(), prompts)).toList();
            if (heard.isEmpty()) {
                problems.add("no call from " + number + " was placed");
                continue;
            }
            // a number that called twice: one of its calls must meet the expectation
            boolean met = heard.stream().anyMatch(t -> saysInOrder(t, texts(want.get("says")))
                    && texts(want.get("not")).stream().noneMatch(n -> find(t, n, 0) >= 0));
            if (!met) {
                problems.add("caller " + number + " heard " + heard + ", expected " + want);
            }
        }
    }

    /** The zh-CN texts of the catalogue prompts played, run together; music on hold as ♪ (once per stretch). */
    static String transcript(List<String> files, PromptCatalogue prompts) {
        StringBuilder text = new StringBuilder();
        String dir = prompts.directory() + "/";
        for (String file : files) {
            if (file.startsWith("waitexten:")) {
                if (text.isEmpty() || text.charAt(text.length() - 1) != '♪') {
                    text.append('♪');
                }
            } else if (file.startsWith(dir)) {
                prompts.text(file.substring(dir.length())).ifPresent(text::append);
            }
        }
        return text.toString();
    }

    private static List<String> texts(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(value));
    }

    private static boolean saysInOrder(String transcript, List<String> texts) {
        int from = 0;
        for (String text : texts) {
            int end = find(transcript, text, from);
            if (end < 0) {
                return false;
            }
            from = end;
        }
        return true;
    }

    /** Where {@code text} (or the regular expression after {@code ~}) ends in {@code transcript} from {@code from}. */
    private static int find(String transcript, String text, int from) {
        if (text.startsWith("~")) {
            java.util.regex.Matcher m = Pattern.compile(text.substring(1)).matcher(transcript);
            return m.find(from) ? m.end() : -1;
        }
        int at = transcript.indexOf(text, from);
        return at < 0 ? -1 : at + text.length();
    }

    private static boolean matches(Map<String, Object> want, Map<String, Object> actual) {
        for (Map.Entry<String, Object> e : want.entrySet()) {
            Object have = actual.get(e.getKey());
            if (e.getValue() instanceof List<?> list) {
                if (!String.valueOf(list.stream().map(String::valueOf).toList()).equals(String.valueOf(have))) {
                    return false;
                }
            } else if (e.getValue() instanceof String text && text.startsWith("~")) {
                if (have == null || !Pattern.compile(text.substring(1)).matcher(String.valueOf(have)).matches()) {
                    return false;
                }
            } else if (!String.valueOf(e.getValue()).equals(String.valueOf(have))) {
                return false;
            }
        }
        return true;
    }

    /** A ticket as scenario files name its fields: exactly the REST API's JSON (snake_case, flat). */
    private static Map<String, Object> view(Ticket t) {
        Map<String, Object> v = new LinkedHashMap<>();
        JSON.toTree(t).fields().forEachRemaining(f -> v.put(f.getKey(), plain(f.getValue())));
        return v;
    }

    /** Scalars as their text (YAML expectations compare as strings), arrays and objects as Java lists and maps. */
    private static Object plain(JsonNode n) {
        if (n.isNull()) {
            return null;
        }
        if (n.isValueNode()) {
            return n.asText();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>();
            n.forEach(e -> list.add(plain(e)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        n.fields().forEachRemaining(f -> map.put(f.getKey(), plain(f.getValue())));
        return map;
    }

    private static String brief(List<Ticket> tickets) {
        return tickets.stream().sorted(Comparator.comparing(t -> t.call().endedAt()))
                .map(t -> "{caller: " + t.call().caller() + ", line: " + t.call().line() + ", disposition: "
                        + t.call().disposition().wireName() + ", agent: " + t.call().agent() + ", end_stage: "
                        + t.call().endStage().wireName() + "}")
                .toList().toString();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
