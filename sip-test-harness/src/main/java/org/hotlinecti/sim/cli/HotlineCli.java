package org.hotlinecti.sim.cli;

import org.hotlinecti.cti.Main;
import org.hotlinecti.cti.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The launcher's entry point ({@code ./hotline}): demo, scenario and serve. */
@Command(name = "hotline", mixinStandardHelpOptions = true, version = "hotline-cti 0.1.0",
        description = {"hotline-cti: CTI/ACD server for the 12345 government service hotline, and its simulated "
                + "world."},
        subcommands = {DemoCommand.class, ScenarioCommand.class, ServeCommand.class})
public final class HotlineCli {

    HotlineCli() {
    }

    public static void main(String[] args) {
        quietLogsUnlessVerbose(args);
        System.exit(Main.run(new CommandLine(new HotlineCli()), args));
    }

    /**
     * Demo and scenario output is for people (URLs, PASS/FAIL lines, the JSON summary): the servers' INFO lines stay
     * off unless {@code --verbose}. Must run before the first logger is created.
     */
    private static void quietLogsUnlessVerbose(String[] args) {
        if (System.getProperty("hotline.log.level") != null) {
            return;
        }
        boolean serve = args.length > 0 && args[0].equals("serve");
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        System.setProperty("hotline.log.level", serve || verbose ? "INFO" : "WARN");
    }
}
