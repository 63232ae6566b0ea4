package org.hotlinecti.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner reports every expectation that does not hold, so a passing scenario means something. */
class ScenarioRunnerTest {

    @TempDir
    Path dir;

    @Test
    void wrongExpectationsAreEachReported() throws IOException {
        Path f = dir.resolve("wrong.yaml");
        Files.writeString(f, """
                name: expectations that cannot hold
                agents:
                  - {id: "1001", skills: {general: 5}, answer_after: 500ms}
                calls:
                  - {from: "13800001111", to: "12345", talk: 1s}
                expect:
                  tickets:
                    - {caller: "13800001111", disposition: answered, agent: "1002"}
                    - {caller: "13800001111", ivr_path: [welcome, "queue:general", "agent:1001"]}
                  screen_pops:
                    - {agent: "1001", caller: "13999999999"}
                  agents:
                    - {id: "1001", state: not_ready, reason: rona}
                """);

        ScenarioResult r = new ScenarioRunner(Duration.ofMillis(200), Duration.ofSeconds(2)).run(f);

        assertThat(r.passed()).isFalse();
        assertThat(r.calls()).isEqualTo(1);
        assertThat(r.tickets()).isEqualTo(1);
        assertThat(r.problems()).hasSize(3);
        assertThat(r.problems().get(0)).startsWith("no ticket {caller=13800001111, disposition=answered, agent=1002}")
                .contains("agent: 1001");
        assertThat(r.problems().get(1)).startsWith("no screen-pop {agent=1001, caller=13999999999}");
        // the agent answered (no RONA): it is in wrap-up or, form saved, ready again
        assertThat(r.problems().get(2)).matches("agent 1001 is (wrap_up|ready), expected \\{id=1001, "
                + "state=not_ready, reason=rona}");
        assertThat(r.line()).startsWith("FAIL  expectations that cannot hold");
    }
}
