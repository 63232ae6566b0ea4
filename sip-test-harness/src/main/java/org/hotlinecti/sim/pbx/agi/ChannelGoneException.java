package org.hotlinecti.sim.pbx.agi;

/** The channel was hung up or redirected while (or before) a media primitive ran. */
public class ChannelGoneException extends Exception {

    private final long endPosition;

    public ChannelGoneException(String message) {
        this(message, 0);
    }

    public ChannelGoneException(String message, long endPosition) {
        super(message, null, false, false);
        this.endPosition = endPosition;
    }

    /** Samples played or recorded before the channel went (for RECORD FILE's {@code endpos}). */
    public long endPosition() {
        return endPosition;
    }
}
