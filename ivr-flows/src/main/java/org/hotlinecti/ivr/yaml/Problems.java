package org.hotlinecti.ivr.yaml;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems found while reading one or more files, so an operator sees all of them at once. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void error(YamlNode at, String message) {
        list.add(new Problem(at.source(), at.line(), Problem.Severity.ERROR, message));
    }

    public void error(String source, int line, String message) {
        list.add(new Problem(source, line, Problem.Severity.ERROR, message));
    }

    public void warning(YamlNode at, String message) {
        list.add(new Problem(at.source(), at.line(), Problem.Severity.WARNING, message));
    }

    public void warning(String source, int line, String message) {
        list.add(new Problem(source, line, Problem.Severity.WARNING, message));
    }

    public void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(Problem::isError);
    }

    public List<Problem> all() {
        return List.copyOf(list);
    }

    public List<Problem> errors() {
        return list.stream().filter(Problem::isError).toList();
    }

    /** Throws {@link InvalidConfigException} with every error (and warning) when there is at least one error. */
    public void throwIfErrors(String what) {
        if (hasErrors()) {
            throw new InvalidConfigException(what, all());
        }
    }
}
