package org.hotlinecti.sim.pbx.agi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AGI commands the sim PBX understands, answered exactly as Asterisk 22's res_agi answers them, on top of the
 * channel primitives of {@link AgiChannelPort}.
 *
 * <p>Commands Asterisk allows on a dead channel (hung up or redirected) are marked so; the others get 511 there.
 * Commands Asterisk has but the sim does not (SET CONTEXT, DATABASE ..., SPEECH ...) are answered 510 and logged.
 */
final class AgiCommands {

    private static final Logger log = LoggerFactory.getLogger(AgiCommands.class);

    /** Asterisk's AST_DIGIT_ANY: what GET DATA lets interrupt its prompt. */
    static final String ANY_DIGIT = "0123456789*#ABCD";
    private static final Duration FOREVER = Duration.ofDays(1);
    private static final Pattern LEADING_INT = Pattern.compile("^\\s*([+-]?\\d+)");

    private enum Command {
        ANSWER(false, "ANSWER"),
        STREAM_FILE(false, "STREAM FILE <filename> <escape digits> [sample offset]"),
        GET_OPTION(false, "GET OPTION <filename> <escape_digits> [timeout]"),
        GET_DATA(false, "GET DATA <file to be streamed> [timeout] [maxdigits]"),
        WAIT_FOR_DIGIT(false, "WAIT FOR DIGIT <timeout>"),
        RECORD_FILE(false, "RECORD FILE <filename> <format> <escape digits> <timeout> [offset samples] [BEEP]"
                + " [s=silence]"),
        SAY_DIGITS(false, "SAY DIGITS <number> <escape digits>"),
        SAY_NUMBER(false, "SAY NUMBER <number> <escape digits> [gender]"),
        SAY_ALPHA(false, "SAY ALPHA <number> <escape digits>"),
        HANGUP(false, "HANGUP [channelname]"),
        EXEC(true, "EXEC <application> <options>"),
        SET_VARIABLE(true, "SET VARIABLE <variablename> <value>"),
        GET_VARIABLE(true, "GET VARIABLE <variablename>"),
        GET_FULL_VARIABLE(true, "GET FULL VARIABLE <variablename> [channel name]"),
        VERBOSE(true, "VERBOSE <message> <level>"),
        NOOP(true, "NOOP");

        final boolean deadAllowed;
        final String[] words;
        final String usage;

        Command(boolean deadAllowed, String syntax) {
            this.deadAllowed = deadAllowed;
            this.words = name().split("_");
            this.usage = " Usage: " + syntax;
        }
    }

    /** Commands Asterisk knows that the sim does not implement (first words, upper case). */
    private static final List<String> NOT_SIMULATED = List.of("ASYNCAGI BREAK", "CHANNEL STATUS",
            "CONTROL STREAM FILE", "DATABASE", "GOSUB", "RECEIVE", "SAY DATE", "SAY TIME", "SAY DATETIME",
            "SAY PHONETIC", "SEND", "SET AUTOHANGUP", "SET CALLERID", "SET CONTEXT", "SET EXTENSION", "SET MUSIC",
            "SET PRIORITY", "SPEECH", "TDD MODE");

    private final AgiChannelPort channel;
    private final String channelName;

    AgiCommands(AgiChannelPort channel, String channelName) {
        this.channel = channel;
        this.channelName = channelName;
    }

    /** Runs one command line; {@code dead} says the channel was dead for AGI when it arrived. */
    AgiOutcome execute(String line, boolean dead) {
        List<String> argv = AgiArguments.parse(line);
        Command command = find(argv);
        if (command == null) {
            String upper = String.join(" ", argv).toUpperCase(Locale.ROOT);
            if (NOT_SIMULATED.stream().anyMatch(upper::startsWith)) {
                log.warn("AGI command not simulated, answered as unknown: {}", LogMasking.masked(line));
            }
            return AgiOutcome.unknown();
        }
        if (dead && !command.deadAllowed) {
            return AgiOutcome.deadChannel();
        }
        try {
            return run(command, argv);
        } catch (UsageException e) {
            return AgiOutcome.usage(command.usage);
        }
    }

    private static Command find(List<String> argv) {
        for (Command c : Command.values()) {
            if (argv.size() < c.words.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < c.words.length && match; i++) {
                match = c.words[i].equalsIgnoreCase(argv.get(i));
            }
            if (match) {
                return c;
            }
        }
        return null;
    }

