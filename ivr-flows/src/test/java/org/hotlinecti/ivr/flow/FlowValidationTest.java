package org.hotlinecti.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.hotlinecti.ivr.yaml.Problem;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlReader;
import org.junit.jupiter.api.Test;

/** Every mistake in a flow file is reported with file:line and what is wrong; a file with errors gives no flows. */
class FlowValidationTest {

    private static final PromptCatalogue PROMPTS = PromptCatalogue.loadDefault();

    private record Result(boolean loaded, List<String> problems) {
    }

    private static Result load(String yaml) {
        Problems problems = new Problems();
        boolean loaded = YamlReader.read("flows.yaml", yaml, problems)
                .flatMap(root -> FlowLoader.parse(root, PROMPTS, Set.of("7x24", "office"), problems)).isPresent();
        return new Result(loaded, problems.all().stream().map(Problem::toString).toList());
    }

    @Test
    void aValidFlowLoadsWithoutProblems() {
        Result r = load("""
                flows:
                  f:
                    start: a
                    nodes:
                      a: {type: play, prompts: welcome-12345, next: b}
                      b: {type: route}
                """);
        assertThat(r.problems()).isEmpty();
        assertThat(r.loaded()).isTrue();
    }

    @Test
    void unknownNodeTypeDanglingNextAndUnknownPromptAreErrorsAtTheirLines() {
        Result r = load("""
                flows:
                  f:
                    start: a
                    nodes:
                      a:
                        type: play
                        prompts: [welcome-12345, no-such-prompt]
                        next: b
                      b:
                        type: ring
                      c: {type: play, prompts: welcome-12345, next: nowhere}
                """);
        assertThat(r.loaded()).isFalse();
        assertThat(r.problems()).contains(
                "flows.yaml:7: error: flow f node a: unknown prompt id 'no-such-prompt' (not in the prompt catalogue)",
                "flows.yaml:10: error: flow f node b: unknown node type 'ring' (known: branch, goto, hangup, line_menu, menu, "
                        + "play, read_digits, route, set_data, survey, transfer, voicemail)",
                "flows.yaml:8: error: flow f node a: next: 'b' is not a node of flow f",
                "flows.yaml:11: error: flow f node c: next: 'nowhere' is not a node of flow f");
    }

    @Test
    void unreachableNodesAreWarningsThatDoNotStopLoading() {
        Result r = load("""
                flows:
                  f:
                    start: a
                    nodes:
                      a: {type: route}
                      orphan: {type: hangup, reason: bye}
                """);
        assertThat(r.loaded()).isTrue();
        assertThat(r.problems()).containsExactly(
                "flows.yaml:6: warning: flow f node orphan is not reachable from the start ('a')");
    }

    @Test
    void aLoopWithoutCallerInputIsAnError() {
        Result r = load("""
                flows:
                  f:
                    start: a
                    nodes:
                      a: {type: play, prompts: welcome-12345, next: b}
                      b:
                        type: branch
                        cases:
                          - {if: {open: true}, next: a}
                        otherwise: c
                      c: {type: goto, flow: g}
                  g:
                    start: x
                    nodes:
                      x: {type: play, prompts: goodbye, next: y}
                      y: {type: goto, flow: f}
                """);
        assertThat(r.loaded()).isFalse();
        assertThat(r.problems()).anyMatch(p -> p.startsWith("flows.yaml:")
                && p.contains("loop without caller input: f/a → f/b → f/a"));
        assertThat(r.problems()).anyMatch(p -> p.contains("loop without caller input: f/a → f/b → f/c → g/x → g/y"
                + " → f/a"));
    }

