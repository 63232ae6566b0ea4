package org.hotlinecti.cti.call;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.DigitInput;
import org.hotlinecti.ivr.RecordingResult;

/**
 * A {@link Channel} whose {@link #record} names are relative to the PBX's recording directory, as the Channel contract
 * says: Asterisk's RECORD FILE would put a relative name under its sounds directory, so the name goes to the PBX
 * absolute, and the result names the file relative again (the ticket stores it relative to the recording root).
 */
final class RecordingRootChannel implements Channel {

    private final Channel pbx;
    private final String root;

    RecordingRootChannel(Channel pbx, String root) {
        this.pbx = pbx;
        this.root = root;
    }

    @Override
    public CompletionStage<Void> answer() {
        return pbx.answer();
    }

    @Override
    public CompletionStage<Character> play(String prompt, String escapeDigits) {
        return pbx.play(prompt, escapeDigits);
    }

    @Override
    public CompletionStage<DigitInput> readDigits(String prompt, int maxDigits, Duration timeout) {
        return pbx.readDigits(prompt, maxDigits, timeout);
    }

    @Override
    public CompletionStage<Void> setVariable(String name, String value) {
        return pbx.setVariable(name, value);
    }

    @Override
    public CompletionStage<Optional<String>> getVariable(String name) {
        return pbx.getVariable(name);
    }

    /** @throws IllegalArgumentException (in the stage) for absolute names or names that climb out with {@code ..} */
    @Override
    public CompletionStage<RecordingResult> record(String file, String format, String escapeDigits,
            Duration maxLength, Duration silence, boolean beep) {
        if (file == null || file.startsWith("/") || file.equals("..") || file.startsWith("../")
                || file.contains("/../") || file.endsWith("/..")) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalArgumentException(
                    "recording name must be relative to the recording directory, was '" + file + "'"));
        }
        return pbx.record(root + "/" + file, format, escapeDigits, maxLength, silence, beep)
                .thenApply(r -> new RecordingResult(file, r.format(), r.endedBy(), r.digit()));
    }

    @Override
    public CompletionStage<Void> hangup() {
        return pbx.hangup();
    }
}