    private AgiOutcome run(Command command, List<String> a) throws UsageException {
        return switch (command) {
            case ANSWER -> answer();
            case STREAM_FILE -> streamFile(a);
            case GET_OPTION -> getOption(a);
            case GET_DATA -> getData(a);
            case WAIT_FOR_DIGIT -> waitForDigit(a);
            case RECORD_FILE -> recordFile(a);
            case SAY_DIGITS -> sayDigits(a);
            case SAY_NUMBER -> sayNumber(a);
            case SAY_ALPHA -> sayAlpha(a);
            case HANGUP -> hangup(a);
            case EXEC -> exec(a);
            case SET_VARIABLE -> setVariable(a);
            case GET_VARIABLE -> getVariable(a);
            case GET_FULL_VARIABLE -> getFullVariable(a);
            case VERBOSE -> verbose(a);
            case NOOP -> AgiOutcome.ok("result=0");
        };
    }

    private AgiOutcome answer() {
        try {
            channel.answer();
            return AgiOutcome.ok("result=0");
        } catch (ChannelGoneException e) {
            return AgiOutcome.failed("result=-1");
        }
    }

    private AgiOutcome streamFile(List<String> a) throws UsageException {
        if (a.size() < 4 || a.size() > 5) {
            throw new UsageException();
        }
        if (a.size() == 5) {
            parseLong(a.get(4));
        }
        try {
            AgiChannelPort.Playback p = channel.play(a.get(2), a.get(3));
            channel.setVariable("PLAYBACKSTATUS", p.digit() == 0 ? "SUCCESS" : "FAILED");
            return AgiOutcome.ok("result=" + (int) p.digit() + " endpos=" + p.endPosition());
        } catch (ChannelGoneException e) {
            channel.setVariable("PLAYBACKSTATUS", "FAILED");
            return AgiOutcome.failed("result=-1 endpos=" + e.endPosition());
        }
    }

    private AgiOutcome getOption(List<String> a) throws UsageException {
        if (a.size() < 4 || a.size() > 5) {
            throw new UsageException();
        }
        // Without a timeout Asterisk waits the dialplan's digit timeout, 5 s by default.
        long timeoutMs = a.size() == 5 ? atoi(a.get(4)) : 5000;
        String escape = a.get(3);
        long endpos = 0;
        try {
            AgiChannelPort.Playback p = channel.play(a.get(2), escape);
            endpos = p.endPosition();
            char digit = p.digit();
            if (digit == 0) {
                digit = channel.waitForDigit(timeoutMs < 0 ? FOREVER : Duration.ofMillis(timeoutMs));
                if (digit != 0 && escape.indexOf(digit) < 0) {
                    digit = 0;
                }
            }
            return AgiOutcome.ok("result=" + (int) digit + " endpos=" + endpos);
        } catch (ChannelGoneException e) {
            return AgiOutcome.failed("result=-1 endpos=" + Math.max(endpos, e.endPosition()));
        }
    }

    /**
     * Plays the prompt interruptible by any digit, then reads digits: the first within {@code timeout} (6000 ms when
     * 0 or absent), the next ones within {@code timeout} (2000 ms when 0 or absent) each, until {@code #} or
     * {@code maxdigits} (1024 when absent). A negative timeout waits for ever.
     */
    private AgiOutcome getData(List<String> a) throws UsageException {
        if (a.size() < 3) {
            throw new UsageException();
        }
        long timeout = a.size() >= 4 ? atoi(a.get(3)) : 0;
        long max = a.size() >= 5 ? atoi(a.get(4)) : 1024;
        if (max <= 0) {
            max = 1024;
        }
        Duration first = timeout > 0 ? Duration.ofMillis(timeout) : timeout < 0 ? FOREVER : Duration.ofMillis(6000);
        Duration next = timeout > 0 ? Duration.ofMillis(timeout) : timeout < 0 ? FOREVER : Duration.ofMillis(2000);
        StringBuilder digits = new StringBuilder();
        try {
            char d = 0;
            String prompt = a.get(2);
            if (!prompt.isEmpty()) {
                d = channel.play(prompt, ANY_DIGIT).digit();
            }
            Duration wait = first;
            while (true) {
                if (d == 0) {
                    d = channel.waitForDigit(wait);
                }
                if (d == 0) {
                    return AgiOutcome.ok("result=" + digits + " (timeout)");
                }
                if (d == '#') {
                    return AgiOutcome.ok("result=" + digits);
                }
                digits.append(d);
                if (digits.length() >= max) {
                    return AgiOutcome.ok("result=" + digits);
                }
                d = 0;
                wait = next;
            }
        } catch (ChannelGoneException e) {
            return AgiOutcome.ok("result=-1");
        }
    }

    private AgiOutcome waitForDigit(List<String> a) throws UsageException {
        if (a.size() != 4) {
            throw new UsageException();
        }
        long timeout = parseInt(a.get(3));
        try {
            char d = channel.waitForDigit(timeout < 0 ? FOREVER : Duration.ofMillis(timeout));
            return AgiOutcome.ok("result=" + (int) d);
        } catch (ChannelGoneException e) {
            return AgiOutcome.failed("result=-1");
        }
    }

