package org.hotlinecti.sim.scenario;

/** A scenario file cannot be run; the message names the file, where, and what is wrong, in one line. */
public class ScenarioException extends RuntimeException {

    public ScenarioException(String message) {
        super(message);
    }
}