    @Test
    void aLoopThroughAMenuIsAllowed() {
        Result r = load("""
                flows:
                  f:
                    start: m
                    nodes:
                      m: {type: menu, prompt: emergency-menu, keys: {"1": again, "0": q}, no_input: q}
                      again: {type: play, prompts: goodbye, next: m}
                      q: {type: route}
                """);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void fieldMistakesAreNamedPrecisely() {
        Result r = load("""
                flows:
                  f:
                    start: m
                    nodes:
                      m:
                        type: menu
                        prompt: emergency-menu
                        keys: {"12": q, "#": q, "1": q}
                        timeout: 0s
                        retries: 2
                        no_input: q
                        colour: red
                      r: {type: read_digits, prompt: ticket-enter, format: passport, store: Ticket, next: q,
                          on_failure: q, terminator: "*"}
                      t: {type: transfer, number: "11x", fallback: p}
                      p: {type: play, prompts: [$line.nope], next: q}
                      v: {type: voicemail, max_length: two minutes}
                      q: {type: route, min_level: 11}
                      h: {type: hangup, reason: "Not Accepted"}
                      b: {type: branch, cases: [{if: {caller: ["138*", "1a*"], day: someday, hours_open: night}, next: q}], otherwise: q}
                      g: {type: goto, flow: elsewhere}
                """);
        assertThat(r.loaded()).isFalse();
        assertThat(r.problems()).contains(
                "flows.yaml:8: error: flow f node m: key '12' must be one of 0-9 or * (# ends input)",
                "flows.yaml:8: error: flow f node m: key '#' must be one of 0-9 or * (# ends input)",
                "flows.yaml:10: error: flow f node m: a menu with timeout 0s takes keys only while its prompt plays, "
                        + "so it cannot retry",
                "flows.yaml:13: error: flow f node r: format 'passport' is not one of any, id_number, ticket_number, "
                        + "phone",
                "flows.yaml:13: error: flow f node r: 'Ticket' is not a data key (lower-case letters, digits, '_')",
                "flows.yaml:14: error: flow f node r: terminator must be '#' (the only key the PBX ends input with)",
                "flows.yaml:15: error: flow f node t: number must be 3 to 20 digits, was '11x'",
                "flows.yaml:15: error: flow f node t: 'label' is required (e.g. 120急救)",
                "flows.yaml:16: error: flow f node p: unknown prompt reference '$line.nope' (known: $line.welcome, "
                        + "$line.merged_notice, $line.hours)",
                "flows.yaml:17: error: flow f node v: 'max_length' must be a duration like 500ms, 5s, 2m or 1h, was "
                        + "'two minutes'",
                "flows.yaml:18: error: flow f node q: 'min_level' must be a whole number 1..10, was '11'",
                "flows.yaml:19: error: flow f node h: reason 'Not Accepted' must be lower-case letters, digits, _ : . -",
                "flows.yaml:20: error: flow f node b: caller pattern '1a*' may only use digits, X (any digit) and "
                        + "a final * (anything)",
                "flows.yaml:20: error: flow f node b: day 'someday' is not workday, weekend or holiday",
                "flows.yaml:20: error: flow f node b: unknown hours 'night' (defined: 7x24, office)")
                .noneMatch(p -> p.contains("'length' is required"))
                .anyMatch(p -> p.startsWith("flows.yaml:12: error: flow f node m: unknown key 'colour'"))
                .anyMatch(p -> p.equals("flows.yaml:21: error: flow f node g: goto names no flow 'elsewhere' "
                        + "(flows: f)"));
    }

    @Test
    void aTransferFallbackMustBeARouteNode() {
        Result r = load("""
                flows:
                  f:
                    start: t
                    nodes:
                      t: {type: transfer, number: "120", label: 120急救, fallback: bye}
                      bye: {type: hangup, reason: bye}
                """);
        assertThat(r.problems()).contains("flows.yaml:5: error: flow f node t: fallback 'bye' must be a route node");
    }

    @Test
    void yamlSyntaxErrorsAndDuplicateKeysHaveLinesToo() {
        assertThat(load("flows:\n  f:\n    start: a\n    nodes: {a: {type: route}\n").problems())
                .singleElement().asString().startsWith("flows.yaml:").contains("not valid YAML");
        assertThat(load("""
                flows:
                  f:
                    start: a
                    nodes:
                      a: {type: route}
                      a: {type: route, skill: x}
                """).problems()).contains("flows.yaml:6: error: key 'a' is written twice (first on line 5)");
    }
}