    private AgiOutcome recordFile(List<String> a) throws UsageException {
        if (a.size() < 6) {
            throw new UsageException();
        }
        long ms = parseInt(a.get(5));
        // Asterisk looks for "s=<seconds>" in the 7th to 9th argument, and beeps when the 7th is not a number
        // (nor contains '=') or an 8th argument without '=' is there.
        Duration silence = null;
        for (int i = 6; i < Math.min(a.size(), 9) && silence == null; i++) {
            int s = a.get(i).indexOf('s');
            if (s >= 0) {
                String spec = a.get(i).substring(s);
                if (spec.length() > 2 && spec.startsWith("s=")) {
                    long seconds = atoi(spec.substring(2));
                    if (seconds > 0) {
                        silence = Duration.ofSeconds(seconds);
                    }
                }
                break;
            }
        }
        boolean beep = (a.size() > 6 && !isLong(a.get(6)) && a.get(6).indexOf('=') < 0)
                || (a.size() > 7 && a.get(7).indexOf('=') < 0);
        if (!channel.canRecordTo(a.get(2), a.get(3))) {
            return AgiOutcome.ok("result=-1 (writefile)");
        }
        try {
            AgiChannelPort.Recording r = channel.record(a.get(2), a.get(3), a.get(4),
                    ms < 0 ? FOREVER : Duration.ofMillis(ms), beep, silence);
            if (r.digit() != 0) {
                return AgiOutcome.ok("result=" + (int) r.digit() + " (dtmf) endpos=" + r.endPosition());
            }
            return AgiOutcome.ok("result=0 (timeout) endpos=" + r.endPosition());
        } catch (ChannelGoneException e) {
            return AgiOutcome.failed("result=-1 (hangup) endpos=" + e.endPosition());
        }
    }

    private AgiOutcome sayDigits(List<String> a) throws UsageException {
        if (a.size() != 4) {
            throw new UsageException();
        }
        parseInt(a.get(2));
        List<String> files = new ArrayList<>();
        for (char c : a.get(2).toCharArray()) {
            switch (c) {
                case '*' -> files.add("digits/star");
                case '#' -> files.add("digits/pound");
                case '-' -> files.add("digits/minus");
                default -> {
                    if (c >= '0' && c <= '9') {
                        files.add("digits/" + c);
                    }
                }
            }
        }
        return say(files, a.get(3));
    }

    private AgiOutcome sayNumber(List<String> a) throws UsageException {
        if (a.size() < 4 || a.size() > 5) {
            throw new UsageException();
        }
        long number = parseInt(a.get(2));
        List<String> files = new ArrayList<>();
        if (number < 0) {
            files.add("digits/minus");
            number = -number;
        }
        numberFiles(number, files);
        return say(files, a.get(3));
    }

