package org.hotlinecti.sim.pbx.dialplan;

/**
 * One dialplan step: {@code exten => 12345,2(label),AGI(agi://...)}.
 *
 * @param number      the priority number (1, 2 ...)
 * @param label       the optional label, or null
 * @param application application name as written (e.g. {@code AGI})
 * @param data        the raw argument text, variables not yet substituted
 * @param line        line in the source file, for errors
 */
public record Priority(int number, String label, String application, String data, int line) {
}
