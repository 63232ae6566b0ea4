package org.hotlinecti.ivr;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private void operation(String entry) {
        if (operations++ >= hangUpAfterOperations) {
            log.add("hungup-at:" + entry);
            throw new ChannelHungUpException("caller hung up");
        }
        log.add(entry);
    }

    @Override
    public void answer() {
        operation("answer");
    }

    @Override
    public char play(String prompt, String escapeDigits) {
        operation("play:" + prompt + (escapeDigits.isEmpty() ? "" : ":" + escapeDigits));
        String next = typed.peek();
        if (next != null && !next.isEmpty() && escapeDigits.indexOf(next.charAt(0)) >= 0) {
            typed.poll();
            return next.charAt(0);
        }
        return 0;
    }

    @Override
    public DigitInput readDigits(String prompt, int maxDigits, Duration timeout) {
        operation("read:" + prompt + ":" + maxDigits + ":" + timeout.toMillis());
        String input = typed.isEmpty() ? "" : typed.poll();
        return new DigitInput(input, input.isEmpty());
    }

    @Override
    public void setVariable(String name, String value) {
        operation("set:" + name + "=" + value);
        variables.put(name, value);
    }

    @Override
    public void hangup() {
        operation("hangup");
    }
}
