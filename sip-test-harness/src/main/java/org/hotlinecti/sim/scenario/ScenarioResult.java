package org.hotlinecti.sim.scenario;

import java.time.Duration;
import java.util.List;
import org.hotlinecti.sim.world.ReadyToRing;

/**
 * The outcome of one scenario run.
 *
 * @param file     the scenario file
 * @param name     its name (or the file name when it could not be read)
 * @param problems what did not hold; empty when it passed
 * @param took     wall time of the run
 * @param calls    calls placed
 * @param tickets  tickets written
 * @param readyToRing "agent ready → phone ringing" latency measured during the run (no samples when no agent became
 *                    ready while calls waited)
 */
public record ScenarioResult(String file, String name, List<String> problems, Duration took, int calls,
        int tickets, ReadyToRing.Figures readyToRing) {

    private static final ReadyToRing.Figures NONE = new ReadyToRing().figures();

    public ScenarioResult {
        problems = List.copyOf(problems);
        readyToRing = readyToRing == null ? NONE : readyToRing;
    }

    /** A result without latency samples (a file that could not run). */
    public ScenarioResult(String file, String name, List<String> problems, Duration took, int calls, int tickets) {
        this(file, name, problems, took, calls, tickets, NONE);
    }

    public boolean passed() {
        return problems.isEmpty();
    }

    /** One line for the console: {@code PASS name (3.2 s, 2 calls, 2 tickets)} or {@code FAIL name: why; why}. */
    public String line() {
        if (passed()) {
            return String.format(java.util.Locale.ROOT, "PASS  %s  (%.1f s, %d calls, %d tickets, %s)", name,
                    took.toMillis() / 1000.0, calls, tickets, readyToRing.line());
        }
        return "FAIL  " + name + " [" + file + "]: " + String.join("; ", problems);
    }
}
