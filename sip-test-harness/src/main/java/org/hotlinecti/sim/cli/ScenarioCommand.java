package org.hotlinecti.sim.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.hotlinecti.sim.scenario.ScenarioResult;
import org.hotlinecti.sim.scenario.ScenarioRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scenario FILE...}: runs scenario files, one result line each; non-zero exit if any fails. */
@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = {"Runs scenario files (YAML, see DESIGN.md and scenarios/) against the CTI and the sim PBX.",
            "Prints one PASS/FAIL line per scenario; exits 1 if any failed or could not be read."})
final class ScenarioCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "scenario files")
    List<Path> files;

    @Option(names = "--prompt-duration", defaultValue = "300ms", paramLabel = "DURATION",
            description = "how long each simulated prompt plays (default ${DEFAULT-VALUE})",
            converter = DurationConverter.class)
    Duration promptDuration;

    @Option(names = "--verbose", description = "log the CTI's and the sim PBX's work (INFO)")
    boolean verbose;

    @Override
    public Integer call() {
        ScenarioRunner runner = new ScenarioRunner(promptDuration);
        int failed = 0;
        for (Path file : files) {
            ScenarioResult r = runner.run(file);
            System.out.println(r.line());
            if (!r.passed()) {
                failed++;
            }
        }
        if (files.size() > 1) {
            System.out.println((files.size() - failed) + " passed, " + failed + " failed");
        }
        return failed == 0 ? 0 : 1;
    }
}
