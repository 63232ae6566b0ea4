package org.hotlinecti.sim.scenario;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one scenario run.
 *
 * @param file     the scenario file
 * @param name     its name (or the file name when it could not be read)
 * @param problems what did not hold; empty when it passed
 * @param took     wall time of the run
 * @param calls    calls placed
 * @param tickets  tickets written
 */
public record ScenarioResult(String file, String name, List<String> problems, Duration took, int calls,
        int tickets) {

    public ScenarioResult {
        problems = List.copyOf(problems);
    }

    public boolean passed() {
        return problems.isEmpty();
    }

    /** One line for the console: {@code PASS name (3.2 s, 2 calls, 2 tickets)} or {@code FAIL name: why; why}. */
    public String line() {
        if (passed()) {
            return String.format("PASS  %s  (%.1f s, %d calls, %d tickets)", name, took.toMillis() / 1000.0, calls,
                    tickets);
        }
        return "FAIL  " + name + " [" + file + "]: " + String.join("; ", problems);
    }
}
