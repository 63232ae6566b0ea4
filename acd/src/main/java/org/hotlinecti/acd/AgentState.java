package org.hotlinecti.acd;

import java.util.Locale;

/** Where an agent is in the call cycle. Only {@link #READY} agents are offered calls. */
public enum AgentState {
    LOGGED_OUT, NOT_READY, READY, OFFERED, TALKING, WRAP_UP;

    /** Lower-case name used on the wire and in logs, e.g. {@code wrap_up}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
