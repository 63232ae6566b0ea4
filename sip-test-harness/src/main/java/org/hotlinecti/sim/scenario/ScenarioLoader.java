package org.hotlinecti.sim.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hotlinecti.cti.config.DurationDeserializer;
import org.hotlinecti.cti.config.YamlPaths;

/**
 * Reads and checks scenario files. Syntax errors and unknown keys name the file, line and column; other mistakes
 * name the file and the path of the bad value (e.g. {@code calls[2].from}).
 */
public final class ScenarioLoader {

    private static final Pattern NUMBER = Pattern.compile("[0-9]{3,20}");
    private static final Pattern KEYS = Pattern.compile("[0-9*#]+");
    /** The fields of a ticket in the REST API's JSON; expectations may name any of them. */
    private static final Set<String> TICKET_FIELDS = Set.of("number", "created_at", "linked_id", "draft_id",
            "caller", "line", "line_name", "department", "skill", "ivr_path", "disposition", "end_stage", "ended_by",
            "agent", "started_at", "queued_at", "answered_at", "ended_at", "queue_wait_seconds", "talk_seconds",
            "survey_score", "callback_required", "form", "recording", "transfer_target", "handled_by");
    /** The fields of a screen-pop message on the agent desktop socket. */
    private static final Set<String> POP_FIELDS = Set.of("agent", "draft_id", "linked_id", "caller", "line",
            "line_name", "department", "skill", "ivr_path", "wait_seconds", "answered_at", "earlier_tickets");

