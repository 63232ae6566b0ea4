package org.hotlinecti.ivr.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hotlinecti.ivr.LineMode;
import org.hotlinecti.ivr.calendar.DayKind;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlNode;
import org.hotlinecti.ivr.yaml.YamlValues;

/**
 * Reads a flow file into a {@link FlowSet} and validates it as a whole, reporting every problem with its
 * {@code file:line}: unknown node types and keys, missing fields, targets that name no node, unknown prompts,
 * unknown flows and hours, loops that could spin without the caller pressing anything (errors), and nodes no path
 * reaches (warnings). See {@code docs/ivr-flows.md} for the format.
 */
public final class FlowLoader {

    static final Map<String, Set<String>> KEYS = Map.ofEntries(
            Map.entry("play", Set.of("prompts", "next")),
            Map.entry("line_menu", Set.of("prompt", "next")),
            Map.entry("menu", Set.of("prompt", "keys", "timeout", "retries", "invalid_prompt", "no_input",
                    "on_invalid")),
            Map.entry("read_digits", Set.of("prompt", "format", "length", "terminator", "timeout", "retries",
                    "invalid_prompt", "store", "next", "on_failure")),
            Map.entry("set_data", Set.of("data", "variables", "next")),
            Map.entry("route", Set.of("skill", "min_level", "priority", "priority_boost", "pool", "queue", "data")),
            Map.entry("transfer", Set.of("prompt", "number", "sub_centre", "label", "three_party", "answer_timeout",
                    "fallback")),
            Map.entry("voicemail", Set.of("prompt", "max_length", "silence", "beep", "reason", "thanks")),
            Map.entry("survey", Set.of("prompt", "thanks", "timeout", "retries", "invalid_prompt", "next")),
            Map.entry("hangup", Set.of("prompts", "reason")),
            Map.entry("branch", Set.of("cases", "otherwise")),
            Map.entry("goto", Set.of("flow")));

    private static final Set<String> CONDITION_KEYS = Set.of("open", "hours_open", "day", "line", "line_mode",
            "line_has", "caller", "data");
    private static final Set<String> LINE_FEATURES = Set.of("merged_notice", "sub_centre", "pool_when_closed",
            "pool_fallback", "menu");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern DATA_KEY = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern CALLER = Pattern.compile("[0-9X]*\\*?");
    private static final Pattern REASON = Pattern.compile("[a-z0-9_:.-]+");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final PromptCatalogue catalogue;
    private final Set<String> knownHours;
    private final Problems problems;
    private final List<Ref> refs = new ArrayList<>();
    private final List<Ref> gotos = new ArrayList<>();
    private final List<Ref> fallbacks = new ArrayList<>();

    /** A reference to check once every node is known. */
    private record Ref(String source, int line, String flow, String target, String what) {
    }

    private FlowLoader(PromptCatalogue catalogue, Set<String> knownHours, Problems problems) {
        this.catalogue = catalogue;
        this.knownHours = knownHours;
        this.problems = problems;
    }

    /**
     * Parses and validates a flow file.
     *
     * @param knownHours the hours ids conditions may name ({@code 7x24} included)
     * @return the flows, empty when there is any error (warnings alone do not stop it)
     */
    public static Optional<FlowSet> parse(YamlNode root, PromptCatalogue catalogue, Set<String> knownHours,
            Problems problems) {
        return new FlowLoader(catalogue, knownHours, problems).load(root);
    }

    private Optional<FlowSet> load(YamlNode root) {
        Optional<YamlNode.Mapping> top = YamlValues.mapping(root, problems, "the flow file");
        if (top.isEmpty()) {
            return Optional.empty();
        }
        top.get().checkKeys(problems, "flow file", Set.of("flows"));
        Optional<YamlNode.Mapping> flowsNode = top.get().get("flows")
                .flatMap(f -> YamlValues.mapping(f, problems, "flows"));
        if (flowsNode.isEmpty()) {
            if (!top.get().has("flows")) {
                problems.error(top.get(), "flow file: 'flows' is required");
            }
            return Optional.empty();
        }
        Map<String, Flow> flows = new LinkedHashMap<>();
        for (String flowId : flowsNode.get().keys()) {
            int line = flowsNode.get().lineOf(flowId);
            if (!ID.matcher(flowId).matches()) {
                problems.error(root.source(), line, "flow id '" + flowId
                        + "' must be lower-case letters, digits, '-' and '_'");
            }
            YamlValues.mapping(flowsNode.get().entries().get(flowId), problems, "flow " + flowId)
                    .flatMap(f -> flow(flowId, f)).ifPresent(f -> flows.put(flowId, f));
        }
        checkReferences(flows);
        if (problems.hasErrors()) {
            return Optional.empty();
        }
        checkLoopsAndReachability(flows);
        return problems.hasErrors() ? Optional.empty() : Optional.of(new FlowSet(flows));
    }

