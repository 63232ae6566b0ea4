package org.hotlinecti.sim.pbx.agi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The sim PBX channel as the FastAGI client drives it: the media primitives behind AGI commands. The PBX core
 * implements it per channel; {@link FastAgiClient} speaks the protocol and composes commands from these primitives
 * (GET DATA = play interruptible by any digit, then {@link #waitForDigit} until max digits, {@code #} or timeout).
 *
 * <p>A channel is <em>dead for AGI</em> once the caller hung up or an AMI Redirect took it (Asterisk treats both the
 * same way inside AGI, see {@code ../shared/asterisk/README.md}). From then on every media primitive throws
 * {@link ChannelGoneException} at once, and one that is in progress when it happens returns by throwing it too.
 * Variable access keeps working on a dead channel, as in Asterisk.
 *
 * <p>Called from the one thread that runs the AGI session.
 */
public interface AgiChannelPort {

    /**
     * The {@code agi_*} header values, in Asterisk's order, without the {@code agi_} prefix: network, network_script,
     * request, channel, language, type, uniqueid, version, callerid, calleridname, callingpres, callingani2,
     * callington, callingtns, dnid, rdnis, context, extension, priority, enhanced, accountcode, threadid.
     */
    Map<String, String> agiEnvironment();

    /** False once the channel is dead for AGI (hung up or redirected). */
    boolean isAlive();

    /** Answers the channel if needed (200 OK to the caller). */
    void answer() throws ChannelGoneException;

    /**
     * Plays a sound file.
     *
     * @param escapeDigits digits that stop playback; other digits are discarded, as Asterisk does
     * @return the digit that stopped playback ({@code 0} if it played to the end) and the sample position reached
     */
    Playback play(String file, String escapeDigits) throws ChannelGoneException;

    /** Waits up to {@code timeout} for one DTMF digit; returns {@code 0} on timeout. */
    char waitForDigit(Duration timeout) throws ChannelGoneException;

    /**
     * Records the caller into {@code file.format} until an escape digit, {@code maxLength}, {@code silence} (when
     * not null) or hang-up. A hang-up during recording throws {@link ChannelGoneException} carrying the end position
     * reached, because Asterisk reports it ({@code 200 result=-1 (hangup) endpos=N}).
     */
    Recording record(String file, String format, String escapeDigits, Duration maxLength, boolean beep,
            Duration silence) throws ChannelGoneException;

    /**
     * Whether {@link #record} could create {@code file.format}; Asterisk answers {@code 200 result=-1 (writefile)}
     * without recording when it cannot.
     */
    default boolean canRecordTo(String file, String format) {
        return true;
    }

    /** Sets a channel variable (works on a dead channel too). */
    void setVariable(String name, String value);

    /**
     * Evaluates a variable name or an expression such as {@code ${CHANNEL(linkedid)}} or {@code ${CTI_AGENT}/${X}}
     * as GET FULL VARIABLE does; empty when a plain variable is unset.
     */
    Optional<String> getVariable(String nameOrExpression);

    /** Hangs the channel up (AGI HANGUP). */
    void hangup();

    /** An AGI command started: the core publishes AMI {@code AGIExecStart}. */
    void execStarted(int commandId, String command);

    /** An AGI command ended: the core publishes AMI {@code AGIExecEnd} ({@code Result: Success} for 200). */
    void execEnded(int commandId, String command, int resultCode, String result);

    /** Result of {@link #play}. */
    record Playback(char digit, long endPosition) {
    }

    /** Result of {@link #record}: how it ended and how many samples were written. */
    record Recording(char digit, boolean timedOut, long endPosition) {
    }
}
