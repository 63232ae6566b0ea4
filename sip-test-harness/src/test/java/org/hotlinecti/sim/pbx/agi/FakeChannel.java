package org.hotlinecti.sim.pbx.agi;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted {@link AgiChannelPort}: tests queue what each media primitive returns (or that the caller hangs up
 * while it runs) and read back what was asked of it.
 */
final class FakeChannel implements AgiChannelPort {

    /** Queue entry meaning: the channel dies while this primitive runs. */
    static final Object DIES = new Object();

    private final Map<String, String> environment;
    private volatile boolean alive = true;
    private final Deque<Object> plays = new ArrayDeque<>();
    private final Deque<Object> digits = new ArrayDeque<>();
    private final Deque<Object> recordings = new ArrayDeque<>();
    private long diesAtPosition;
    private RuntimeException failure;

    /** What {@link #canRecordTo} answers. */
    volatile boolean writable = true;
    final Map<String, String> variables = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Duration> digitWaits = new CopyOnWriteArrayList<>();
    final List<String> exec = new CopyOnWriteArrayList<>();
    final List<Integer> execIds = new CopyOnWriteArrayList<>();

    FakeChannel(Map<String, String> environment) {
        this.environment = new LinkedHashMap<>(environment);
    }

    FakeChannel plays(Object... results) {
        plays.addAll(List.of(results));
        return this;
    }

    FakeChannel digits(Object... results) {
        digits.addAll(List.of(results));
        return this;
    }

    FakeChannel records(Object... results) {
        recordings.addAll(List.of(results));
        return this;
    }

    /** Where a recording or playback that dies has got to. */
    FakeChannel diesAt(long endPosition) {
        diesAtPosition = endPosition;
        return this;
    }

    FakeChannel variable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    /** Makes the next media primitive throw this (a bug in the core). */
    FakeChannel failsWith(RuntimeException e) {
        failure = e;
        return this;
    }

    void die() {
        alive = false;
    }

    @Override
    public Map<String, String> agiEnvironment() {
        return environment;
    }

    @Override
    public boolean isAlive() {
        return alive;
    }

    @Override
    public void answer() throws ChannelGoneException {
        calls.add("answer");
        checkAlive();
    }

    @Override
    public Playback play(String file, String escapeDigits) throws ChannelGoneException {
        calls.add("play " + file + " [" + escapeDigits + "]");
        checkAlive();
        Object next = plays.isEmpty() ? new Playback((char) 0, 8000) : plays.poll();
        if (next == DIES) {
            throw gone();
        }
        return (Playback) next;
    }

    @Override
    public char waitForDigit(Duration timeout) throws ChannelGoneException {
        calls.add("wait " + timeout.toMillis());
        digitWaits.add(timeout);
        checkAlive();
        Object next = digits.isEmpty() ? Character.valueOf((char) 0) : digits.poll();
        if (next == DIES) {
            throw gone();
        }
        return (Character) next;
    }

    @Override
    public boolean canRecordTo(String file, String format) {
        return writable;
    }

    @Override
    public Recording record(String file, String format, String escapeDigits, Duration maxLength, boolean beep,
            Duration silence) throws ChannelGoneException {
        calls.add("record " + file + " " + format + " [" + escapeDigits + "] " + maxLength.toMillis() + " beep="
                + beep + " silence=" + (silence == null ? "none" : silence.toSeconds()));
        checkAlive();
        Object next = recordings.poll();
        if (next == DIES) {
            throw gone();
        }
        return (Recording) next;
    }

    @Override
    public void setVariable(String name, String value) {
        calls.add("set " + name + "=" + value);
        variables.put(name, value);
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{([^}]*)}");

    @Override
    public Optional<String> getVariable(String nameOrExpression) {
        if (!nameOrExpression.contains("${")) {
            return Optional.ofNullable(variables.get(nameOrExpression));
        }
        Matcher m = VAR.matcher(nameOrExpression);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(variables.getOrDefault(m.group(1), "")));
        }
        m.appendTail(sb);
        return Optional.of(sb.toString());
    }

    @Override
    public void hangup() {
        calls.add("hangup");
        alive = false;
    }

    @Override
    public void execStarted(int commandId, String command) {
        exec.add("start " + command);
        execIds.add(commandId);
    }

    @Override
    public void execEnded(int commandId, String command, int resultCode, String result) {
        exec.add("end " + command + " -> " + resultCode + " " + result);
        execIds.add(commandId);
    }

    List<String> execEnds() {
        List<String> ends = new ArrayList<>();
        for (String e : exec) {
            if (e.startsWith("end ")) {
                ends.add(e.substring(4));
            }
        }
        return ends;
    }

    private void checkAlive() throws ChannelGoneException {
        if (failure != null) {
            RuntimeException f = failure;
            failure = null;
            throw f;
        }
        if (!alive) {
            throw new ChannelGoneException("channel is dead");
        }
    }

    private ChannelGoneException gone() {
        alive = false;
        return new ChannelGoneException("caller hung up", diesAtPosition);
    }
}
