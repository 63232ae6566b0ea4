package org.hotlinecti.ivr.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineMode;
import org.hotlinecti.ivr.SubCentre;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.hotlinecti.ivr.yaml.Problem;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlReader;
import org.junit.jupiter.api.Test;

class LineTableTest {

    private static final PromptCatalogue PROMPTS = PromptCatalogue.loadDefault();

    private record Result(Optional<LineTable> table, List<String> problems) {
    }

    private static Result load(String yaml) {
        Problems problems = new Problems();
        Optional<LineTable> table = YamlReader.read("lines.yaml", yaml, problems)
                .flatMap(root -> LineTable.parse(root, PROMPTS, problems));
        return new Result(table, problems.all().stream().map(Problem::toString).toList());
    }

    @Test
    void theThreeModesAreReadWithTheirSettings() {
        Result r = load("""
                main_line: "12345"
                hours:
                  office: {workdays: ["08:30-17:30"], prompt: hours-office}
                lines:
                  - {number: "12345", name: 12345热线, department: 热线中心, skill: general}
                  - {number: "12315", name: 12315热线, department: 市场监管局, skill: market, merged_notice: merged-12315}
                  - {number: "12333", name: 12333热线, department: 人社局, skill: social_security, mode: parallel,
                     priority: 2, hours: office, pool_when_closed: true}
                  - {number: "12366", name: 12366热线, department: 税务局, skill: tax, mode: sub_centre,
                     hours: office, sub_centre: {number: "87012366", answer_timeout: 15s}, flow: my-flow}
                  - {number: "12348", name: 12348热线, department: 司法局, skill: legal, mode: sub_centre,
                     sub_centre: {number: "87012348", trunk: sc12348}}
                """);
        assertThat(r.problems()).isEmpty();
        LineTable table = r.table().orElseThrow();
        DepartmentLine main = table.lines().get(0);
        DepartmentLine merged = table.lines().get(1);
        DepartmentLine parallel = table.lines().get(2);
        DepartmentLine sub = table.lines().get(3);
        assertThat(main.mode()).isEqualTo(LineMode.MAIN);
        assertThat(main.flowId()).isEqualTo("main");
        assertThat(main.hoursId()).isEqualTo("7x24");
        assertThat(merged.mode()).isEqualTo(LineMode.MERGED);
        assertThat(merged.welcomePrompt()).isEqualTo("hotline/welcome-12345");
        assertThat(merged.mergedNotice()).contains("hotline/merged-12315");
        assertThat(parallel.welcomePrompt()).isEqualTo("hotline/welcome-12333");
        assertThat(parallel.priority()).isEqualTo(2);
        assertThat(parallel.poolWhenClosed()).isTrue();
        assertThat(parallel.flowId()).isEqualTo("parallel");
        assertThat(sub.subCentre()).contains(new SubCentre("87012366", Duration.ofSeconds(15)));
        assertThat(sub.flowId()).isEqualTo("my-flow");
        assertThat(sub.poolFallback()).isTrue();
        // its own trunk; the default answer timeout
        assertThat(table.lines().get(4).subCentre()).contains(new SubCentre("87012348",
                java.util.Optional.of("sc12348"), Duration.ofSeconds(20)));
        assertThat(table.directory().serving("99999")).isEqualTo(main);
        assertThat(table.hours()).containsKey("office");
    }

    @Test
    void mistakesAreReportedWithTheirLines() {
        Result r = load("""
                main_line: "12345"
                hours:
                  office: {workdays: ["08:30-17:30"], prompt: hours-nope}
                lines:
                  - {number: "12345", name: 12345热线, department: 热线中心, skill: general}
                  - {number: "12315", name: 12315热线, department: 市场监管局, skill: market, mode: joined}
                  - {number: "12366", name: 12366热线, department: 税务局, skill: tax, mode: sub_centre}
                  - {number: "12333", name: 12333热线, department: 人社局, skill: Social, hours: night,
                     welcome: hello, sub_centre: {number: "1"}}
                  - {number: "12345", name: again, department: x, skill: general}
                  - {number: "12a", name: x, department: x, skill: x, colour: red, min_level: 0}
                  - {number: "12348", name: x, department: x, skill: legal, mode: sub_centre,
                     sub_centre: {number: "87012348", trunk: "sc 12348"}}
                """);
        assertThat(r.table()).isEmpty();
        assertThat(r.problems()).contains(
                "lines.yaml:3: error: hours 'office': unknown prompt 'hours-nope' (not in the prompt catalogue)",
                "lines.yaml:6: error: line 12315: mode 'joined' is not one of main, merged (整体并入), parallel "
                        + "(双号并行), sub_centre (设分中心)",
                "lines.yaml:7: error: line 12366: mode sub_centre needs 'sub_centre: {number: ..., "
                        + "answer_timeout: 20s}'",
                "lines.yaml:8: error: line 12333: skill 'Social' must be lower-case letters, digits and '_'",
                "lines.yaml:8: error: line 12333: unknown hours 'night' (defined: office, 7x24)",
                "lines.yaml:9: error: line 12333: unknown prompt 'hello' in 'welcome' (not in the prompt catalogue)",
                "lines.yaml:9: error: line 12333: sub-centre number must be 3 to 20 digits, was '1'",
                "lines.yaml:9: error: line 12333: 'sub_centre' is only for mode sub_centre",
                "lines.yaml:11: error: line 12a: 'min_level' must be a whole number 1..10, was '0'",
                "lines.yaml:13: error: line 12348: sub-centre trunk must be a PJSIP endpoint name, was 'sc 12348'")
                .anyMatch(p -> p.startsWith("lines.yaml:11: error: line 12a: unknown key 'colour'"));
    }

    @Test
    void aDuplicateNumberAndAMissingMainLineAreErrors() {
        assertThat(load("""
                main_line: "12345"
                lines:
                  - {number: "12345", name: a, department: b, skill: general}
                  - {number: "12345", name: a, department: b, skill: general}
                """).problems()).containsExactly("lines.yaml:4: error: line 12345 is configured twice (first on line 3)");
        assertThat(load("""
                main_line: "12345"
                lines:
                  - {number: "12315", name: a, department: b, skill: market}
                """).problems()).containsExactly("lines.yaml:1: error: main line 12345 is not among the lines");
    }
}
