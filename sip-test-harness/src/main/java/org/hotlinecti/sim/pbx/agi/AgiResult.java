package org.hotlinecti.sim.pbx.agi;

/**
 * How a FastAGI session ended, as Asterisk's AGI() application reports it in the {@code AGISTATUS} channel variable.
 * The dialplan continues at the next priority in every case.
 */
public enum AgiResult {
    /** The FastAGI server closed the connection and the channel is still alive. */
    SUCCESS,
    /** No session (cannot connect, connect timeout) or the session broke (I/O error, protocol error). */
    FAILURE,
    /** The channel was hung up or redirected (dead for AGI) before the session ended. */
    HANGUP;

    /** The value Asterisk puts in {@code AGISTATUS}: {@code SUCCESS}, {@code FAILURE} or {@code HANGUP}. */
    public String agiStatus() {
        return name();
    }
}
