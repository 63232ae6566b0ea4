package org.hotlinecti.ivr.yaml;

import java.util.Objects;

/**
 * One thing wrong (or suspicious) in a configuration file, with where it is.
 *
 * @param source   the file (or resource) name as the operator knows it
 * @param line     1-based line, or 0 when the problem is about the file as a whole
 * @param severity {@link Severity#ERROR} keeps the file from being activated; warnings do not
 * @param message  what is wrong, in terms of the file's keys
 */
public record Problem(String source, int line, Severity severity, String message) {

    /** How bad a problem is. */
    public enum Severity {
        ERROR, WARNING
    }

    public Problem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code flows.yaml:12: error: ...}, the form compilers use, so editors can jump to it. */
    @Override
    public String toString() {
        return source + (line > 0 ? ":" + line : "") + ": " + severity.name().toLowerCase() + ": " + message;
    }
}
