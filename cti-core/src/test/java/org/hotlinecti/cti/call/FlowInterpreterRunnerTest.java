package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.config.CtiConfig;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.DigitInput;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.RecordingResult;
import org.hotlinecti.ivr.flow.IvrRegistry;
import org.junit.jupiter.api.Test;

/** The CTI's lines and ivr config run through the YAML flow interpreter as the walking skeleton's flow did. */
class FlowInterpreterRunnerTest {

    private final CtiConfig config = new ConfigLoader(name -> null).defaults();
    private final Clock clock = Clock.fixed(ZonedDateTime.parse("2026-03-02T10:00:00+08:00").toInstant(),
            config.zoneId());
    private final IvrRegistry registry = config.ivrRegistry(clock);
    private final FlowInterpreterRunner runner = new FlowInterpreterRunner(registry,
            (call, now) -> "voicemail/vm-" + call.callId());

    /** Completes every operation at once; plays nothing and presses {@code key} during the welcome. */
    private static final class Caller implements Channel {
        final List<String> log = new ArrayList<>();
        final char key;

        Caller(char key) {
            this.key = key;
        }

        @Override
        public CompletionStage<Void> answer() {
            log.add("answer");
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Character> play(String prompt, String escapeDigits) {
            log.add("play:" + prompt + ":" + escapeDigits);
            return CompletableFuture.completedFuture(escapeDigits.indexOf(key) >= 0 ? key : (char) 0);
        }

        @Override
        public CompletionStage<DigitInput> readDigits(String prompt, int maxDigits, Duration timeout) {
            return CompletableFuture.completedFuture(new DigitInput("", true));
        }

        @Override
        public CompletionStage<Void> setVariable(String name, String value) {
            log.add("set:" + name + "=" + value);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Optional<String>> getVariable(String name) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletionStage<RecordingResult> record(String file, String format, String escapeDigits,
                Duration maxLength, Duration silence, boolean beep) {
            return CompletableFuture.completedFuture(new RecordingResult(file, format,
                    RecordingResult.End.TIMEOUT_OR_SILENCE, (char) 0));
        }

        @Override
        public CompletionStage<Void> hangup() {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static AgiCall call(String dialled) {
        return new AgiCall("inbound", new ChannelRef("PJSIP/trunk-00000001", "1772416800.1", "1772416800.1"),
                "13800001111", "", dialled, Map.of());
    }

    @Test
    void aMergedLineTellsTheCallerItHasMergedAndQueuesByItsSkill() {
        Caller caller = new Caller('x');

        IvrOutcome outcome = runner.run(caller, call("12315"), config.lineDirectory().serving("12315"))
                .toCompletableFuture().join();

        assertThat(caller.log).containsExactly("answer", "play:hotline/merged-12315:", "set:CTI_LINE=12315",
                "set:CTI_SKILL=market");
        assertThat(outcome).isInstanceOfSatisfying(IvrOutcome.Route.class, r -> {
            assertThat(r.request().skill()).isEqualTo("market");
            assertThat(r.ivrPath()).containsExactly("notice", "queue:market");
        });
    }

    @Test
    void theReferenceSubCentreLineIsTransferredToItsCentreWithThePoolAsFallback() {
        IvrOutcome outcome = runner.run(new Caller('x'), call("12366"), config.lineDirectory().serving("12366"))
                .toCompletableFuture().join();

        assertThat(outcome).isInstanceOfSatisfying(IvrOutcome.Transfer.class, t -> {
            assertThat(t.kind()).isEqualTo(IvrOutcome.TransferKind.SUB_CENTRE);
            assertThat(t.number()).isEqualTo("87012366");
            assertThat(t.answerTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(t.fallback()).hasValueSatisfying(f -> assertThat(f.skill()).isEqualTo("general"));
        });
    }

    @Test
    void theIvrSectionLoadsTheBuiltInFlowsAndTheConfiguredHours() {
        assertThat(registry.current().flows().flow("main")).isPresent();
        assertThat(registry.current().calendar().hours("office")).isPresent();
        assertThat(registry.current().calendar().isOpen("office")).isTrue();
        assertThat(registry.current().lineDirectory().all()).hasSameSizeAs(config.lineDirectory().all());
    }

    @Test
    void theSurveyFlowGivesAScore() {
        Caller caller = new Caller('x');
        assertThat(runner.survey(caller, call("12345"), config.lineDirectory().serving("12345"))
                .toCompletableFuture().join()).isEmpty();
    }
}
