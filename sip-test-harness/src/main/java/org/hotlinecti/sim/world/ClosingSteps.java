package org.hotlinecti.sim.world;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes several things in order, each even if closing one before it failed. */
final class ClosingSteps {

    private static final Logger LOG = LoggerFactory.getLogger(ClosingSteps.class);

    /** One thing to close, named for the log. */
    record Step(String what, Runnable close) {
    }

    private ClosingSteps() {
    }

    /**
     * Runs every step in order, whatever the ones before it threw: exceptions are logged; an Error is rethrown (with
     * later ones suppressed) once all steps ran.
     */
    static void run(List<Step> steps) {
        Error error = null;
        for (Step step : steps) {
            try {
                step.close().run();
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed", step.what(), e);
            } catch (Error e) {
                if (error == null) {
                    error = e;
                } else {
                    error.addSuppressed(e);
                }
            }
        }
        if (error != null) {
            throw error;
        }
    }

    /** A step closing {@code closeable}; nothing when it is null. Checked exceptions are wrapped. */
    static Step closing(String what, AutoCloseable closeable) {
        return new Step(what, () -> {
            if (closeable == null) {
                return;
            }
            try {
                closeable.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }
}
