package org.hotlinecti.acd;

import java.time.Instant;
import java.util.Optional;

/**
 * When something is on: a queue's opening hours or a time-boxed pool's active hours (领导接听日). The engine has no
 * calendar of its own; the owner supplies the rule (see {@link TimeWindows} for a plain one).
 */
public interface Schedule {

    /** Always on. */
    Schedule ALWAYS = new Schedule() {
        @Override
        public boolean isOn(Instant at) {
            return true;
        }

        @Override
        public Optional<Instant> nextChange(Instant after) {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "always";
        }
    };

    /** Whether the schedule is on at {@code at}. */
    boolean isOn(Instant at);

    /**
     * The first instant strictly after {@code after} at which {@link #isOn} changes, or empty when it never changes
     * again (or not within a horizon the implementation documents). The engine wakes itself (through its owner) at
     * that instant to act on the change.
     */
    Optional<Instant> nextChange(Instant after);
}
