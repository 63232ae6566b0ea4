package org.hotlinecti.ivr.yaml;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file (flows, prompts, lines, calendar) that must not be used; the message lists every problem. */
public class InvalidConfigException extends RuntimeException {

    private final transient List<Problem> problems;

    public InvalidConfigException(String what, List<Problem> problems) {
        super(what + " is invalid:\n  " + problems.stream().map(Problem::toString)
                .collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    /** Errors and warnings, in file order. */
    public List<Problem> problems() {
        return problems;
    }
}