    private AgiOutcome sayAlpha(List<String> a) throws UsageException {
        if (a.size() != 4) {
            throw new UsageException();
        }
        List<String> files = new ArrayList<>();
        for (char c : a.get(2).toLowerCase(Locale.ROOT).toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                files.add("letters/" + c);
            } else if (c >= '0' && c <= '9') {
                files.add("digits/" + c);
            } else if (c == ' ') {
                files.add("letters/space");
            }
        }
        return say(files, a.get(3));
    }

    /** English number prompts, as Asterisk's say.c composes them for "en". */
    private static void numberFiles(long n, List<String> files) {
        if (n == 0) {
            files.add("digits/0");
            return;
        }
        if (n >= 1_000_000_000L) {
            numberFiles(n / 1_000_000_000L, files);
            files.add("digits/billion");
            n %= 1_000_000_000L;
        }
        if (n >= 1_000_000) {
            numberFiles(n / 1_000_000, files);
            files.add("digits/million");
            n %= 1_000_000;
        }
        if (n >= 1000) {
            numberFiles(n / 1000, files);
            files.add("digits/thousand");
            n %= 1000;
        }
        if (n >= 100) {
            files.add("digits/" + (n / 100));
            files.add("digits/hundred");
            n %= 100;
        }
        if (n >= 20) {
            files.add("digits/" + (n / 10 * 10));
            n %= 10;
        }
        if (n > 0) {
            files.add("digits/" + n);
        }
    }

    private AgiOutcome say(List<String> files, String escape) {
        try {
            for (String f : files) {
                char d = channel.play(f, escape).digit();
                if (d != 0) {
                    return AgiOutcome.ok("result=" + (int) d);
                }
            }
            return AgiOutcome.ok("result=0");
        } catch (ChannelGoneException e) {
            return AgiOutcome.failed("result=-1");
        }
    }

    private AgiOutcome hangup(List<String> a) throws UsageException {
        if (a.size() == 1 || (a.size() == 2 && a.get(1).equals(channelName))) {
            channel.hangup();
            return AgiOutcome.ok("result=1");
        }
        if (a.size() == 2) {
            // The sim's AGI only sees its own channel.
            return AgiOutcome.ok("result=-1");
        }
        throw new UsageException();
    }

    /**
     * EXEC runs dialplan applications; the sim knows Playback, Set, NoOp, Verbose, Answer and Hangup and answers
     * -2 ("application not found") for the others. Only the first options argument counts, as in Asterisk.
     */
    private AgiOutcome exec(List<String> a) throws UsageException {
        if (a.size() < 2) {
            throw new UsageException();
        }
        String app = a.get(1);
        String options = a.size() >= 3 ? a.get(2) : "";
        int result;
        switch (app.toLowerCase(Locale.ROOT)) {
            case "playback" -> {
                result = 0;
                String files = options.split(",", 2)[0];
                try {
                    for (String f : files.split("&")) {
                        if (!f.isEmpty()) {
                            channel.play(f, "");
                        }
                    }
                    channel.setVariable("PLAYBACKSTATUS", "SUCCESS");
                } catch (ChannelGoneException e) {
                    channel.setVariable("PLAYBACKSTATUS", "FAILED");
                    result = -1;
                }
            }
            case "set" -> {
                int eq = options.indexOf('=');
                if (eq > 0) {
                    channel.setVariable(options.substring(0, eq), options.substring(eq + 1));
                }
                result = 0;
            }
            case "noop", "verbose", "log" -> result = 0;
            case "answer" -> {
                try {
                    channel.answer();
                    result = 0;
                } catch (ChannelGoneException e) {
                    result = -1;
                }
            }
            case "hangup" -> {
                channel.hangup();
                result = -1;
            }
            default -> {
                log.warn("AGI EXEC of an application the sim does not have: {} {}", app,
                        LogMasking.masked(options));
                result = -2;
            }
        }
        return AgiOutcome.ok("result=" + result);
    }

    private AgiOutcome setVariable(List<String> a) {
        if (a.size() >= 4) {
            channel.setVariable(a.get(2), a.get(3));
        }
        return AgiOutcome.ok("result=1");
    }

    private AgiOutcome getVariable(List<String> a) throws UsageException {
        if (a.size() != 3) {
            throw new UsageException();
        }
        String name = a.get(2);
        // A name ending in ')' is a dialplan function, e.g. CHANNEL(linkedid).
        Optional<String> value = channel.getVariable(name.endsWith(")") ? "${" + name + "}" : name);
        return value.map(v -> AgiOutcome.ok("result=1 (" + v + ")")).orElseGet(() -> AgiOutcome.ok("result=0"));
    }

    /**
     * Substitutes variables in the expression; an unset variable substitutes to nothing, so the answer is still
     * {@code result=1 ()}. Another channel than our own is "not found" ({@code result=0}).
     */
    private AgiOutcome getFullVariable(List<String> a) throws UsageException {
        if (a.size() != 4 && a.size() != 5) {
            throw new UsageException();
        }
        if (a.size() == 5 && !a.get(4).equals(channelName)) {
            return AgiOutcome.ok("result=0");
        }
        String expression = a.get(3);
        String value = expression.contains("$") ? channel.getVariable(expression).orElse("") : expression;
        return AgiOutcome.ok("result=1 (" + value + ")");
    }

    private AgiOutcome verbose(List<String> a) throws UsageException {
        if (a.size() < 2) {
            throw new UsageException();
        }
        log.debug("AGI VERBOSE {}: {}", channelName, LogMasking.masked(a.get(1)));
        return AgiOutcome.ok("result=1");
    }

    /** sscanf("%30d"): a leading integer, else the command's usage. */
    private static long parseInt(String s) throws UsageException {
        Matcher m = LEADING_INT.matcher(s);
        if (!m.find()) {
            throw new UsageException();
        }
        try {
            return Long.parseLong(m.group(1).replace("+", ""));
        } catch (NumberFormatException e) {
            throw new UsageException();
        }
    }

    private static long parseLong(String s) throws UsageException {
        return parseInt(s);
    }

    private static boolean isLong(String s) {
        return LEADING_INT.matcher(s).find();
    }

    /** atoi: the leading integer or 0. */
    private static long atoi(String s) {
        Matcher m = LEADING_INT.matcher(s);
        if (!m.find()) {
            return 0;
        }
        try {
            return Long.parseLong(m.group(1).replace("+", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The arguments do not fit the command: Asterisk answers 520 with its usage. */
    private static final class UsageException extends Exception {
        UsageException() {
            super(null, null, false, false);
        }
    }
}
