package org.hotlinecti.ivr.lines;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.LineMode;
import org.hotlinecti.ivr.MenuChoice;
import org.hotlinecti.ivr.SubCentre;
import org.hotlinecti.ivr.calendar.OpeningHours;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlNode;
import org.hotlinecti.ivr.yaml.YamlValues;

/**
 * The numbers the centre answers and the opening hours they keep, read from the line table file
 * ({@code ivr/lines.yaml} ships an example city with 20+ lines):
 * <pre>{@code
 * main_line: "12345"
 * hours:
 *   office: {workdays: ["08:30-12:00", "13:30-17:30"], prompt: hours-office}
 * lines:
 *   - {number: "12315", name: 12315市场监管投诉举报热线, department: 市市场监督管理局, skill: market,
 *      mode: merged, merged_notice: merged-12315}
 *   - {number: "12366", name: 12366纳税缴费服务热线, department: 国家税务总局市税务局, skill: tax,
 *      mode: sub_centre, hours: office, sub_centre: {number: "87012366", answer_timeout: 20s}}
 * }</pre>
 *
 * @param mainNumber the line that serves unknown numbers and is the "12345 pool" of fallbacks
 * @param lines      the lines in file order
 * @param hours      the named opening hours (without the built-in {@code 7x24})
 */
public record LineTable(String mainNumber, List<DepartmentLine> lines, Map<String, OpeningHours> hours) {

    /** The example table shipped in the jar. */
    public static final String DEFAULT_RESOURCE = "ivr/lines.yaml";

    private static final Set<String> LINE_KEYS = Set.of("number", "name", "department", "skill", "min_level",
            "priority", "mode", "hours", "flow", "welcome", "merged_notice", "sub_centre", "pool_when_closed",
            "pool_fallback", "menu");
    private static final Pattern SKILL = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Duration DEFAULT_SUB_CENTRE_TIMEOUT = Duration.ofSeconds(20);

    public LineTable {
        lines = List.copyOf(lines);
        hours = Collections.unmodifiableMap(new LinkedHashMap<>(hours));
    }

    /** The lines as the CTI looks them up. */
    public LineDirectory directory() {
        return new LineDirectory(lines, mainNumber);
    }

