package org.hotlinecti.ivr;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The numbers the hotline answers. A number nobody configured is served as the main line: the carrier only routes
 * numbers the centre owns, so an unknown one is a configuration gap, and the caller still deserves an agent.
 */
public final class LineDirectory {

    private final Map<String, DepartmentLine> lines = new LinkedHashMap<>();
    private final DepartmentLine mainLine;

    /**
     * @param mainNumber the line that serves unknown numbers (normally 12345); must be among {@code lines}
     */
    public LineDirectory(Collection<DepartmentLine> lines, String mainNumber) {
        for (DepartmentLine line : lines) {
            if (this.lines.putIfAbsent(line.number(), line) != null) {
                throw new IllegalArgumentException("line " + line.number() + " is configured twice");
            }
        }
        this.mainLine = this.lines.get(mainNumber);
        if (mainLine == null) {
            throw new IllegalArgumentException("main line " + mainNumber + " is not among the configured lines");
        }
    }

    /** The configured line for {@code dialled}, if any. */
    public Optional<DepartmentLine> find(String dialled) {
        return Optional.ofNullable(lines.get(dialled));
    }

    /** The line that serves {@code dialled}: its own, or the main line. */
    public DepartmentLine serving(String dialled) {
        return lines.getOrDefault(dialled, mainLine);
    }

    public DepartmentLine mainLine() {
        return mainLine;
    }

    public List<DepartmentLine> all() {
        return List.copyOf(lines.values());
    }
}
