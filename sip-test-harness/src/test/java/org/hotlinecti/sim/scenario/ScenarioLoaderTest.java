package org.hotlinecti.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad scenario files give one line naming the file, the place and the problem. */
class ScenarioLoaderTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private final ScenarioRunner runner = new ScenarioRunner(Duration.ofMillis(100));

    @Test
    void readsTheDesignDocumentsExample() throws IOException {
        Scenario s = runner.check(file("""
                name: 12315 merged line, office hours, answered
                start: 2026-03-02T10:00:00+08:00
                config: {}
                agents:
                  - {id: "1001", skills: {market: 8}, answer_after: 2s}
                calls:
                  - {from: "13800001111", to: "12315", at: 0s, dtmf: [], talk: 20s}
                expect:
                  tickets:
                    - {caller: "13800001111", line: "12315", disposition: answered, agent: "1001"}
                  screen_pops: [{agent: "1001", caller: "13800001111"}]
                """));

        assertThat(s.agents().get(0).answerAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.calls().get(0).talk()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.start().toInstant().toString()).isEqualTo("2026-03-02T02:00:00Z");
        assertThat(s.expect().screenPops()).hasSize(1);
    }

    @Test
    void aWarmupIsReadAndANegativeOneIsRefused() throws IOException {
        Scenario s = runner.check(file("name: x\nwarmup: 5s\ncalls:\n  - {from: \"13800001111\", to: \"12345\"}\n"));
        assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(5));

        Path negative = file("name: x\nwarmup: -1s\ncalls:\n  - {from: \"13800001111\", to: \"12345\"}\n");
        assertThatThrownBy(() -> runner.check(negative)).hasMessageContaining("warmup: '-1s' is not a duration");
    }

    @Test
    void syntaxErrorsAndUnknownKeysNameTheLine() throws IOException {
        Path broken = file("name: x\ncalls:\n  - {from: \"1380000\", to: [\n");
        assertThatThrownBy(() -> runner.check(broken)).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(broken + ":");

        Path typo = file("name: x\ncalls:\n  - {from: \"13800001111\", to: \"12345\", tlak: 3s}\n");
        assertThatThrownBy(() -> runner.check(typo)).hasMessageStartingWith(typo + ":3:")
                .hasMessageContaining("unknown key 'tlak'").hasMessageContaining("talk");
    }

    @Test
    void externalsAreCheckedAndTheOutcomeTicketFieldsAreKnown() throws IOException {
        Scenario s = runner.check(file("name: x\nexternals:\n  - {number: \"120\", answer_after: 2s}\n"
                + "  - {number: \"88001234\", trunk: sc12315, busy: true}\n"
                + "calls:\n  - {from: \"13800001111\", to: \"12345\"}\n"
                + "expect:\n  tickets:\n    - {recording: \"~voicemail/.*\", transfer_target: \"120\","
                + " handled_by: external}\n"));
        assertThat(s.externals()).extracting(Scenario.External::number).containsExactly("120", "88001234");

        assertThatThrownBy(() -> runner.check(file("name: x\nexternals:\n  - {number: \"1a0\"}\n"
                + "calls:\n  - {from: \"13800001111\", to: \"12345\"}\n")))
                .hasMessageContaining("externals[0].number must be a phone number");
        assertThatThrownBy(() -> runner.check(file("name: x\nexternals:\n  - {number: \"120\", busy: true,"
                + " reject: true}\ncalls:\n  - {from: \"13800001111\", to: \"12345\"}\n")))
                .hasMessageContaining("externals[0]: choose one of answer_after, no_answer, busy, reject");
        assertThatThrownBy(() -> runner.check(file("name: x\nexternals:\n  - {number: \"120\"}\n"
                + "  - {number: \"120\"}\ncalls:\n  - {from: \"13800001111\", to: \"12345\"}\n")))
                .hasMessageContaining("externals[1]: number 120 is listed twice");
    }

    @Test
    void anUnknownLineIsNamedWithTheConfiguredOnes() throws IOException {
        Path f = file("name: x\ncalls:\n  - {from: \"13800001111\", to: \"99999\"}\n");
        assertThatThrownBy(() -> runner.check(f))
                .hasMessageStartingWith(f + ": calls[0].to: 99999 is not a configured line (configured: 12345, 12315");
    }

    @Test
    void badValuesAreNamedByPath() throws IOException {
        assertThatThrownBy(() -> runner.check(file("name: x\ncalls:\n  - {from: \"abc\", to: \"12345\"}\n")))
                .hasMessageContaining("calls[0].from must be a phone number");
        assertThatThrownBy(() -> runner.check(file("name: x\ncalls: []\n")))
                .hasMessageContaining("calls: at least one call is needed");
        assertThatThrownBy(() -> runner.check(file(
                "name: x\nagents:\n  - {id: \"1\", skills: {a: 1}, busy: true, no_answer: true}\n"
                        + "calls:\n  - {from: \"13800001111\", to: \"12345\"}\n")))
                .hasMessageContaining("agents[0]: choose one of answer_after, no_answer, busy, reject");
        assertThatThrownBy(() -> runner.check(file("name: x\ncalls:\n  - {from: \"13800001111\", to: \"12345\", "
                + "at: soon}\n"))).hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> runner.check(file("name: x\ncalls:\n  - {from: \"13800001111\", to: \"12345\"}\n"
                + "expect:\n  tickets:\n    - {colour: red}\n")))
                .hasMessageContaining("expect.tickets[0]: unknown field 'colour'");
        assertThatThrownBy(() -> runner.check(file("name: x\nconfig: {acd: {ring_timeout: -1s}}\ncalls:\n"
                + "  - {from: \"13800001111\", to: \"12345\"}\n")))
                .hasMessageContaining("ring_timeout");
        assertThatThrownBy(() -> runner.check(dir.resolve("missing.yaml"))).hasMessageContaining("no such file");
    }

    @Test
    void agentExpectationsNameAKnownAgentAndOnlyIdStateAndReason() throws IOException {
        String head = "name: x\nagents:\n  - {id: \"1001\", skills: {general: 5}}\n"
                + "calls:\n  - {from: \"13800001111\", to: \"12345\"}\nexpect:\n  agents:\n";
        Scenario ok = runner.check(file(head + "    - {id: \"1001\", state: not_ready, reason: rona}\n"));
        assertThat(ok.expect().agents()).containsExactly(java.util.Map.of("id", "1001", "state", "not_ready",
                "reason", "rona"));

        assertThatThrownBy(() -> runner.check(file(head + "    - {id: \"1001\", mood: happy}\n")))
                .hasMessageContaining("expect.agents[0]: unknown field 'mood' (known: id, reason, state)");
        assertThatThrownBy(() -> runner.check(file(head + "    - {id: \"1009\", state: ready}\n")))
                .hasMessageContaining("expect.agents[0].id: no agent 1009 in agents (known: 1001)");
        assertThatThrownBy(() -> runner.check(file(head + "    - {state: ready}\n")))
                .hasMessageContaining("expect.agents[0].id: missing");
    }

    @Test
    void aBadFileIsAFailedResultNotACrash() throws IOException {
        ScenarioResult r = runner.run(file("name: [\n"));
        assertThat(r.passed()).isFalse();
        assertThat(r.line()).startsWith("FAIL").doesNotContain("\n").doesNotContain("Exception");
    }
}
