package org.hotlinecti.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario shipped under scenarios/ passes: they are the harness's behaviour tests. */
class ShippedScenariosTest {

    static Stream<Path> scenarios() throws IOException {
        Path dir = Path.of(System.getProperty("hotline.project.dir"), "scenarios");
        return Files.list(dir).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void passes(Path file) {
        ScenarioResult result = new ScenarioRunner(Duration.ofMillis(300)).run(file);
        assertThat(result.problems()).as(result.line()).isEmpty();
        assertThat(result.tickets()).isEqualTo(result.calls());
        if (file.getFileName().toString().contains("agents-free-up")) {
            // the figure itself is reported, never asserted (timing on a shared machine); its samples must exist
            assertThat(result.readyToRing().count()).as(result.line()).isGreaterThanOrEqualTo(4);
        }
    }

    /** The measurement scenarios under scenarios/bench are too long for CI; they must still load, or they rot. */
    @Test
    void benchScenariosLoad() throws IOException {
        Path dir = Path.of(System.getProperty("hotline.project.dir"), "scenarios", "bench");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".yaml")).map(new ScenarioLoader()::load))
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.calls()).hasSameSizeAs(s.expect().tickets()));
        }
    }
}