    /**
     * Reads and validates a line table; every problem is added with its line. Prompt ids are checked against the
     * catalogue; the flows the lines name are checked by {@link org.hotlinecti.ivr.flow.IvrConfig}.
     *
     * @return the table, empty when it has errors
     */
    public static Optional<LineTable> parse(YamlNode root, PromptCatalogue catalogue, Problems problems) {
        Optional<YamlNode.Mapping> top = YamlValues.mapping(root, problems, "the line table");
        if (top.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping m = top.get();
        m.checkKeys(problems, "line table", Set.of("main_line", "hours", "lines"));
        String mainNumber = YamlValues.string(m, "main_line", problems, "line table", true).orElse("12345");
        Map<String, OpeningHours> hours = new LinkedHashMap<>();
        m.get("hours").flatMap(h -> YamlValues.mapping(h, problems, "hours")).ifPresent(h -> {
            for (String id : h.keys()) {
                if (id.equals(OpeningHours.ALWAYS.id())) {
                    problems.error(h.source(), h.lineOf(id), "hours '7x24' is built in and cannot be redefined");
                    continue;
                }
                OpeningHours.parse(id, h.entries().get(id), problems).ifPresent(oh -> {
                    hours.put(id, oh);
                    if (oh.prompt() != null && !catalogue.contains(oh.prompt())) {
                        problems.error(h.source(), h.lineOf(id), "hours '" + id + "': unknown prompt '"
                                + oh.prompt() + "' (not in the prompt catalogue)");
                    }
                });
            }
        });
        List<DepartmentLine> lines = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Optional<YamlNode> linesNode = m.get("lines");
        if (linesNode.isEmpty() || !(linesNode.get() instanceof YamlNode.Sequence seq)) {
            problems.error(linesNode.orElse(m), "line table: 'lines' must be a list of lines");
        } else {
            for (YamlNode item : seq.items()) {
                YamlValues.mapping(item, problems, "line").flatMap(l -> line(l, mainNumber, hours, catalogue,
                        problems)).ifPresent(line -> {
                            Integer first = seen.putIfAbsent(line.number(), item.line());
                            if (first != null) {
                                problems.error(item, "line " + line.number() + " is configured twice (first on line "
                                        + first + ")");
                            } else {
                                lines.add(line);
                            }
                        });
            }
        }
        if (!seen.containsKey(mainNumber) && !problems.hasErrors()) {
            problems.error(m.source(), m.lineOf("main_line"), "main line " + mainNumber
                    + " is not among the lines");
        }
        if (problems.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new LineTable(mainNumber, lines, hours));
    }

    private static Optional<DepartmentLine> line(YamlNode.Mapping l, String mainNumber,
            Map<String, OpeningHours> hours, PromptCatalogue catalogue, Problems problems) {
        Optional<String> number = YamlValues.string(l, "number", problems, "line", true);
        String what = "line " + number.orElse("?");
        l.checkKeys(problems, what, LINE_KEYS);
        Optional<String> name = YamlValues.string(l, "name", problems, what, true);
        Optional<String> department = YamlValues.string(l, "department", problems, what, true);
        Optional<String> skill = YamlValues.string(l, "skill", problems, what, true);
        skill.filter(s -> !SKILL.matcher(s).matches()).ifPresent(s -> problems.error(l.source(), l.lineOf("skill"),
                what + ": skill '" + s + "' must be lower-case letters, digits and '_'"));
        int minLevel = YamlValues.integer(l, "min_level", problems, what, 1, 10).orElse(1);
        int priority = YamlValues.integer(l, "priority", problems, what, 0, 100).orElse(0);
        String modeText = YamlValues.string(l, "mode", problems, what, false)
                .orElse(number.filter(mainNumber::equals).isPresent() ? "main" : "merged");
        LineMode mode = null;
        for (LineMode candidate : LineMode.values()) {
            if (candidate.yamlName().equals(modeText)) {
                mode = candidate;
            }
        }
        if (mode == null) {
            problems.error(l.source(), l.lineOf("mode"), what + ": mode '" + modeText
                    + "' is not one of main, merged (整体并入), parallel (双号并行), sub_centre (设分中心)");
            return Optional.empty();
        }
        String hoursId = YamlValues.string(l, "hours", problems, what, false).orElse(OpeningHours.ALWAYS.id());
        if (!hoursId.equals(OpeningHours.ALWAYS.id()) && !hours.containsKey(hoursId)) {
            problems.error(l.source(), l.lineOf("hours"), what + ": unknown hours '" + hoursId + "' (defined: "
                    + String.join(", ", hours.keySet()) + ", 7x24)");
        }
        String flow = YamlValues.string(l, "flow", problems, what, false).orElse(null);
        String defaultWelcome = mode == LineMode.MAIN || mode == LineMode.PARALLEL
                ? "welcome-" + number.orElse("") : "welcome-" + mainNumber;
        String welcome = prompt(l, "welcome", what, catalogue, problems).orElse(defaultWelcome);
        if (!l.has("welcome") && !catalogue.contains(welcome)) {
            problems.error(l.source(), l.line(), what + ": no 'welcome' given and the default prompt '" + welcome
                    + "' is not in the prompt catalogue");
        }
        Optional<String> mergedNotice = prompt(l, "merged_notice", what, catalogue, problems)
                .map(catalogue::soundFile);
        if (mergedNotice.isPresent() && mode != LineMode.MERGED) {
            problems.warning(l, what + ": 'merged_notice' is only played by merged lines (mode: merged)");
        }
        Optional<SubCentre> subCentre = subCentre(l, what, problems);
        if (mode == LineMode.SUB_CENTRE && subCentre.isEmpty() && !l.has("sub_centre")) {
            problems.error(l, what + ": mode sub_centre needs 'sub_centre: {number: ..., answer_timeout: 20s}'");
        }
        if (mode != LineMode.SUB_CENTRE && l.has("sub_centre")) {
            problems.error(l.source(), l.lineOf("sub_centre"), what + ": 'sub_centre' is only for mode sub_centre");
        }
        boolean poolWhenClosed = YamlValues.bool(l, "pool_when_closed", problems, what).orElse(false);
        boolean poolFallback = YamlValues.bool(l, "pool_fallback", problems, what).orElse(true);
        Map<String, MenuChoice> menu = menu(l, what, problems);
        if (problems.hasErrors() || number.isEmpty() || name.isEmpty() || department.isEmpty() || skill.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DepartmentLine(number.get(), name.get(), department.get(), skill.get(), minLevel,
                    priority, catalogue.soundFile(welcome), menu, mode, hoursId, flow, mergedNotice, subCentre,
                    poolWhenClosed, poolFallback));
        } catch (IllegalArgumentException e) {
            problems.error(l, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> prompt(YamlNode.Mapping l, String key, String what, PromptCatalogue catalogue,
            Problems problems) {
        Optional<String> id = YamlValues.string(l, key, problems, what, false);
        id.filter(p -> !catalogue.contains(p)).ifPresent(p -> problems.error(l.source(), l.lineOf(key), what
                + ": unknown prompt '" + p + "' in '" + key + "' (not in the prompt catalogue)"));
        return id;
    }

    private static Optional<SubCentre> subCentre(YamlNode.Mapping l, String what, Problems problems) {
        return l.get("sub_centre").flatMap(node -> YamlValues.mapping(node, problems, what + " sub_centre"))
                .flatMap(s -> {
                    s.checkKeys(problems, what + " sub_centre", Set.of("number", "trunk", "answer_timeout"));
                    Optional<String> trunk = YamlValues.string(s, "trunk", problems, what + " sub_centre", false);
                    if (trunk.isPresent() && !trunk.get().matches("[A-Za-z0-9_.-]{1,64}")) {
                        problems.error(s.source(), s.lineOf("trunk"), what + ": sub-centre trunk must be a PJSIP "
                                + "endpoint name, was '" + trunk.get() + "'");
                        return Optional.empty();
                    }
                    Optional<String> number = YamlValues.string(s, "number", problems, what + " sub_centre", true);
                    Duration timeout = YamlValues.duration(s, "answer_timeout", problems, what + " sub_centre")
                            .orElse(DEFAULT_SUB_CENTRE_TIMEOUT);
                    if (number.isPresent() && !number.get().matches("[0-9]{3,20}")) {
                        problems.error(s.source(), s.lineOf("number"), what + ": sub-centre number must be 3 to 20 "
                                + "digits, was '" + number.get() + "'");
                        return Optional.empty();
                    }
                    if (timeout.isZero()) {
                        problems.error(s.source(), s.lineOf("answer_timeout"), what
                                + ": sub-centre answer_timeout must be more than 0s");
                        return Optional.empty();
                    }
                    return number.map(n -> new SubCentre(n, trunk, timeout));
                });
    }

    private static Map<String, MenuChoice> menu(YamlNode.Mapping l, String what, Problems problems) {
        Map<String, MenuChoice> menu = new LinkedHashMap<>();
        l.get("menu").flatMap(node -> YamlValues.mapping(node, problems, what + " menu")).ifPresent(m -> {
            for (String key : m.keys()) {
                if (!key.matches("[0-9*]")) {
                    problems.error(m.source(), m.lineOf(key), what + ": menu key must be one of 0-9 *, was '"
                            + key + "'");
                    continue;
                }
                YamlValues.mapping(m.entries().get(key), problems, what + " menu key " + key).ifPresent(k -> {
                    k.checkKeys(problems, what + " menu key " + key, Set.of("label", "skill", "priority"));
                    Optional<String> label = YamlValues.string(k, "label", problems, what + " menu key " + key, true);
                    Optional<String> skill = YamlValues.string(k, "skill", problems, what + " menu key " + key, true);
                    int priority = YamlValues.integer(k, "priority", problems, what + " menu key " + key, 0, 100)
                            .orElse(0);
                    if (label.isPresent() && skill.isPresent()) {
                        menu.put(key, new MenuChoice(label.get(), skill.get(), priority));
                    }
                });
            }
        });
        return menu;
    }
}
