package org.hotlinecti.cti;

import org.hotlinecti.cti.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the production jar: {@code java -jar hotline-cti.jar serve --config FILE}. */
@Command(name = "hotline-cti", mixinStandardHelpOptions = true, version = "hotline-cti 0.1.0",
        description = "CTI/ACD server for the 12345 government service hotline.",
        subcommands = ServeCommand.class)
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new CommandLine(new Main()), args));
    }

    /**
     * Runs a command line with the project's error contract: bad input and failed start-ups print one line naming the
     * problem ({@code hotline: ...}) and exit 2 (usage, configuration) or 1 (anything else), never a bare stack trace.
     */
    public static int run(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("hotline: " + oneLine(e));
            if (Boolean.getBoolean("hotline.debug")) {
                e.printStackTrace(cmd.getErr());
            }
            return e instanceof ConfigException || e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }

    /** The most useful single line of an exception chain. */
    public static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
