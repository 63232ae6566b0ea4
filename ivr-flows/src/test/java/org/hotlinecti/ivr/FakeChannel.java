package org.hotlinecti.ivr;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A scripted caller: what it will type, when it hangs up, and a log of everything the flow did.
 *
 * <p>By default every operation completes at once. {@link #asynchronous()} makes each operation return an
 * incomplete stage that {@link #completeNext()} completes later, as a PBX would, and fails a second operation
 * started while one is outstanding (the {@link Channel} contract).
 */
public final class FakeChannel implements Channel {

    public final List<String> log = new ArrayList<>();
    public final Map<String, String> variables = new LinkedHashMap<>();
    private final Deque<String> typed = new ArrayDeque<>();
    private int hangUpAfterOperations = Integer.MAX_VALUE;
    private int operations;
    private boolean asynchronous;
    private Runnable pending;
    private RecordingResult.End recordingEnd = RecordingResult.End.TIMEOUT_OR_SILENCE;

    /**
     * Each call to readDigits consumes the next entry (an empty string is a timeout); a call to play with escape
     * digits consumes the next entry too when its first character is one of them.
     */
    public FakeChannel typing(String... inputs) {
        typed.addAll(List.of(inputs));
        return this;
    }

    /** The caller hangs up after this many operations: the next one (and every later one) fails. */
    public FakeChannel hangingUpAfter(int operations) {
        this.hangUpAfterOperations = operations;
        return this;
    }

    /** Sets a channel variable before the flow starts (e.g. {@code UNIQUEID}). */
    public FakeChannel withVariable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    /** How recordings end when the caller does not hang up (default: silence). */
    public FakeChannel recordingEndsBy(RecordingResult.End end) {
        this.recordingEnd = end;
        return this;
    }

    /** Operations complete only when {@link #completeNext()} is called. */
    public FakeChannel asynchronous() {
        this.asynchronous = true;
        return this;
    }

    /** Completes the outstanding operation; false when there is none. */
    public boolean completeNext() {
        Runnable next = pending;
        pending = null;
        if (next == null) {
            return false;
        }
        next.run();
        return true;
    }

    /** How many operations the flow started. */
    public int operations() {
        return operations;
    }

    /** Logs the operation; false when the scripted caller has hung up by now. */
    private boolean operation(String entry) {
        if (operations++ >= hangUpAfterOperations) {
            log.add("hungup-at:" + entry);
            return false;
        }
        log.add(entry);
        return true;
    }

    private <T> CompletionStage<T> complete(Supplier<CompletableFuture<T>> outcome) {
        if (!asynchronous) {
            return outcome.get();
        }
        CompletableFuture<T> stage = new CompletableFuture<>();
        if (pending != null) {
            log.add("overlap");
            return CompletableFuture.failedFuture(new IllegalStateException("an operation is outstanding"));
        }
        pending = () -> outcome.get().whenComplete((value, failure) -> {
            if (failure != null) {
                stage.completeExceptionally(failure);
            } else {
                stage.complete(value);
            }
        });
        return stage;
    }

    private <T> CompletionStage<T> done(String entry, Supplier<T> result) {
        return complete(() -> operation(entry) ? CompletableFuture.completedFuture(result.get())
                : CompletableFuture.failedFuture(new ChannelHungUpException("caller hung up")));
    }

    @Override
    public CompletionStage<Void> answer() {
        return done("answer", () -> null);
    }

    @Override
    public CompletionStage<Character> play(String prompt, String escapeDigits) {
        return done("play:" + prompt + (escapeDigits.isEmpty() ? "" : ":" + escapeDigits), () -> {
            String next = typed.peek();
            if (next != null && !next.isEmpty() && escapeDigits.indexOf(next.charAt(0)) >= 0) {
                typed.poll();
                return next.charAt(0);
            }
            return (char) 0;
        });
    }

    @Override
    public CompletionStage<DigitInput> readDigits(String prompt, int maxDigits, Duration timeout) {
        return done("read:" + prompt + ":" + maxDigits + ":" + timeout.toMillis(), () -> {
            String input = typed.isEmpty() ? "" : typed.poll();
            return new DigitInput(input, input.isEmpty());
        });
    }

    @Override
    public CompletionStage<Void> setVariable(String name, String value) {
        return done("set:" + name + "=" + value, () -> {
            variables.put(name, value);
            return null;
        });
    }

    @Override
    public CompletionStage<Optional<String>> getVariable(String name) {
        return done("get:" + name, () -> Optional.ofNullable(variables.get(name)));
    }

    @Override
    public CompletionStage<RecordingResult> record(String file, String format, String escapeDigits,
            Duration maxLength, Duration silence, boolean beep) {
        return complete(() -> {
            String entry = "record:" + file + "." + format + ":" + maxLength.toSeconds() + "s:" + silence.toSeconds()
                    + "s" + (beep ? ":beep" : "");
            if (!operation(entry)) {
                return CompletableFuture.completedFuture(
                        new RecordingResult(file, format, RecordingResult.End.CALLER_HUNG_UP, (char) 0));
            }
            return CompletableFuture.completedFuture(new RecordingResult(file, format, recordingEnd,
                    recordingEnd == RecordingResult.End.DIGIT ? '#' : (char) 0));
        });
    }

    @Override
    public CompletionStage<Void> hangup() {
        return complete(() -> {
            operation("hangup");
            // hanging up a caller who is already gone completes at once (the Channel contract)
            return CompletableFuture.completedFuture(null);
        });
    }
}
