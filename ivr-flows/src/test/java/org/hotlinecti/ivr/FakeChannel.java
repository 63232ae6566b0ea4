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

/** A scripted caller: what it will type, when it hangs up, and a log of everything the flow did. */
final class FakeChannel implements Channel {

    final List<String> log = new ArrayList<>();
    final Map<String, String> variables = new LinkedHashMap<>();
    private final Deque<String> typed = new ArrayDeque<>();
    private int hangUpAfterOperations = Integer.MAX_VALUE;
    private int operations;

    /**
     * Each call to readDigits consumes the next entry (an empty string is a timeout); a call to play with escape
     * digits consumes the next entry too when its first character is one of them.
     */
    FakeChannel typing(String... inputs) {
        typed.addAll(List.of(inputs));
        return this;
    }

    FakeChannel hangingUpAfter(int operations) {
        this.hangUpAfterOperations = operations;
        return this;
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

    private static <T> CompletionStage<T> hungUp() {
        return CompletableFuture.failedFuture(new ChannelHungUpException("caller hung up"));
    }

    private <T> CompletionStage<T> done(String entry, Supplier<T> result) {
        return operation(entry) ? CompletableFuture.completedFuture(result.get()) : hungUp();
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
        if (!operation("record:" + file + "." + format)) {
            return CompletableFuture.completedFuture(
                    new RecordingResult(file, format, RecordingResult.End.CALLER_HUNG_UP, (char) 0));
        }
        return CompletableFuture.completedFuture(
                new RecordingResult(file, format, RecordingResult.End.TIMEOUT_OR_SILENCE, (char) 0));
    }

    @Override
    public CompletionStage<Void> hangup() {
        return done("hangup", () -> null);
    }
}
