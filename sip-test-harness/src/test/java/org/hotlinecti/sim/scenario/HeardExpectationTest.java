package org.hotlinecti.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expect.heard}: what a caller heard, as the catalogue's texts, and how scenario files may name it. */
class HeardExpectationTest {

    @TempDir
    Path dir;

    private final ScenarioRunner runner = new ScenarioRunner(Duration.ofMillis(100));

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void theTranscriptIsTheCataloguesTextsWithOneNoteForEachStretchOfMusic() {
        String transcript = ScenarioRunner.transcript(List.of("hotline/welcome-12345", "waitexten:default",
                "waitexten:default", "hotline/queue-ahead", "hotline/num/liang", "hotline/queue-ahead-unit",
                "hotline/queue-wait", "hotline/num/9", "hotline/unit-minutes", "waitexten:default", "record:x"),
                PromptCatalogue.loadDefault());
        assertThat(transcript).isEqualTo("您好，欢迎致电12345政务服务便民热线，正在为您转接人工服务，请稍候。♪您前面还有两位预计等待九分钟♪");
    }

    @Test
    void heardExpectationsNameACallerOfTheScenarioAndTexts() throws IOException {
        String head = "name: x\ncalls:\n  - {from: \"13800001111\", to: \"12345\"}\nexpect:\n  heard:\n";
        Scenario ok = runner.check(file(head + "    - {caller: \"13800001111\", says: [\"您前面还有两位\", \"~预计等待.+?分钟\"],"
                + " not: 您是下一位}\n"));
        assertThat(ok.expect().heard()).hasSize(1);

        assertThatThrownBy(() -> runner.check(file(head + "    - {caller: \"13800001111\", hears: x}\n")))
                .hasMessageContaining("expect.heard[0]: unknown field 'hears' (known: caller, not, says)");
        assertThatThrownBy(() -> runner.check(file(head + "    - {caller: \"13900000000\", says: x}\n")))
                .hasMessageContaining("expect.heard[0].caller: no call from 13900000000 in calls");
        assertThatThrownBy(() -> runner.check(file(head + "    - {caller: \"13800001111\", says: {a: b}}\n")))
                .hasMessageContaining("expect.heard[0].says must be a text or a list of texts");
    }
}
