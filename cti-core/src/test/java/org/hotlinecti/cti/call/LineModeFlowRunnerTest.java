package org.hotlinecti.cti.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.config.CtiConfig;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.MenuChoice;
import org.hotlinecti.ivr.RecordingResult;
import org.hotlinecti.recording.RecordingLayout;
import org.junit.jupiter.api.Test;

class LineModeFlowRunnerTest {

    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345政务服务便民热线", "市12345中心",
            "general", 1, 0, null, Map.of("1", new MenuChoice("涉企服务", "enterprise", 1)));
    private static final DepartmentLine MARKET = new DepartmentLine("12315", "12315市场监管投诉举报热线",
            "市市场监督管理局", "market", 2, 3, null, Map.of());
    /** 22:30 in Shanghai on 2 March 2026. */
    private static final Clock NIGHT = Clock.fixed(Instant.parse("2026-03-02T14:30:00Z"), ZoneId.of("UTC"));

    private static final ChannelRef CALLER = new ChannelRef("PJSIP/trunk-00000001", "1795322295.1", "1795322295.1");
    private static final AgiCall CALL = new AgiCall("inbound", CALLER, "13800001111", "", "12315", Map.of());

    private static CtiConfig.Line line(String number, Boolean closed, String mode, CtiConfig.SubCentre sc,
            Map<String, CtiConfig.MenuKey> menu) {
        return new CtiConfig.Line(number, "n", "d", "s", null, null, null, menu, closed, mode, sc);
    }

    private static CtiConfig.MenuKey transferKey(String number, Boolean threeParty) {
        return new CtiConfig.MenuKey("120急救", null, null, number, threeParty, Duration.ofSeconds(25), null, null);
    }

    private static IvrOutcome run(LineBehaviour behaviour, DepartmentLine line, ScriptedChannel channel)
            throws Exception {
        LineModeFlowRunner runner = new LineModeFlowRunner(Map.of(line.number(), behaviour),
                new RecordingLayout(Path.of("/unused"), ZoneId.of("Asia/Shanghai")), NIGHT);
        return runner.run(channel, CALL, line).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void closedLineNamesItsHoursThenTakesAVoicemailNamedByDateAndLinkedid() throws Exception {
        ScriptedChannel channel = new ScriptedChannel();
        IvrOutcome outcome = run(LineBehaviour.of(line("12315", true, null, null, null)), MARKET, channel);

        assertThat(channel.log).containsExactly("answer", "play:hotline/closed-12315",
                "record:voicemail/2026/03/02/vm-1795322295.1.wav:120s:5s:beep");
        assertThat(outcome).isInstanceOf(IvrOutcome.Voicemail.class);
        IvrOutcome.Voicemail vm = (IvrOutcome.Voicemail) outcome;
        assertThat(vm.reason()).isEqualTo("closed");
        assertThat(vm.recording().file()).isEqualTo("voicemail/2026/03/02/vm-1795322295.1");
        assertThat(vm.ivrPath()).containsExactly("closed", "voicemail");
    }

    @Test
    void callerWhoHangsUpDuringTheClosedPromptLeavesNoVoicemail() throws Exception {
        IvrOutcome outcome = run(LineBehaviour.of(line("12315", true, null, null, null)), MARKET,
                new ScriptedChannel().hangingUpAfter(1));
        assertThat(outcome).isEqualTo(new IvrOutcome.CallerHungUp(java.util.List.of("closed")));
    }

    @Test
    void subCentreLineTransfersToTheSubCentreWithThePoolAsFallback() throws Exception {
        LineBehaviour b = LineBehaviour.of(line("12315", null, "sub_centre",
                new CtiConfig.SubCentre("88001234", "sc12315", Duration.ofSeconds(15)), null));
        ScriptedChannel channel = new ScriptedChannel();
        IvrOutcome.Transfer t = (IvrOutcome.Transfer) run(b, MARKET, channel);

        assertThat(t.number()).isEqualTo("88001234");
        assertThat(t.answerTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(t.threeParty()).isFalse();
        assertThat(t.fallback()).hasValueSatisfying(r -> {
            assertThat(r.skill()).isEqualTo("market");
            assertThat(r.minLevel()).isEqualTo(2);
            assertThat(r.priority()).isEqualTo(3);
            assertThat(r.line()).isEqualTo(MARKET);
        });
        assertThat(t.ivrPath()).containsExactly("welcome", "sub_centre:88001234");
        assertThat(channel.variables).containsEntry("CTI_LINE", "12315");
    }

    @Test
    void transferKeyPressedDuringTheWelcomeTransfersWithoutFallback() throws Exception {
        LineBehaviour b = LineBehaviour.of(line("12345", null, null, null, Map.of(
                "1", new CtiConfig.MenuKey("涉企服务", "enterprise", 1, null, null, null, null, null),
                "9", transferKey("120", true))));
        ScriptedChannel channel = new ScriptedChannel().pressing('9');
        IvrOutcome.Transfer t = (IvrOutcome.Transfer) run(b, MAIN, channel);

        assertThat(channel.log).containsExactly("answer", "play:hotline/welcome-12345:19");
        assertThat(t.number()).isEqualTo("120");
        assertThat(t.threeParty()).isTrue();
        assertThat(t.answerTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(t.fallback()).isEmpty();
        assertThat(t.ivrPath()).containsExactly("welcome", "menu:9 120急救", "transfer:120");
    }

    @Test
    void skillKeysAndNoKeyStillRouteLikeTheWalkingSkeleton() throws Exception {
        LineBehaviour b = LineBehaviour.of(line("12345", null, null, null, Map.of("9", transferKey("120", null))));
        IvrOutcome.Route chosen = (IvrOutcome.Route) run(b, MAIN, new ScriptedChannel().pressing('1'));
        assertThat(chosen.request().skill()).isEqualTo("enterprise");
        assertThat(chosen.request().priority()).isEqualTo(1);
        assertThat(chosen.ivrPath()).containsExactly("welcome", "menu:1 涉企服务", "queue:enterprise");

        ScriptedChannel silent = new ScriptedChannel();
        IvrOutcome.Route plain = (IvrOutcome.Route) run(b, MAIN, silent);
        assertThat(plain.request().skill()).isEqualTo("general");
        assertThat(silent.variables).containsEntry("CTI_LINE", "12345").containsEntry("CTI_SKILL", "general");
    }

    @Test
    void endKeyPlaysTheNoticeThenEndsTheCall() throws Exception {
        LineBehaviour b = LineBehaviour.of(line("12345", null, null, null, Map.of("8", new CtiConfig.MenuKey(
                "法院诉讼类", null, null, null, null, null, "not_accepted:court", "hotline/not-accepted-court"))));
        ScriptedChannel channel = new ScriptedChannel().pressing('8');
        IvrOutcome outcome = run(b, MAIN, channel);

        assertThat(channel.log).containsExactly("answer", "play:hotline/welcome-12345:18",
                "play:hotline/not-accepted-court");
        assertThat(outcome).isEqualTo(new IvrOutcome.Ended("not_accepted:court",
                java.util.List.of("welcome", "menu:8 法院诉讼类", "notice:not_accepted:court")));
    }

    @Test
    void plainLineRunsTheWalkingSkeletonFlow() throws Exception {
        ScriptedChannel channel = new ScriptedChannel();
        IvrOutcome outcome = run(LineBehaviour.PLAIN, MARKET, channel);
        assertThat(outcome).isInstanceOf(IvrOutcome.Route.class);
        assertThat(channel.log).containsExactly("answer", "play:hotline/welcome-12315", "set:CTI_LINE=12315",
                "set:CTI_SKILL=market");
    }

    @Test
    void inconsistentLineConfigurationIsRefusedWithTheLineAndKeyNamed() {
        assertThatThrownBy(() -> LineBehaviour.of(line("12315", null, "sub_centre", null, null)))
                .hasMessageContaining("line 12315").hasMessageContaining("sub_centre.number");
        assertThatThrownBy(() -> LineBehaviour.of(line("12315", null, "branch", null, null)))
                .hasMessageContaining("mode must be merged, parallel or sub_centre");
        assertThatThrownBy(() -> LineBehaviour.of(line("12315", null, null,
                new CtiConfig.SubCentre("88001234", null, null), null)))
                .hasMessageContaining("only for mode sub_centre");
        assertThatThrownBy(() -> LineBehaviour.of(line("12315", null, "sub_centre",
                new CtiConfig.SubCentre("88001234", null, Duration.ofMillis(1500)), null)))
                .hasMessageContaining("whole positive seconds");
        assertThatThrownBy(() -> LineBehaviour.of(line("12345", null, null, null, Map.of("9",
                new CtiConfig.MenuKey("x", "general", null, "120", null, null, null, null)))))
                .hasMessageContaining("menu key 9").hasMessageContaining("exactly one of skill, transfer, end");
        assertThatThrownBy(() -> LineBehaviour.of(line("12345", null, null, null, Map.of("9",
                transferKey("12O", null))))).hasMessageContaining("transfer must be a number");
        assertThatThrownBy(() -> LineBehaviour.of(line("12345", null, null, null, Map.of("8",
                new CtiConfig.MenuKey("x", null, null, null, null, null, "not_accepted:court", null)))))
                .hasMessageContaining("notice");
    }

    @Test
    void recordingNamesThatLeaveTheRecordingDirectoryAreRefused() {
        RecordingRootChannel channel = new RecordingRootChannel(new ScriptedChannel(), "/spool");
        for (String bad : new String[] {"/etc/passwd", "../x", "voicemail/../../x", ".."}) {
            assertThat(channel.record(bad, "wav", "#", Duration.ofSeconds(1), Duration.ZERO, false)
                    .toCompletableFuture()).isCompletedExceptionally();
        }
        assertThat(channel.record("voicemail/a", "wav", "#", Duration.ofSeconds(1), Duration.ZERO, false)
                .toCompletableFuture().join().endedBy()).isEqualTo(RecordingResult.End.TIMEOUT_OR_SILENCE);
    }
}
