package org.hotlinecti.ivr;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The IVR's only view of a caller: the small set of media operations a flow needs. The CTI implements it over
 * FastAGI; tests implement it with a fake. Flows never see AGI, AMI or SIP.
 *
 * <p><b>Asynchronous.</b> Every operation returns at once with a stage that completes when the operation is done (a
 * prompt played, digits collected). Thousands of callers can be in the IVR at once, so no thread waits for a caller:
 * a flow chains the next operation onto the stage ({@code thenCompose}) and must never block inside a continuation.
 * Stages may complete on the implementation's I/O thread, or already be complete when returned.
 *
 * <p><b>One operation at a time.</b> The PBX executes one command per channel at a time (AGI is strictly request and
 * reply), so a flow starts the next operation only after the previous stage completed. Starting a second operation
 * while one is outstanding fails that second stage with {@link IllegalStateException}.
 *
 * <p><b>Hang-up.</b> Once the caller has gone (or the channel was taken away from the IVR, e.g. by a redirect) the
 * operation in progress and every later one complete exceptionally with {@link ChannelHungUpException} (possibly
 * wrapped in a {@link java.util.concurrent.CompletionException}); {@link #record} is the exception, because a caller
 * hanging up is the normal end of a voicemail. A flow lets the exception end it. Invalid arguments (a prompt name
 * that is not a plain sound-file token, CR/LF in a value, ...) fail the stage with {@link IllegalArgumentException}
 * before anything is sent, so caller-supplied text can never become a second PBX command.
 *
 * <p>Prompt names are sound file names without extension, relative to the PBX's sounds directory (for example
 * {@code hotline/welcome-12345}); the PBX picks the file for the channel's language.
 */
public interface Channel {

    /** Answers the call if it is not answered yet; completes at once when it is. */
    CompletionStage<Void> answer();

    /**
     * Plays a prompt.
     *
     * @param escapeDigits digits that interrupt the prompt ({@code ""} for none)
     * @return the digit that interrupted the prompt, or {@code 0} if it played to the end (a prompt the PBX cannot
     *         find is skipped and also gives {@code 0})
     */
    CompletionStage<Character> play(String prompt, String escapeDigits);

    /**
     * Plays a prompt (interruptible by any digit) and collects up to {@code maxDigits} digits; {@code #} ends early.
     *
     * @param timeout how long to wait for the first digit after the prompt, and between digits
     */
    CompletionStage<DigitInput> readDigits(String prompt, int maxDigits, Duration timeout);

    /** Sets a channel variable the dialplan or later AGI sessions can read. Values must not contain CR or LF. */
    CompletionStage<Void> setVariable(String name, String value);

    /** Reads a channel variable; empty when it is not set. */
    CompletionStage<Optional<String>> getVariable(String name);

    /**
     * Records the caller (voicemail) into {@code file} (a path token relative to the PBX's recording directory,
     * without extension) in {@code format} (e.g. {@code wav}). Completes normally also when the caller hangs up while
     * recording: the recording made so far is kept and the result says so.
     *
     * @param escapeDigits digits that end the recording (typically {@code #})
     * @param maxLength    the longest recording allowed
     * @param silence      silence that ends the recording ({@link Duration#ZERO} for none)
     * @param beep         whether to play a beep before recording
     */
    CompletionStage<RecordingResult> record(String file, String format, String escapeDigits, Duration maxLength,
            Duration silence, boolean beep);

    /** Hangs up the caller; completes at once when the caller is already gone. The flow should end afterwards. */
    CompletionStage<Void> hangup();
}