    /** What a heard expectation may name: the caller, texts it heard in order, texts it must not have heard. */
    private static final Set<String> HEARD_FIELDS = Set.of("caller", "says", "not");
    /** What an agent expectation may name: the agent and the state its desktop heard last. */
    private static final Set<String> AGENT_FIELDS = Set.of("id", "state", "reason");
    /** The fields of a due call back in {@code GET /api/callbacks}. */
    private static final Set<String> CALLBACK_FIELDS = Set.of("call_id", "queue", "caller", "line", "due_at",
            "waited_seconds");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()));

    public Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file + ": no such file");
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage());
        }
        Scenario s;
        try {
            s = yaml.readValue(text, Scenario.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ScenarioException(where(file, e) + "unknown key '" + e.getPropertyName() + "' (known here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", ")) + ")");
        } catch (JsonProcessingException e) {
            throw new ScenarioException(where(file, e) + e.getOriginalMessage().replace('\n', ' '));
        }
        if (s == null) {
            throw new ScenarioException(file + ": empty scenario");
        }
        validate(s, file.toString());
        return s;
    }

    private static String where(Path file, JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? YamlPaths.of(m) : "";
        String loc = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":"
                + e.getLocation().getColumnNr();
        return file + loc + ": " + (path.isEmpty() ? "" : path + ": ");
    }


    private static void validate(Scenario s, String file) {
        require(s.name() != null && !s.name().isBlank(), file, "name: every scenario needs a name");
        require(s.calls() != null && !s.calls().isEmpty(), file, "calls: at least one call is needed");
        Set<String> ids = new HashSet<>();
        List<Scenario.Agent> agents = s.agents() == null ? List.of() : s.agents();
        for (int i = 0; i < agents.size(); i++) {
            Scenario.Agent a = agents.get(i);
            String at = "agents[" + i + "]";
            require(a.id() != null && !a.id().isBlank(), file, at + ".id is missing");
            require(ids.add(a.id()), file, at + ": agent id " + a.id() + " is used twice");
            require(a.skills() != null && !a.skills().isEmpty(), file, at + ".skills: an agent needs a skill");
            a.skills().forEach((skill, level) -> require(level != null && level >= 1 && level <= 10, file,
                    at + ".skills." + skill + ": level must be 1..10"));
            int behaviours = (a.answerAfter() != null ? 1 : 0) + (isTrue(a.noAnswer()) ? 1 : 0)
                    + (isTrue(a.busy()) ? 1 : 0) + (isTrue(a.reject()) ? 1 : 0);
            require(behaviours <= 1, file, at + ": choose one of answer_after, no_answer, busy, reject");
            String ext = a.extension() == null ? a.id() : a.extension();
            require(ext.matches("[0-9]{1,20}"), file, at + ".extension must be digits, was " + ext);
        }
        Set<String> numbers = new HashSet<>();
        List<Scenario.External> externals = s.externals() == null ? List.of() : s.externals();
        for (int i = 0; i < externals.size(); i++) {
            Scenario.External x = externals.get(i);
            String at = "externals[" + i + "]";
            require(x.number() != null && NUMBER.matcher(x.number()).matches(), file,
                    at + ".number must be a phone number (3-20 digits), was " + x.number());
            require(x.trunk() == null || x.trunk().matches("[A-Za-z0-9_.-]{1,64}"), file,
                    at + ".trunk must be a PJSIP endpoint name, was " + x.trunk());
            require(numbers.add((x.trunk() == null ? "trunk" : x.trunk()) + "/" + x.number()), file,
                    at + ": number " + x.number() + " is listed twice on its trunk");
            int behaviours = (x.answerAfter() != null ? 1 : 0) + (isTrue(x.noAnswer()) ? 1 : 0)
                    + (isTrue(x.busy()) ? 1 : 0) + (isTrue(x.reject()) ? 1 : 0);
            require(behaviours <= 1, file, at + ": choose one of answer_after, no_answer, busy, reject");
        }
        for (int i = 0; i < s.calls().size(); i++) {
            Scenario.Call c = s.calls().get(i);
            String at = "calls[" + i + "]";
            require(c.from() != null && NUMBER.matcher(c.from()).matches(), file,
                    at + ".from must be a phone number (3-20 digits), was " + c.from());
            require(c.to() != null && NUMBER.matcher(c.to()).matches(), file,
                    at + ".to must be a line number (3-20 digits), was " + c.to());
            require(c.at() == null || !c.at().isNegative(), file, at + ".at must not be negative");
            for (String keys : c.dtmf() == null ? List.<String>of() : c.dtmf()) {
                require(keys != null && KEYS.matcher(keys).matches(), file,
                        at + ".dtmf: '" + keys + "' is not a key sequence (0-9, *, #)");
            }
            require(c.survey() == null || c.survey().matches("[1-5]"), file,
                    at + ".survey must be a key 1..5, was " + c.survey());
        }
        if (s.expect() != null) {
            checkFields(s.expect().tickets(), TICKET_FIELDS, file, "expect.tickets");
            checkFields(s.expect().screenPops(), POP_FIELDS, file, "expect.screen_pops");
            checkFields(s.expect().agents(), AGENT_FIELDS, file, "expect.agents");
            checkFields(s.expect().callbacks(), CALLBACK_FIELDS, file, "expect.callbacks");
            checkFields(s.expect().heard(), HEARD_FIELDS, file, "expect.heard");
            Set<String> callers = s.calls().stream().map(Scenario.Call::from).collect(Collectors.toSet());
            List<Map<String, Object>> heard = s.expect().heard() == null ? List.of() : s.expect().heard();
            for (int i = 0; i < heard.size(); i++) {
                Object caller = heard.get(i).get("caller");
                require(caller != null && callers.contains(String.valueOf(caller)), file, "expect.heard[" + i
                        + "].caller: " + (caller == null ? "missing" : "no call from " + caller + " in calls"));
                for (String key : List.of("says", "not")) {
                    Object texts = heard.get(i).get(key);
                    require(texts == null || texts instanceof String || (texts instanceof List<?> list
                            && list.stream().allMatch(t -> t instanceof String)), file, "expect.heard[" + i + "]."
                            + key + " must be a text or a list of texts");
                }
            }
            List<Map<String, Object>> expectedAgents = s.expect().agents() == null ? List.of() : s.expect().agents();
            for (int i = 0; i < expectedAgents.size(); i++) {
                Object id = expectedAgents.get(i).get("id");
                require(id != null && ids.contains(String.valueOf(id)), file, "expect.agents[" + i + "].id: "
                        + (id == null ? "missing" : "no agent " + id + " in agents (known: " + ids.stream().sorted()
                                .collect(Collectors.joining(", ")) + ")"));
            }
        }
    }

    private static void checkFields(List<Map<String, Object>> expected, Set<String> known, String file, String at) {
        if (expected == null) {
            return;
        }
        for (int i = 0; i < expected.size(); i++) {
            for (String key : expected.get(i).keySet()) {
                require(known.contains(key), file, at + "[" + i + "]: unknown field '" + key + "' (known: "
                        + known.stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        }
    }

    private static boolean isTrue(Boolean b) {
        return b != null && b;
    }

    private static void require(boolean ok, String file, String message) {
        if (!ok) {
            throw new ScenarioException(file + ": " + message);
        }
    }
}
