package org.hotlinecti.cti.asterisk;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiNetworkException;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.HangupCommand;
import org.asteriskjava.fastagi.command.RecordFileCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.reply.AgiReply;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.hotlinecti.ivr.DigitInput;
import org.hotlinecti.ivr.RecordingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IVR's {@link Channel} over one FastAGI session.
 *
 * <p>What Asterisk does once the caller is gone (or the channel was redirected away, which looks the same): the
 * command in progress returns {@code result=-1}; an unsolicited {@code HANGUP} line comes before the reply to the next
 * command (Asterisk-Java skips it); media commands then get {@code 511}, which Asterisk-Java raises as
 * {@link AgiHangupException}, as it does for a closed socket. Any of these marks this channel gone: the operation
 * throws {@link ChannelHungUpException}, and every later operation throws it at once without sending anything.
 */
final class AgiIvrChannel implements Channel {

    private static final Logger log = LoggerFactory.getLogger(AgiIvrChannel.class);

    private static final String FAILED = "-1";
    private static final String TIMEOUT = "timeout";
    private static final int MAX_DIGITS = 1024;

    private final AgiChannel agi;
    private final String channelName;
    private boolean gone;
    private boolean answered;

    AgiIvrChannel(AgiChannel agi, String channelName) {
        this.agi = agi;
        this.channelName = channelName;
    }

    /** Whether the caller is known to be gone. */
    boolean isGone() {
        return gone;
    }

    /** Sends ANSWER once; later calls are no-ops (the inbound dialplan has answered already; ANSWER is harmless). */
    @Override
    public CompletionStage<Void> answer() {
        return attempt(() -> {
            answerNow();
            return null;
        });
    }

    private void answerNow() {
        if (answered) {
            requireAlive("answer");
            return;
        }
        AgiReply reply = send(new AnswerCommand(), "answer");
        if (FAILED.equals(reply.getResult())) {
            throw hungUp("answer failed");
        }
        answered = true;
    }

    /**
     * STREAM FILE. {@code result=-1} also means "file not found" (Asterisk answers {@code 200 result=-1 endpos=0} for a
     * missing sound file), so a failed playback is followed by CHANNEL STATUS, which Asterisk refuses with 511 on a
     * dead channel: only then is the caller gone; otherwise the prompt is logged as unplayable and skipped.
     */
    @Override
    public CompletionStage<Character> play(String prompt, String escapeDigits) {
        return attempt(() -> playNow(prompt, escapeDigits));
    }

    private char playNow(String prompt, String escapeDigits) {
        AgiReply reply = send(new StreamFileCommand(AsteriskInputs.requireToken("prompt", prompt),
                AsteriskInputs.requireEscapeDigits(escapeDigits)), "play " + prompt);
        if (FAILED.equals(reply.getResult())) {
            AgiReply status = send(new ChannelStatusCommand(), "check after failed playback of " + prompt);
            if (FAILED.equals(status.getResult())) {
                throw hungUp("STREAM FILE and CHANNEL STATUS returned -1");
            }
            log.warn("Prompt '{}' could not be played on {} (missing sound file?); skipped", prompt, channelName);
            return 0;
        }
        return reply.getResultCodeAsChar();
    }

    /** GET DATA; {@code result=-1} there only ever means hang-up (GET DATA skips a missing prompt file). */
    @Override
    public CompletionStage<DigitInput> readDigits(String prompt, int maxDigits, Duration timeout) {
        return attempt(() -> readDigitsNow(prompt, maxDigits, timeout));
    }

