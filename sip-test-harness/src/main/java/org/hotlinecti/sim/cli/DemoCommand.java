package org.hotlinecti.sim.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.hotlinecti.sim.demo.Demo;
import org.hotlinecti.sim.demo.DemoSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: the CTI on its embedded defaults with the simulated world; ends with a JSON summary line. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the CTI on the embedded database with the sim PBX, simulated agents and callers on "
                + "12345 and department lines in each merger mode, one of them out of hours.",
            "Prints the monitor page URL, then at the end one JSON line: "
                + "{\"calls\":..,\"answered\":..,\"abandoned\":..,\"voicemail\":..,\"transferred\":..,\"other\":..,"
                + "\"tickets\":..,\"ready_to_ring_count\":..}"})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long calls keep arriving (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--agents", defaultValue = "8", paramLabel = "N", description = "agents on duty (default ${DEFAULT-VALUE})")
    int agents;

    @Option(names = "--calls-per-minute", defaultValue = "30", paramLabel = "N",
            description = "mean arrival rate (default ${DEFAULT-VALUE})")
    double callsPerMinute;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "port of the monitor page and REST API on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 picks one)")
    int httpPort;

    @Option(names = "--data-dir", defaultValue = "./data", paramLabel = "DIR",
            description = "where the embedded database lives (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "12345", paramLabel = "N", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--verbose", description = "log the CTI's and the sim PBX's work (INFO)")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        DemoSummary summary = new Demo(new Demo.Options(duration, agents, callsPerMinute, httpPort, dataDir, seed),
                System.out).run();
        System.out.println(summary.json());
        if (summary.tickets() != summary.ended()) {
            System.err.println("hotline: " + summary.ended() + " calls ended but " + summary.tickets()
                    + " tickets were written");
            return 1;
        }
        return 0;
    }
}
