package org.hotlinecti.ivr.flow;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.hotlinecti.ivr.lines.LineTable;
import org.hotlinecti.ivr.yaml.Problem;

/**
 * The IVR configuration in force, and live reload: a reload that finds any error is not activated and the
 * configuration in force stays; one that succeeds replaces it atomically. Calls already in a flow finish on the
 * configuration they started with. Safe to call from any thread; does no I/O of its own beyond reading the files
 * named in the sources (the CTI watches them and calls {@link #reload}).
 */
public final class IvrRegistry {

    /** What a reload did. */
    public record ReloadResult(boolean activated, List<Problem> problems) {

        public List<Problem> errors() {
            return problems.stream().filter(Problem::isError).toList();
        }
    }

    private final Clock clock;
    private final AtomicReference<IvrConfig> current;
    private final Optional<LineTable> fixedLines;
    private volatile IvrSources sources;

    private IvrRegistry(IvrConfig initial, IvrSources sources, Optional<LineTable> fixedLines, Clock clock) {
        this.current = new AtomicReference<>(initial);
        this.sources = sources;
        this.fixedLines = fixedLines;
        this.clock = clock;
    }

    /**
     * Loads the first configuration; it must be valid.
     *
     * @throws org.hotlinecti.ivr.yaml.InvalidConfigException listing every problem when it is not
     */
    public static IvrRegistry load(IvrSources sources, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new IvrRegistry(IvrConfig.load(sources, clock).orElseThrow(), sources, Optional.empty(), clock);
    }

    /**
     * As {@link #load(IvrSources, Clock)} with lines the caller owns (the CTI's {@code lines:} config): reloads
     * re-read flows, prompts and holidays and check them against these lines.
     */
    public static IvrRegistry load(IvrSources sources, LineTable lines, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new IvrRegistry(IvrConfig.load(sources, lines, clock).orElseThrow(), sources, Optional.of(lines),
                clock);
    }

    public IvrConfig current() {
        return current.get();
    }

    /** Reloads from the same sources as last time (the files changed). */
    public ReloadResult reload() {
        return reload(sources);
    }

    /** Loads {@code newSources}; activates them only when there is no error. */
    public ReloadResult reload(IvrSources newSources) {
        IvrConfig.Loaded loaded = fixedLines.isPresent() ? IvrConfig.load(newSources, fixedLines.get(), clock)
                : IvrConfig.load(newSources, clock);
        if (loaded.config().isEmpty()) {
            return new ReloadResult(false, loaded.problems());
        }
        current.set(loaded.config().get());
        sources = newSources;
        return new ReloadResult(true, loaded.problems());
    }

    public IvrSources sources() {
        return sources;
    }
}
