package org.hotlinecti.ivr.flow;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.calendar.BusinessCalendar;
import org.hotlinecti.ivr.calendar.HolidayCalendar;
import org.hotlinecti.ivr.lines.LineTable;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.hotlinecti.ivr.yaml.InvalidConfigException;
import org.hotlinecti.ivr.yaml.Problem;
import org.hotlinecti.ivr.yaml.Problems;
import org.hotlinecti.ivr.yaml.YamlNode;
import org.hotlinecti.ivr.yaml.YamlReader;

/**
 * Everything the IVR runs on, loaded and cross-checked together: prompts, holidays, lines with their hours, and
 * flows (every prompt a flow or line names is in the catalogue, every flow a line names exists, every hours id is
 * defined). Immutable: a reload builds a new one ({@link IvrRegistry}).
 */
public record IvrConfig(PromptCatalogue prompts, HolidayCalendar holidays, LineTable lines, FlowSet flows,
        BusinessCalendar calendar) {

    /** The result of loading: the configuration when there were no errors, and every problem found. */
    public record Loaded(Optional<IvrConfig> config, List<Problem> problems) {

        public List<Problem> errors() {
            return problems.stream().filter(Problem::isError).toList();
        }

        /** The configuration, or {@link InvalidConfigException} listing every problem. */
        public IvrConfig orElseThrow() {
            return config.orElseThrow(() -> new InvalidConfigException("IVR configuration", problems));
        }
    }

    /** The lines as the CTI looks them up. */
    public LineDirectory lineDirectory() {
        return lines.directory();
    }

    /** The built-in configuration (example city); throws if a shipped file is broken. */
    public static IvrConfig loadDefault(Clock clock) {
        return load(IvrSources.defaults(), clock).orElseThrow();
    }

    /** Loads and validates every source; never throws for bad files, the problems say what is wrong. */
    public static Loaded load(IvrSources sources, Clock clock) {
        return load(sources, Optional.empty(), clock);
    }

    /**
     * As {@link #load(IvrSources, Clock)}, with lines the caller built (e.g. the CTI's own {@code lines:} config)
     * instead of a line table file; {@code sources.lines()} is ignored. Their flows and hours are checked; their
     * prompts are sound files the caller vouches for.
     */
    public static Loaded load(IvrSources sources, LineTable lines, Clock clock) {
        return load(sources, Optional.of(lines), clock);
    }

    private static Loaded load(IvrSources sources, Optional<LineTable> givenLines, Clock clock) {
        Problems problems = new Problems();
        Optional<PromptCatalogue> prompts = read(sources.prompts(), PromptCatalogue.DEFAULT_RESOURCE, problems)
                .flatMap(root -> PromptCatalogue.parse(root, problems));
        Optional<HolidayCalendar> holidays;
        try {
            holidays = Optional.of(sources.holidays().map(HolidayCalendar::load)
                    .orElseGet(HolidayCalendar::loadDefault));
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
            holidays = Optional.empty();
        }
        if (prompts.isEmpty()) {
            return new Loaded(Optional.empty(), problems.all());
        }
        Optional<LineTable> lines = givenLines.isPresent() ? givenLines
                : read(sources.lines(), LineTable.DEFAULT_RESOURCE, problems)
                        .flatMap(root -> LineTable.parse(root, prompts.get(), problems));
        String linesSource = givenLines.isPresent() ? "lines"
                : sources.lines().map(Path::toString).orElse(LineTable.DEFAULT_RESOURCE);
        if (givenLines.isPresent()) {
            for (DepartmentLine line : givenLines.get().lines()) {
                if (!line.hoursId().equals("7x24") && !givenLines.get().hours().containsKey(line.hoursId())) {
                    problems.error(linesSource, 0, "line " + line.number() + ": unknown hours '" + line.hoursId()
                            + "'");
                }
            }
        }
        Set<String> hoursIds = new HashSet<>(List.of("7x24"));
        lines.ifPresent(l -> hoursIds.addAll(l.hours().keySet()));
        Optional<FlowSet> flows = read(sources.flows(), FlowSet.DEFAULT_RESOURCE, problems)
                .flatMap(root -> FlowLoader.parse(root, prompts.get(), hoursIds, problems));
        if (lines.isPresent() && flows.isPresent()) {
            for (DepartmentLine line : lines.get().lines()) {
                if (flows.get().flow(line.flowId()).isEmpty()) {
                    problems.error(linesSource, 0, "line " + line.number() + ": flow '" + line.flowId()
                            + "' is not in the flow set (flows: " + String.join(", ", flows.get().flows().keySet())
                            + ")");
                }
            }
        }
        if (problems.hasErrors() || lines.isEmpty() || flows.isEmpty() || holidays.isEmpty()) {
            return new Loaded(Optional.empty(), problems.all());
        }
        BusinessCalendar calendar = new BusinessCalendar(holidays.get(), lines.get().hours(), clock);
        return new Loaded(Optional.of(new IvrConfig(prompts.get(), holidays.get(), lines.get(), flows.get(),
                calendar)), problems.all());
    }

    private static Optional<YamlNode> read(Optional<Path> file, String resource, Problems problems) {
        return file.isPresent() ? YamlReader.read(file.get(), problems) : YamlReader.readResource(resource, problems);
    }
}
