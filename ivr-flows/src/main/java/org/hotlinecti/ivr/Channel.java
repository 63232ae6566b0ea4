package org.hotlinecti.ivr;

import java.time.Duration;

/**
 * The IVR's only view of a caller: the small set of media operations a flow needs. The CTI implements it over
 * FastAGI; tests implement it with a fake. Flows never see AGI, AMI or SIP.
 *
 * <p>Every operation blocks until it is complete (a prompt played, digits collected) and throws
 * {@link ChannelHungUpException} once the caller has gone (or the channel was taken away from the IVR, e.g. by a
 * redirect); a flow lets that exception end it. Implementations are used by one thread at a time.
 *
 * <p>Prompt names are sound file names without extension, relative to the PBX's sounds directory (for example
 * {@code hotline/welcome-12345}); the PBX picks the file for the channel's language.
 */
public interface Channel {

    /** Answers the call if it is not answered yet; a no-op otherwise. */
    void answer();

    /**
     * Plays a prompt.
     *
     * @param escapeDigits digits that interrupt the prompt ({@code ""} for none)
     * @return the digit that interrupted the prompt, or {@code 0} if it played to the end
     */
    char play(String prompt, String escapeDigits);

    /**
     * Plays a prompt (interruptible by any digit) and collects up to {@code maxDigits} digits; {@code #} ends early.
     *
     * @param timeout how long to wait for the first digit after the prompt, and between digits
     */
    DigitInput readDigits(String prompt, int maxDigits, Duration timeout);

    /** Sets a channel variable the dialplan or later AGI sessions can read. Values must not contain CR or LF. */
    void setVariable(String name, String value);

    /** Hangs up the caller; the flow should return afterwards. */
    void hangup();
}
