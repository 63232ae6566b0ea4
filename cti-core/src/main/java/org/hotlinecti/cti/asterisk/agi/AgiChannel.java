package org.hotlinecti.cti.asterisk.agi;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.hotlinecti.ivr.DigitInput;
import org.hotlinecti.ivr.RecordingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IVR's {@link Channel} over one FastAGI session, without blocking: each operation validates its arguments on the
 * caller's thread, sends one command on the session's event loop and completes there when the reply arrives.
 *
 * <p>What Asterisk does once the caller is gone (or the channel was redirected away, which looks the same, trace 11):
 * the command in progress returns {@code result=-1}; an unsolicited {@code HANGUP} line comes before the reply to the
 * next command; media commands then get {@code 511}. Any of these, or the connection closing, marks this channel
 * gone: the operation fails with {@link ChannelHungUpException}, and every later one fails at once without sending
 * anything ({@link #record} completes with {@link RecordingResult.End#CALLER_HUNG_UP} instead, {@link #hangup}
 * completes normally).
 */
final class AgiChannel implements Channel {

    private static final Logger log = LoggerFactory.getLogger(AgiChannel.class);

    private static final int MAX_DIGITS = 1024;
    private static final String TIMEOUT = "timeout";

    private final AgiSession session;
    private final String channelName;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean gone;
    private volatile String goneReason = "";
    private boolean answered;

    AgiChannel(AgiSession session, String channelName, boolean alreadyGone) {
        this.session = session;
        this.channelName = channelName;
        if (alreadyGone) {
            markGone("HANGUP before the IVR started");
        }
    }

    @Override
    public CompletionStage<Void> answer() {
        return operation("answer", () -> {
            if (answered) {
                return CompletableFuture.completedFuture(null);
            }
            return command("ANSWER", reply -> {
                if (reply.failed()) {
                    throw hungUp("ANSWER returned -1");
                }
                answered = true;
                return null;
            });
        });
    }

    /**
     * STREAM FILE. {@code result=-1} also means "file not found" ({@code 200 result=-1 endpos=0}), so a failed
     * playback is followed by CHANNEL STATUS, which Asterisk refuses with 511 (after its HANGUP line) on a dead
     * channel: only then is the caller gone; otherwise the prompt is logged as unplayable and skipped.
     */
    @Override
    public CompletionStage<Character> play(String prompt, String escapeDigits) {
        String line;
        try {
            line = "STREAM FILE " + AgiText.quote("prompt", AgiText.prompt(prompt)) + " "
                    + AgiText.quote("escape digits", AgiText.escapeDigits(escapeDigits));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return operation("play " + prompt, () -> session.send(line).thenCompose(reply -> {
            checkAlive(reply);
            requireUnderstood(line, reply);
            if (!reply.failed()) {
                return CompletableFuture.completedFuture((char) reply.resultCode());
            }
            return session.send("CHANNEL STATUS").thenApply(status -> {
                checkAlive(status);
                if (status.failed()) {
                    throw hungUp("STREAM FILE and CHANNEL STATUS returned -1");
                }
                log.warn("Prompt '{}' could not be played on {} (missing sound file?); skipped", prompt,
                        channelName);
                return (char) 0;
            });
        }));
    }

    /** GET DATA; {@code result=-1} there only ever means hang-up (GET DATA skips a missing prompt file). */
    @Override
    public CompletionStage<DigitInput> readDigits(String prompt, int maxDigits, Duration timeout) {
        String line;
        try {
            if (maxDigits < 1 || maxDigits > MAX_DIGITS) {
                throw new IllegalArgumentException("maxDigits must be 1.." + MAX_DIGITS + ", got " + maxDigits);
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            line = "GET DATA " + AgiText.quote("prompt", AgiText.prompt(prompt)) + " " + timeout.toMillis() + " "
                    + maxDigits;
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return operation("read digits " + prompt, () -> command(line, reply -> {
            if (reply.failed()) {
                throw hungUp("GET DATA returned -1");
            }
            return new DigitInput(reply.result(), TIMEOUT.equals(reply.extra()));
        }));
    }

    /** SET VARIABLE, name and value quoted; see {@link AgiText} for what values may hold. */
    @Override
    public CompletionStage<Void> setVariable(String name, String value) {
        String line;
        try {
            line = "SET VARIABLE " + AgiText.quote("variable name", AgiText.variableName(name)) + " "
                    + AgiText.quote("value of " + name, AgiText.variableValue(name, value));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return operation("set " + name, () -> command(line, reply -> null));
    }

    /** GET VARIABLE: {@code result=1 (value)}, or {@code result=0} when the variable is not set. */
    @Override
    public CompletionStage<Optional<String>> getVariable(String name) {
        String line;
        try {
            line = "GET VARIABLE " + AgiText.quote("variable name", AgiText.variableName(name));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return operation("get " + name, () -> command(line, reply -> "1".equals(reply.result())
                ? Optional.of(reply.extra() == null ? "" : reply.extra())
                : Optional.empty()));
    }

    /**
     * RECORD FILE: {@code result=<digit code>} when a digit ended it, {@code 0} on timeout or silence,
     * {@code -1 (hangup)} when the caller hung up (Asterisk keeps the file written so far). Other {@code -1} replies
     * ({@code (writefile)}: the file could not be opened) fail the stage with {@link IllegalStateException}.
     */
    @Override
    public CompletionStage<RecordingResult> record(String file, String format, String escapeDigits,
            Duration maxLength, Duration silence, boolean beep) {
        String line;
        try {
            if (maxLength == null || maxLength.isNegative() || maxLength.isZero()) {
                throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
            }
            if (silence == null || silence.isNegative()) {
                throw new IllegalArgumentException("silence must be zero or positive, got " + silence);
            }
            line = "RECORD FILE " + AgiText.quote("recording file", AgiText.recordingFile(file)) + " "
                    + AgiText.quote("recording format", AgiText.format(format)) + " "
                    + AgiText.quote("escape digits", AgiText.escapeDigits(escapeDigits)) + " " + maxLength.toMillis()
                    + " 0" + (beep ? " BEEP" : "") + (silence.isZero() ? "" : " s=" + Math.max(1, silence.toSeconds()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        RecordingResult hungUp = new RecordingResult(file, format, RecordingResult.End.CALLER_HUNG_UP, (char) 0);
        if (gone) {
            return CompletableFuture.completedFuture(hungUp);
        }
        return operation("record " + file, () -> session.send(line).handle((reply, failure) -> {
            if (failure != null) {
                if (AgiSession.unwrap(failure) instanceof ChannelHungUpException) {
                    markGone("connection closed while recording");
                    return hungUp;
                }
                throw new IllegalStateException(AgiSession.unwrap(failure));
            }
            if (reply.hangupNotified() || reply.isDeadChannel()) {
                markGone("caller hung up before recording");
                return hungUp;
            }
            requireUnderstood(line, reply);
            if (reply.failed()) {
                if (reply.extra() == null || "hangup".equals(reply.extra())) {
                    markGone("caller hung up while recording");
                    return hungUp;
                }
                throw new IllegalStateException("Asterisk could not record " + file + " on " + channelName + ": "
                        + reply.text());
            }
            char digit = (char) reply.resultCode();
            return digit == 0
                    ? new RecordingResult(file, format, RecordingResult.End.TIMEOUT_OR_SILENCE, (char) 0)
                    : new RecordingResult(file, format, RecordingResult.End.DIGIT, digit);
        }), true);
    }

    /** HANGUP; completes at once when the caller is already gone. */
    @Override
    public CompletionStage<Void> hangup() {
        if (gone) {
            return CompletableFuture.completedFuture(null);
        }
        return operation("hang up", () -> session.send("HANGUP").handle((reply, failure) -> {
            markGone("hung up by the IVR");
            return null;
        }), true);
    }

    // --- plumbing

    private <T> CompletionStage<T> operation(String what, Supplier<CompletionStage<T>> work) {
        return operation(what, work, false);
    }

    /**
     * Enforces one operation at a time and the hang-up rule, runs {@code work} on the event loop and frees the channel
     * before the stage completes (so a continuation can start the next operation at once).
     */
    private <T> CompletionStage<T> operation(String what, Supplier<CompletionStage<T>> work, boolean runsWhenGone) {
        if (!runsWhenGone && gone) {
            return CompletableFuture.failedFuture(goneException(what));
        }
        if (!busy.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "cannot " + what + " on " + channelName + ": the previous operation has not completed"));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        session.onContext(() -> {
            if (!runsWhenGone && gone) {
                return CompletableFuture.failedFuture(goneException(what));
            }
            return work.get();
        }).whenComplete((value, failure) -> {
            busy.set(false);
            if (failure != null) {
                Throwable cause = AgiSession.unwrap(failure);
                if (cause instanceof ChannelHungUpException) {
                    markGone(cause.getMessage());
                }
                result.completeExceptionally(cause);
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    /** Sends {@code line}; a reply saying the channel is gone fails the stage, any other goes to {@code onReply}. */
    private <T> CompletionStage<T> command(String line, Function<AgiReply, T> onReply) {
        return session.send(line).thenApply(reply -> {
            checkAlive(reply);
            requireUnderstood(line, reply);
            return onReply.apply(reply);
        });
    }

    /** HANGUP before the reply or a 511: the caller is gone, whatever the reply says. */
    private void checkAlive(AgiReply reply) {
        if (reply.hangupNotified()) {
            throw hungUp("HANGUP from Asterisk");
        }
        if (reply.isDeadChannel()) {
            throw hungUp("511 dead channel");
        }
    }

    private void requireUnderstood(String line, AgiReply reply) {
        if (!reply.isSuccess()) {
            throw new IllegalStateException("Asterisk rejected AGI command '" + line + "' on " + channelName + ": "
                    + reply.text());
        }
    }

    private ChannelHungUpException hungUp(String reason) {
        markGone(reason);
        return new ChannelHungUpException(channelName + " hung up (" + reason + ")");
    }

    private void markGone(String reason) {
        if (!gone) {
            goneReason = reason;
            gone = true;
        }
    }

    private ChannelHungUpException goneException(String what) {
        return new ChannelHungUpException(channelName + " is gone (" + goneReason + "); cannot " + what);
    }
}