    private Optional<Flow> flow(String flowId, YamlNode.Mapping f) {
        String what = "flow " + flowId;
        f.checkKeys(problems, what, Set.of("start", "nodes", "description"));
        Optional<String> start = YamlValues.string(f, "start", problems, what, true);
        start.ifPresent(s -> refs.add(new Ref(f.source(), f.lineOf("start"), flowId, s, what + ": start")));
        Optional<YamlNode.Mapping> nodesNode = f.get("nodes").flatMap(n -> YamlValues.mapping(n, problems,
                what + " nodes"));
        if (nodesNode.isEmpty()) {
            if (!f.has("nodes")) {
                problems.error(f, what + ": 'nodes' is required");
            }
            return Optional.empty();
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (String nodeId : nodesNode.get().keys()) {
            if (!ID.matcher(nodeId).matches()) {
                problems.error(f.source(), nodesNode.get().lineOf(nodeId), what + ": node id '" + nodeId
                        + "' must be lower-case letters, digits, '-' and '_'");
            }
            YamlValues.mapping(nodesNode.get().entries().get(nodeId), problems, what + " node " + nodeId)
                    .flatMap(n -> node(flowId, nodeId, n)).ifPresent(n -> nodes.put(nodeId, n));
        }
        return start.map(s -> new Flow(flowId, s, nodes, f.source(), f.line()));
    }

    private Optional<Node> node(String flowId, String nodeId, YamlNode.Mapping n) {
        String what = "flow " + flowId + " node " + nodeId;
        Optional<String> type = YamlValues.string(n, "type", problems, what, true);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Set<String> allowed = KEYS.get(type.get());
        if (allowed == null) {
            problems.error(n.source(), n.lineOf("type"), what + ": unknown node type '" + type.get() + "' (known: "
                    + String.join(", ", new TreeMap<>(KEYS).keySet()) + ")");
            return Optional.empty();
        }
        Set<String> withCommon = new HashSet<>(allowed);
        withCommon.add("type");
        withCommon.add("description");
        n.checkKeys(problems, what, withCommon);
        int line = n.line();
        NodeReader r = new NodeReader(flowId, what, n);
        return Optional.of(switch (type.get()) {
            case "play" -> new Node.Play(nodeId, line, r.prompts("prompts", true), r.target("next"));
            case "menu" -> menu(nodeId, r);
            case "line_menu" -> new Node.LineMenu(nodeId, line, r.optionalPrompt("prompt")
                    .orElse(new PromptRef.LineWelcome()), r.target("next"));
            case "read_digits" -> readDigits(nodeId, r);
            case "set_data" -> new Node.SetData(nodeId, line, r.dataMap("data", DATA_KEY, "a data key"),
                    r.dataMap("variables", VARIABLE, "a channel variable"), r.target("next"));
            case "route" -> new Node.Route(nodeId, line, r.string("skill"),
                    YamlValues.integer(n, "min_level", problems, what, 1, 10),
                    YamlValues.integer(n, "priority", problems, what, 0, 100),
                    YamlValues.integer(n, "priority_boost", problems, what, 0, 100).orElse(0),
                    YamlValues.bool(n, "pool", problems, what).orElse(false), r.string("queue"),
                    r.dataMap("data", DATA_KEY, "a data key"));
            case "transfer" -> transfer(nodeId, r);
            case "voicemail" -> new Node.Voicemail(nodeId, line, r.optionalPrompt("prompt"),
                    YamlValues.duration(n, "max_length", problems, what).orElse(Duration.ofSeconds(120)),
                    YamlValues.duration(n, "silence", problems, what).orElse(Duration.ofSeconds(5)),
                    YamlValues.bool(n, "beep", problems, what).orElse(true), r.reason("reason", "caller_choice"),
                    r.optionalPrompt("thanks"));
            case "survey" -> new Node.Survey(nodeId, line, r.prompt("prompt"), r.optionalPrompt("thanks"),
                    r.timeout(), r.retries(), r.optionalPrompt("invalid_prompt"), r.optionalTarget("next"));
            case "hangup" -> new Node.Hangup(nodeId, line, r.prompts("prompts", false), r.reason("reason", null));
            case "branch" -> branch(nodeId, r);
            case "goto" -> {
                Optional<String> flow = r.string("flow");
                if (flow.isEmpty()) {
                    problems.error(n, what + ": 'flow' is required");
                }
                flow.ifPresent(f -> gotos.add(new Ref(n.source(), n.lineOf("flow"), flowId, f, what)));
                yield new Node.Goto(nodeId, line, flow.orElse(""));
            }
            default -> throw new IllegalStateException(type.get());
        });
    }

    private Node menu(String nodeId, NodeReader r) {
        YamlNode.Mapping n = r.node;
        Map<Character, Node.MenuKey> keys = new LinkedHashMap<>();
        Optional<YamlNode.Mapping> keysNode = n.get("keys").flatMap(k -> YamlValues.mapping(k, problems,
                r.what + " keys"));
        if (keysNode.isEmpty() && !n.has("keys")) {
            problems.error(n, r.what + ": 'keys' is required");
        }
        keysNode.ifPresent(k -> {
            for (String key : k.keys()) {
                int line = k.lineOf(key);
                if (!key.matches("[0-9*]")) {
                    problems.error(n.source(), line, r.what + ": key '" + key + "' must be one of 0-9 or * (# ends input)");
                    continue;
                }
                YamlNode value = k.entries().get(key);
                String next;
                String label = null;
                if (value instanceof YamlNode.Mapping km) {
                    km.checkKeys(problems, r.what + " key " + key, Set.of("next", "label"));
                    next = YamlValues.string(km, "next", problems, r.what + " key " + key, true).orElse(null);
                    label = YamlValues.string(km, "label", problems, r.what + " key " + key, false).orElse(null);
                } else if (value instanceof YamlNode.Scalar s && !s.isNull()) {
                    next = s.text();
                } else {
                    problems.error(value, r.what + ": key '" + key + "' needs the next node, or {next, label}");
                    continue;
                }
                if (next != null) {
                    refs.add(new Ref(n.source(), line, r.flowId, next, r.what + " key " + key));
                    keys.put(key.charAt(0), new Node.MenuKey(next, label));
                }
            }
        });
        Duration timeout = r.timeout();
        int retries = r.retries();
        if (timeout.isZero() && retries > 0) {
            problems.error(n.source(), n.lineOf("retries"), r.what
                    + ": a menu with timeout 0s takes keys only while its prompt plays, so it cannot retry");
        }
        String noInput = r.target("no_input");
        String onInvalid = n.has("on_invalid") ? r.target("on_invalid") : noInput;
        return new Node.Menu(nodeId, n.line(), r.prompt("prompt"), keys, timeout, retries,
                r.optionalPrompt("invalid_prompt"), noInput, onInvalid);
    }

    private Node readDigits(String nodeId, NodeReader r) {
        YamlNode.Mapping n = r.node;
        String formatText = r.string("format").orElse("any");
        DigitsFormat format = null;
        for (DigitsFormat f : DigitsFormat.values()) {
            if (f.yamlName().equals(formatText)) {
                format = f;
            }
        }
        if (format == null) {
            problems.error(n.source(), n.lineOf("format"), r.what + ": format '" + formatText
                    + "' is not one of any, id_number, ticket_number, phone");
        }
        if (format == null) {
            format = DigitsFormat.ANY;
        } else if (format == DigitsFormat.ANY && !n.has("length")) {
            problems.error(n, r.what + ": 'length' is required with format any");
        }
        int length = YamlValues.integer(n, "length", problems, r.what, 1, 20).orElse(format.maxLength());
        if (format != DigitsFormat.ANY && length < format.minLength()) {
            problems.error(n.source(), n.lineOf("length"), r.what + ": length " + length + " is too short for "
                    + formatText + " (" + format.minLength() + " to " + format.maxLength() + " digits)");
        }
        r.string("terminator").filter(t -> !t.equals("#")).ifPresent(t -> problems.error(n.source(),
                n.lineOf("terminator"), r.what + ": terminator must be '#' (the only key the PBX ends input with)"));
        Optional<String> store = r.string("store");
        if (store.isEmpty()) {
            problems.error(n, r.what + ": 'store' (the data key for what the caller typed) is required");
        }
        store.filter(s -> !DATA_KEY.matcher(s).matches()).ifPresent(s -> problems.error(n.source(),
                n.lineOf("store"), r.what + ": '" + s + "' is not a data key (lower-case letters, digits, '_')"));
        return new Node.ReadDigits(nodeId, n.line(), r.prompt("prompt"), format, length, r.timeout(), r.retries(),
                r.optionalPrompt("invalid_prompt"), store.orElse(""), r.target("next"), r.target("on_failure"));
    }

    private Node transfer(String nodeId, NodeReader r) {
        YamlNode.Mapping n = r.node;
        Optional<String> number = r.string("number");
        boolean subCentre = YamlValues.bool(n, "sub_centre", problems, r.what).orElse(false);
        if (number.isPresent() == subCentre) {
            problems.error(n, r.what + ": give exactly one of 'number' or 'sub_centre: true'");
        }
        number.filter(x -> !x.matches("[0-9]{3,20}")).ifPresent(x -> problems.error(n.source(),
                n.lineOf("number"), r.what + ": number must be 3 to 20 digits, was '" + x + "'"));
        Optional<String> label = r.string("label");
        if (label.isEmpty() && !subCentre) {
            problems.error(n, r.what + ": 'label' is required (e.g. 120急救)");
        }
        Optional<String> fallback = r.optionalTarget("fallback");
        fallback.ifPresent(f -> fallbacks.add(new Ref(n.source(), n.lineOf("fallback"), r.flowId, f, r.what)));
        return new Node.Transfer(nodeId, n.line(), r.optionalPrompt("prompt"), number, subCentre,
                label.orElse(""), YamlValues.bool(n, "three_party", problems, r.what).orElse(false),
                YamlValues.duration(n, "answer_timeout", problems, r.what), fallback);
    }

    private Node branch(String nodeId, NodeReader r) {
        YamlNode.Mapping n = r.node;
        List<Node.Case> cases = new ArrayList<>();
        Optional<YamlNode> casesNode = n.get("cases");
        if (casesNode.isEmpty() || !(casesNode.get() instanceof YamlNode.Sequence seq) || seq.items().isEmpty()) {
            problems.error(casesNode.orElse(n), r.what + ": 'cases' must be a list of {if: {...}, next: node}");
        } else {
            for (YamlNode item : seq.items()) {
                YamlValues.mapping(item, problems, r.what + " case").ifPresent(c -> {
                    c.checkKeys(problems, r.what + " case", Set.of("if", "next"));
                    Optional<String> next = YamlValues.string(c, "next", problems, r.what + " case", true);
                    next.ifPresent(x -> refs.add(new Ref(c.source(), c.lineOf("next"), r.flowId, x, r.what
                            + " case")));
                    Optional<Condition> condition = c.get("if").flatMap(i -> YamlValues.mapping(i, problems,
                            r.what + " case 'if'")).flatMap(i -> condition(r.what, i));
                    if (!c.has("if")) {
                        problems.error(c, r.what + " case: 'if' is required");
                    }
                    if (condition.isPresent() && next.isPresent()) {
                        cases.add(new Node.Case(condition.get(), next.get(), c.line()));
                    }
                });
            }
        }
        return new Node.Branch(nodeId, n.line(), cases, r.target("otherwise"));
    }

    private Optional<Condition> condition(String what, YamlNode.Mapping c) {
        c.checkKeys(problems, what + " condition", CONDITION_KEYS);
        if (c.keys().isEmpty()) {
            problems.error(c, what + ": a condition needs at least one test (" + String.join(", ",
                    new java.util.TreeSet<>(CONDITION_KEYS)) + ")");
            return Optional.empty();
        }
        Condition all = facts -> true;
        for (String key : c.keys()) {
            Optional<Condition> test = test(what, c, key);
            if (test.isEmpty()) {
                return Optional.empty();
            }
            all = all.and(test.get());
        }
        return Optional.of(all);
    }

    private Optional<Condition> test(String what, YamlNode.Mapping c, String key) {
        int line = c.lineOf(key);
        switch (key) {
            case "open" -> {
                return YamlValues.bool(c, key, problems, what).map(want ->
                        facts -> facts.calendar().isOpen(facts.line().hoursId()) == want);
            }
            case "hours_open" -> {
                Optional<String> hours = YamlValues.string(c, key, problems, what, true);
                hours.filter(h -> !knownHours.contains(h)).ifPresent(h -> problems.error(c.source(), line, what
                        + ": unknown hours '" + h + "' (defined: " + String.join(", ", new java.util.TreeSet<>(knownHours))
                        + ")"));
                return hours.map(h -> facts -> facts.calendar().isOpen(h));
            }
            case "day" -> {
                Set<DayKind> kinds = new HashSet<>();
                for (YamlNode.Scalar s : YamlValues.scalars(c, key, problems, what)) {
                    try {
                        kinds.add(DayKind.valueOf(s.text().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        problems.error(s, what + ": day '" + s.text() + "' is not workday, weekend or holiday");
                    }
                }
                return Optional.of(facts -> kinds.contains(facts.calendar().holidays()
                        .kindOf(facts.calendar().now().toLocalDate())));
            }
            case "line" -> {
                Set<String> numbers = new HashSet<>();
                YamlValues.scalars(c, key, problems, what).forEach(s -> numbers.add(s.text()));
                return Optional.of(facts -> numbers.contains(facts.line().number()));
            }
            case "line_mode" -> {
                Set<LineMode> modes = new HashSet<>();
                for (YamlNode.Scalar s : YamlValues.scalars(c, key, problems, what)) {
                    Optional<LineMode> mode = java.util.Arrays.stream(LineMode.values())
                            .filter(m -> m.yamlName().equals(s.text())).findFirst();
                    mode.ifPresentOrElse(modes::add, () -> problems.error(s, what + ": line_mode '" + s.text()
                            + "' is not one of main, merged, parallel, sub_centre"));
                }
                return Optional.of(facts -> modes.contains(facts.line().mode()));
            }
            case "line_has" -> {
                List<String> features = new ArrayList<>();
                for (YamlNode.Scalar s : YamlValues.scalars(c, key, problems, what)) {
                    if (LINE_FEATURES.contains(s.text())) {
                        features.add(s.text());
                    } else {
                        problems.error(s, what + ": line_has '" + s.text() + "' is not one of "
                                + String.join(", ", new java.util.TreeSet<>(LINE_FEATURES)));
                    }
                }
                return Optional.of(facts -> features.stream().allMatch(f -> switch (f) {
                    case "merged_notice" -> facts.line().mergedNotice().isPresent();
                    case "sub_centre" -> facts.line().subCentre().isPresent();
                    case "pool_when_closed" -> facts.line().poolWhenClosed();
                    case "pool_fallback" -> facts.line().poolFallback();
                    default -> !facts.line().menu().isEmpty();
                }));
            }
            case "caller" -> {
                List<Pattern> patterns = new ArrayList<>();
                for (YamlNode.Scalar s : YamlValues.scalars(c, key, problems, what)) {
                    if (!CALLER.matcher(s.text()).matches() || s.text().isEmpty()) {
                        problems.error(s, what + ": caller pattern '" + s.text()
                                + "' may only use digits, X (any digit) and a final * (anything)");
                    } else {
                        patterns.add(Pattern.compile(s.text().replace("X", "[0-9]").replace("*", ".*")));
                    }
                }
                return Optional.of(facts -> patterns.stream().anyMatch(p -> p.matcher(facts.callerNumber())
                        .matches()));
            }
            case "data" -> {
                return c.get(key).flatMap(d -> YamlValues.mapping(d, problems, what + " data")).map(d -> {
                    Map<String, String> wanted = new LinkedHashMap<>();
                    for (String k : d.keys()) {
                        YamlValues.string(d, k, problems, what + " data", true).ifPresent(v -> wanted.put(k, v));
                    }
                    return facts -> wanted.entrySet().stream().allMatch(e -> e.getValue().equals("*")
                            ? facts.data().containsKey(e.getKey())
                            : e.getValue().equals(facts.data().get(e.getKey())));
                });
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private void checkReferences(Map<String, Flow> flows) {
        for (Ref ref : refs) {
            Flow flow = flows.get(ref.flow());
            if (flow != null && !flow.nodes().containsKey(ref.target())) {
                problems.error(ref.source(), ref.line(), ref.what() + ": '" + ref.target()
                        + "' is not a node of flow " + ref.flow());
            }
        }
        for (Ref ref : gotos) {
            if (!flows.containsKey(ref.target())) {
                problems.error(ref.source(), ref.line(), ref.what() + ": goto names no flow '" + ref.target()
                        + "' (flows: " + String.join(", ", flows.keySet()) + ")");
            }
        }
        for (Ref ref : fallbacks) {
            Flow flow = flows.get(ref.flow());
            if (flow != null && flow.nodes().containsKey(ref.target())
                    && !(flow.nodes().get(ref.target()) instanceof Node.Route)) {
                problems.error(ref.source(), ref.line(), ref.what() + ": fallback '" + ref.target()
                        + "' must be a route node");
            }
        }
    }

    private void checkLoopsAndReachability(Map<String, Flow> flows) {
        // every flow is an entry point (lines and the CTI name flows), so only nodes inside a flow can be unreachable
        for (Flow flow : flows.values()) {
            Set<String> inFlow = new HashSet<>();
            walk(flows, flow.id(), flow.start(), inFlow);
            for (Node node : flow.nodes().values()) {
                if (!inFlow.contains(flow.id() + "/" + node.id())) {
                    problems.warning(flow.source(), node.line(), "flow " + flow.id()
                            + " node " + node.id() + " is not reachable from the start ('" + flow.start() + "')");
                }
            }
        }
        Map<String, Integer> state = new HashMap<>();
        for (Flow flow : flows.values()) {
            for (Node node : flow.nodes().values()) {
                findSpin(flows, flow, node, state, new ArrayList<>());
            }
        }
    }

    private void walk(Map<String, Flow> flows, String flowId, String nodeId, Set<String> reached) {
        Flow flow = flows.get(flowId);
        if (flow == null || !flow.nodes().containsKey(nodeId) || !reached.add(flowId + "/" + nodeId)) {
            return;
        }
        Node node = flow.nodes().get(nodeId);
        for (String target : node.targets()) {
            walk(flows, flowId, target, reached);
        }
    }

    /** Depth-first search for a cycle made only of nodes that do not wait for the caller. */
    private void findSpin(Map<String, Flow> flows, Flow flow, Node node, Map<String, Integer> state,
            List<String> stack) {
        String key = flow.id() + "/" + node.id();
        if (node.takesInput() || state.getOrDefault(key, 0) == 2) {
            return;
        }
        if (state.getOrDefault(key, 0) == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(key), stack.size()));
            cycle.add(key);
            problems.error(flow.source(), node.line(), "flow " + flow.id() + ": loop without caller input: "
                    + String.join(" → ", cycle) + " would repeat forever; put a menu or read_digits in it");
            return;
        }
        state.put(key, 1);
        stack.add(key);
        List<Map.Entry<Flow, String>> next = new ArrayList<>();
        if (node instanceof Node.Goto g && flows.containsKey(g.flow())) {
            Flow target = flows.get(g.flow());
            next.add(Map.entry(target, target.start()));
        } else if (!(node instanceof Node.Transfer)) {
            node.targets().forEach(t -> next.add(Map.entry(flow, t)));
        }
        for (Map.Entry<Flow, String> n : next) {
            Node target = n.getKey().nodes().get(n.getValue());
            if (target != null) {
                findSpin(flows, n.getKey(), target, state, stack);
            }
        }
        stack.remove(stack.size() - 1);
        state.put(key, 2);
    }

    /** Reads the fields of one node, reporting problems with its name. */
    private final class NodeReader {
        private final String flowId;
        private final String what;
        private final YamlNode.Mapping node;

        NodeReader(String flowId, String what, YamlNode.Mapping node) {
            this.flowId = flowId;
            this.what = what;
            this.node = node;
        }

        Optional<String> string(String key) {
            return YamlValues.string(node, key, problems, what, false);
        }

        String target(String key) {
            Optional<String> target = YamlValues.string(node, key, problems, what, true);
            target.ifPresent(t -> refs.add(new Ref(node.source(), node.lineOf(key), flowId, t, what + ": " + key)));
            return target.orElse("");
        }

        Optional<String> optionalTarget(String key) {
            Optional<String> target = string(key);
            target.ifPresent(t -> refs.add(new Ref(node.source(), node.lineOf(key), flowId, t, what + ": " + key)));
            return target;
        }

        Duration timeout() {
            return YamlValues.duration(node, "timeout", problems, what).orElse(DEFAULT_TIMEOUT);
        }

        int retries() {
            boolean noWait = string("timeout").flatMap(YamlValues::parseDuration).map(Duration::isZero)
                    .orElse(false);
            return YamlValues.integer(node, "retries", problems, what, 0, 5).orElse(noWait ? 0 : 2);
        }

        String reason(String key, String orElse) {
            Optional<String> reason = string(key);
            if (reason.isEmpty() && orElse == null) {
                problems.error(node, what + ": '" + key + "' is required (e.g. not_accepted:court)");
            }
            reason.filter(x -> !REASON.matcher(x).matches()).ifPresent(x -> problems.error(node.source(),
                    node.lineOf(key), what + ": reason '" + x + "' must be lower-case letters, digits, _ : . -"));
            return reason.orElse(orElse == null ? "ended" : orElse);
        }

        PromptRef prompt(String key) {
            Optional<PromptRef> prompt = optionalPrompt(key);
            if (prompt.isEmpty() && !node.has(key)) {
                problems.error(node, what + ": '" + key + "' is required");
            }
            return prompt.orElse(new PromptRef.Catalogue(""));
        }

        Optional<PromptRef> optionalPrompt(String key) {
            return string(key).flatMap(text -> checked(text, node.lineOf(key)));
        }

        List<PromptRef> prompts(String key, boolean required) {
            List<PromptRef> out = new ArrayList<>();
            for (YamlNode.Scalar s : YamlValues.scalars(node, key, problems, what)) {
                checked(s.text(), s.line()).ifPresent(out::add);
            }
            if (required && !node.has(key)) {
                problems.error(node, what + ": '" + key + "' is required (one prompt id or a list)");
            }
            return out;
        }

        private Optional<PromptRef> checked(String text, int line) {
            PromptRef ref = PromptRef.parse(text);
            if (ref == null) {
                problems.error(node.source(), line, what + ": unknown prompt reference '" + text
                        + "' (known: $line.welcome, $line.merged_notice, $line.hours)");
                return Optional.empty();
            }
            if (ref instanceof PromptRef.Catalogue c && !catalogue.contains(c.id())) {
                problems.error(node.source(), line, what + ": unknown prompt id '" + c.id()
                        + "' (not in the prompt catalogue)");
                return Optional.empty();
            }
            return Optional.of(ref);
        }

        Map<String, String> dataMap(String key, Pattern keyPattern, String kind) {
            Map<String, String> out = new LinkedHashMap<>();
            node.get(key).flatMap(d -> YamlValues.mapping(d, problems, what + " " + key)).ifPresent(d -> {
                for (String k : d.keys()) {
                    if (!keyPattern.matcher(k).matches()) {
                        problems.error(d.source(), d.lineOf(k), what + ": '" + k + "' is not " + kind);
                    }
                    YamlValues.string(d, k, problems, what + " " + key, true).ifPresent(v -> {
                        if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                            problems.error(d.source(), d.lineOf(k), what + ": '" + k + "' must be on one line");
                        }
                        out.put(k, v);
                    });
                }
            });
            return out;
        }
    }
}
