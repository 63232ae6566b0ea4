package org.hotlinecti.cti.call;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.hotlinecti.ivr.DigitInput;
import org.hotlinecti.ivr.RecordingResult;

/**
 * A caller as the IVR sees it, scripted: keys pressed during prompts that accept them, a hang-up after N operations,
 * how a recording ends; logs every operation.
 */
final class ScriptedChannel implements Channel {

    final List<String> log = new CopyOnWriteArrayList<>();
    final Map<String, String> variables = new LinkedHashMap<>();
    private final Deque<Character> keys = new ArrayDeque<>();
    private int hangUpAfter = Integer.MAX_VALUE;
    private int operations;
    private RecordingResult.End recordingEnd = RecordingResult.End.TIMEOUT_OR_SILENCE;

    ScriptedChannel pressing(char key) {
        keys.add(key);
        return this;
    }

    ScriptedChannel hangingUpAfter(int operations) {
        this.hangUpAfter = operations;
        return this;
    }

    ScriptedChannel recordingEndsBy(RecordingResult.End end) {
        this.recordingEnd = end;
        return this;
    }

    private boolean operation(String entry) {
        if (operations++ >= hangUpAfter) {
            log.add("hungup-at:" + entry);
            return false;
        }
        log.add(entry);
        return true;
    }

    private <T> CompletionStage<T> done(String entry, T value) {
        return operation(entry) ? CompletableFuture.completedFuture(value)
                : CompletableFuture.failedFuture(new ChannelHungUpException("caller hung up"));
    }

    @Override
    public CompletionStage<Void> answer() {
        return done("answer", null);
    }

    @Override
    public CompletionStage<Character> play(String prompt, String escapeDigits) {
        Character next = keys.peek();
        char key = next != null && escapeDigits.indexOf(next) >= 0 ? keys.poll() : 0;
        return done("play:" + prompt + (escapeDigits.isEmpty() ? "" : ":" + escapeDigits), key);
    }

    @Override
    public CompletionStage<DigitInput> readDigits(String prompt, int maxDigits, Duration timeout) {
        Character next = keys.poll();
        return done("read:" + prompt, new DigitInput(next == null ? "" : String.valueOf(next), next == null));
    }

    @Override
    public CompletionStage<Void> setVariable(String name, String value) {
        CompletionStage<Void> r = done("set:" + name + "=" + value, null);
        if (r.toCompletableFuture().isDone() && !r.toCompletableFuture().isCompletedExceptionally()) {
            variables.put(name, value);
        }
        return r;
    }

    @Override
    public CompletionStage<Optional<String>> getVariable(String name) {
        return done("get:" + name, Optional.ofNullable(variables.get(name)));
    }

    @Override
    public CompletionStage<RecordingResult> record(String file, String format, String escapeDigits,
            Duration maxLength, Duration silence, boolean beep) {
        RecordingResult.End end = operation("record:" + file + "." + format + ":" + maxLength.toSeconds() + "s:"
                + silence.toSeconds() + "s:" + (beep ? "beep" : "nobeep"))
                ? recordingEnd : RecordingResult.End.CALLER_HUNG_UP;
        return CompletableFuture.completedFuture(new RecordingResult(file, format, end,
                end == RecordingResult.End.DIGIT ? '#' : (char) 0));
    }

    @Override
    public CompletionStage<Void> hangup() {
        return done("hangup", null);
    }
}
