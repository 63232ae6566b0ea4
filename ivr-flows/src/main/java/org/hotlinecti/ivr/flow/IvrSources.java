package org.hotlinecti.ivr.flow;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the IVR configuration comes from: each file the operator gives, or the built-in resource when empty.
 *
 * @param prompts  the prompt catalogue ({@code ivr/prompts.yaml} built in)
 * @param holidays the PRC holiday table ({@code ivr/prc-holidays.yaml} built in)
 * @param lines    the line table with opening hours ({@code ivr/lines.yaml} built in)
 * @param flows    the flow set ({@code ivr/flows.yaml} built in)
 */
public record IvrSources(Optional<Path> prompts, Optional<Path> holidays, Optional<Path> lines,
        Optional<Path> flows) {

    public IvrSources {
        prompts = prompts == null ? Optional.empty() : prompts;
        holidays = holidays == null ? Optional.empty() : holidays;
        lines = lines == null ? Optional.empty() : lines;
        flows = flows == null ? Optional.empty() : flows;
    }

    /** Everything built in. */
    public static IvrSources defaults() {
        return new IvrSources(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public IvrSources withFlows(Path file) {
        return new IvrSources(prompts, holidays, lines, Optional.of(file));
    }

    public IvrSources withLines(Path file) {
        return new IvrSources(prompts, holidays, Optional.of(file), flows);
    }

    public IvrSources withPrompts(Path file) {
        return new IvrSources(Optional.of(file), holidays, lines, flows);
    }

    public IvrSources withHolidays(Path file) {
        return new IvrSources(prompts, Optional.of(file), lines, flows);
    }
}