    private DigitInput readDigitsNow(String prompt, int maxDigits, Duration timeout) {
        AsteriskInputs.requireToken("prompt", prompt);
        if (maxDigits < 1 || maxDigits > MAX_DIGITS) {
            throw new IllegalArgumentException("maxDigits must be 1.." + MAX_DIGITS + ", got " + maxDigits);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        AgiReply reply = send(new GetDataCommand(prompt, timeout.toMillis(), maxDigits), "read digits " + prompt);
        String digits = reply.getResult();
        if (FAILED.equals(digits)) {
            throw hungUp("GET DATA returned -1");
        }
        return new DigitInput(digits, TIMEOUT.equals(reply.getExtra()));
    }

    /**
     * SET VARIABLE. CR/LF are rejected; quotes and backslashes are escaped by Asterisk-Java's command builder and
     * unescaped by Asterisk's AGI argument parser, so the value arrives as given.
     */
    @Override
    public CompletionStage<Void> setVariable(String name, String value) {
        return attempt(() -> {
            AsteriskInputs.requireVariableName(name);
            AsteriskInputs.requireValue("value of " + name, value);
            send(new SetVariableCommand(name, value), "set " + name);
            return null;
        });
    }

    /** GET VARIABLE: {@code result=1 (value)}, or {@code result=0} when the variable is not set. */
    @Override
    public CompletionStage<Optional<String>> getVariable(String name) {
        return attempt(() -> {
            AsteriskInputs.requireVariableName(name);
            AgiReply reply = send(new GetVariableCommand(name), "get " + name);
            return "1".equals(reply.getResult()) ? Optional.ofNullable(reply.getExtra()) : Optional.empty();
        });
    }

    /**
     * RECORD FILE: {@code result=<digit code>} when a digit ended it, {@code 0} on timeout or silence, {@code -1} when
     * the caller hung up (the file written so far is kept by Asterisk).
     */
    @Override
    public CompletionStage<RecordingResult> record(String file, String format, String escapeDigits,
            Duration maxLength, Duration silence, boolean beep) {
        return attempt(() -> {
            AsteriskInputs.requireToken("recording file", file);
            AsteriskInputs.requireToken("recording format", format);
            AsteriskInputs.requireEscapeDigits(escapeDigits);
            requireAlive("record");
            AgiReply reply;
            try {
                reply = agi.sendCommand(new RecordFileCommand(file, format, escapeDigits,
                        (int) maxLength.toMillis(), 0, beep, (int) silence.toSeconds()));
            } catch (AgiHangupException | AgiNetworkException e) {
                gone = true;
                return new RecordingResult(file, format, RecordingResult.End.CALLER_HUNG_UP, (char) 0);
            } catch (AgiException e) {
                throw new IllegalStateException("Asterisk rejected RECORD FILE on " + channelName + ": " + e, e);
            }
            if (FAILED.equals(reply.getResult())) {
                gone = true;
                return new RecordingResult(file, format, RecordingResult.End.CALLER_HUNG_UP, (char) 0);
            }
            char digit = reply.getResultCodeAsChar();
            return digit == 0
                    ? new RecordingResult(file, format, RecordingResult.End.TIMEOUT_OR_SILENCE, (char) 0)
                    : new RecordingResult(file, format, RecordingResult.End.DIGIT, digit);
        });
    }

    /** HANGUP; a no-op when the caller is already gone. */
    @Override
    public CompletionStage<Void> hangup() {
        return attempt(() -> {
            if (!gone) {
                send(new HangupCommand(), "hang up");
                gone = true;
            }
            return null;
        });
    }

    /**
     * Runs a blocking Asterisk-Java command on the session's thread and hands back its already-complete stage: this
     * adapter still holds a thread per session (the non-blocking FastAGI server replaces it).
     */
    private static <T> CompletionStage<T> attempt(Supplier<T> operation) {
        try {
            return CompletableFuture.completedFuture(operation.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private AgiReply send(AgiCommand command, String what) {
        requireAlive(what);
        try {
            return agi.sendCommand(command);
        } catch (AgiHangupException | AgiNetworkException e) {
            throw hungUp(e.getMessage());
        } catch (AgiException e) {
            throw new IllegalStateException(
                    "Asterisk rejected AGI command '" + command.buildCommand() + "' on " + channelName + ": " + e, e);
        }
    }

    private void requireAlive(String what) {
        if (gone) {
            throw new ChannelHungUpException(channelName + " is gone; cannot " + what);
        }
    }

    private ChannelHungUpException hungUp(String reason) {
        gone = true;
        return new ChannelHungUpException(channelName + " hung up (" + reason + ")");
    }
}
