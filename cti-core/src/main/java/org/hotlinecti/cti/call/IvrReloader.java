package org.hotlinecti.cti.call;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.ivr.flow.IvrRegistry;
import org.hotlinecti.ivr.flow.IvrSources;
import org.hotlinecti.ivr.yaml.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the IVR: watches the flow, prompt and holiday files the configuration names (built-in ones never
 * change) and reloads {@link IvrRegistry} when one of them changes. A reload with errors is not activated: the flows
 * in force stay and every problem is logged as {@code file:line}. A periodic modification-time check on one daemon
 * thread rather than a {@link java.nio.file.WatchService}: editors replace files by rename, network file systems
 * deliver no events, and a few stats every couple of seconds cost nothing.
 */
public final class IvrReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IvrReloader.class);

    private final IvrRegistry registry;
    private final List<Path> files;
    private final Map<Path, Optional<String>> seen = new HashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * Starts watching.
     *
     * @param every how often the files are checked; zero: never (reload only on {@link #reload()})
     */
    public IvrReloader(IvrRegistry registry, Duration every) {
        this.registry = registry;
        this.files = watched(registry.sources());
        for (Path f : files) {
            seen.put(f, modified(f));
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ivr-reload");
            t.setDaemon(true);
            return t;
        });
        if (!files.isEmpty() && !every.isNegative() && !every.isZero()) {
            timer.scheduleWithFixedDelay(this::checkSafely, every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
            LOG.info("IVR: watching {} for changes", files);
        }
    }

    /** The files watched: those the configuration names. */
    public List<Path> files() {
        return files;
    }

    /**
     * Reloads now (e.g. for {@code POST /api/ivr/reload}) and logs the result.
     *
     * @return what the reload did; {@link IvrRegistry.ReloadResult#problems()} lists every problem
     */
    public synchronized IvrRegistry.ReloadResult reload() {
        IvrRegistry.ReloadResult result = registry.reload();
        if (result.activated()) {
            LOG.info("IVR reloaded: {} flows in force{}", registry.current().flows().flows().size(),
                    result.problems().isEmpty() ? "" : " (" + result.problems().size() + " warnings)");
            result.problems().forEach(p -> LOG.warn("IVR: {}", p));
        } else {
            LOG.error("IVR reload refused, the flows in force stay; {} problems:", result.errors().size());
            for (Problem p : result.problems()) {
                LOG.error("IVR: {}", p);
            }
        }
        return result;
    }

    /** Reloads when a watched file's modification time changed since the last check. */
    synchronized void check() {
        boolean changed = false;
        for (Path f : files) {
            Optional<String> now = modified(f);
            if (!now.equals(seen.get(f))) {
                seen.put(f, now);
                changed = true;
            }
        }
        if (changed) {
            LOG.info("IVR: a watched file changed, reloading");
            reload();
        }
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            // the timer must keep running: the next edit may fix whatever went wrong
            LOG.error("IVR: reload failed", e);
        }
    }

    private static List<Path> watched(IvrSources sources) {
        List<Path> files = new ArrayList<>();
        sources.flows().ifPresent(files::add);
        sources.prompts().ifPresent(files::add);
        sources.holidays().ifPresent(files::add);
        sources.lines().ifPresent(files::add);
        return List.copyOf(files);
    }

    /** Modification time and size: a second edit within the file system's time granularity usually changes the size. */
    private static Optional<String> modified(Path f) {
        try {
            return Optional.of(Files.getLastModifiedTime(f).toMillis() + "/" + Files.size(f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("IVR: cannot read {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
