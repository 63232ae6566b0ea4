package org.hotlinecti.bench;

import org.hotlinecti.bench.acd.AcdBench;
import org.hotlinecti.bench.ami.AmiBench;
import org.hotlinecti.bench.agi.AgiBench;
import org.hotlinecti.bench.tickets.TicketsBench;
import org.hotlinecti.cti.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./hotline bench NAME}: each subcommand runs one benchmark in this JVM and ends by printing one JSON line of
 * figures ({@link BenchReport}), so CI logs and closing notes quote the same keys the issues name.
 */
@Command(name = "hotline bench", mixinStandardHelpOptions = true, version = "hotline-cti 0.1.0",
        description = {"Benchmarks of hotline-cti. Each prints one JSON line of measured figures."},
        subcommands = {AcdBench.class, AgiBench.class, AmiBench.class, TicketsBench.class})
public final class BenchCli {

    BenchCli() {
    }

    public static void main(String[] args) {
        // benchmark output is the JSON line; the servers' INFO lines would drown it
        if (System.getProperty("hotline.log.level") == null) {
            System.setProperty("hotline.log.level", "WARN");
        }
        System.exit(Main.run(new CommandLine(new BenchCli()), args));
    }
}
