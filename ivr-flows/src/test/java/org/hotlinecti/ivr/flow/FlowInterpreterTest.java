package org.hotlinecti.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.FakeChannel;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.MenuChoice;
import org.hotlinecti.ivr.RecordingResult;
import org.hotlinecti.ivr.RoutingRequest;
import org.junit.jupiter.api.Test;

class FlowInterpreterTest {

    private final TestIvr office = new TestIvr(TestIvr.MONDAY_10AM);
    private final TestIvr night = new TestIvr(TestIvr.MONDAY_9PM);

    private static RoutingRequest route(IvrOutcome outcome) {
        assertThat(outcome).isInstanceOf(IvrOutcome.Route.class);
        return ((IvrOutcome.Route) outcome).request();
    }

    @Test
    void theMainLineWelcomesAndQueuesWithoutAMenu() {
        FakeChannel caller = new FakeChannel();

        RoutingRequest request = route(office.run(caller, "12345"));

        assertThat(caller.log).containsExactly("answer", "play:hotline/welcome-12345", "set:CTI_LINE=12345",
                "set:CTI_SKILL=general");
        assertThat(request.skill()).isEqualTo("general");
        assertThat(request.line().number()).isEqualTo("12345");
        assertThat(request.ivrPath()).containsExactly("welcome", "queue:general");
    }

    @Test
    void anUnknownNumberIsServedByTheMainLine() {
        assertThat(route(office.run(new FakeChannel(), "99999")).line().number()).isEqualTo("12345");
    }

    @Test
    void aMergedLineAnnouncesTheMergerAndPreselectsTheDepartmentsSkill() {
        FakeChannel caller = new FakeChannel();

        RoutingRequest request = route(night.run(caller, "12315"));   // merged lines are 7x24 like 12345

        assertThat(caller.log).containsExactly("answer", "play:hotline/merged-12315", "set:CTI_LINE=12315",
                "set:CTI_SKILL=market");
        assertThat(request.skill()).isEqualTo("market");
        assertThat(request.minLevel()).isEqualTo(3);
        assertThat(request.ivrPath()).containsExactly("notice", "queue:market");
    }

    @Test
    void aMergedLineWithoutNoticeGetsThe12345Welcome() {
        FakeChannel caller = new FakeChannel();

        assertThat(route(office.run(caller, "12319")).skill()).isEqualTo("urban");
        assertThat(caller.log).contains("play:hotline/welcome-12345");
    }

    @Test
    void aParallelLineKeepsItsOwnGreetingAndPriority() {
        FakeChannel caller = new FakeChannel();

        RoutingRequest request = route(office.run(caller, "12333"));

        assertThat(caller.log).contains("play:hotline/welcome-12333");
        assertThat(request.skill()).isEqualTo("social_security");
        assertThat(request.priority()).isEqualTo(2);
    }

    @Test
    void outOfHoursNamesTheHoursAndTakesAVoicemail() {
        FakeChannel caller = new FakeChannel();
        IvrCall call = new IvrCall(night.config.lineDirectory().serving("12351"), "13800001111", "1772456400.17",
                Map.of());

        IvrOutcome outcome = night.interpreter.run(caller, call).toCompletableFuture().join();   // no pool offer

        assertThat(caller.log).containsExactly("answer", "play:hotline/closed-intro", "play:hotline/hours-office",
                "play:hotline/voicemail-intro", "record:voicemail/12351/20260302/1772456400.17.wav:120s:5s:beep",
                "play:hotline/voicemail-thanks");
        assertThat(outcome).isInstanceOfSatisfying(IvrOutcome.Voicemail.class, v -> {
            assertThat(v.reason()).isEqualTo("closed");
            assertThat(v.line().number()).isEqualTo("12351");
            assertThat(v.recording().file()).isEqualTo("voicemail/12351/20260302/1772456400.17");
            assertThat(v.recording().endedBy()).isEqualTo(RecordingResult.End.TIMEOUT_OR_SILENCE);
            assertThat(v.ivrPath()).containsExactly("closed", "message");
        });
    }

    @Test
    void theCtiNamesVoicemailFilesWithItsRecordingLayout() {
        FlowInterpreter interpreter = new FlowInterpreter(() -> night.config,
                (call, now) -> "voicemail/2026/03/02/vm-" + call.callId() + "-" + now.getEpochSecond());
        FakeChannel caller = new FakeChannel();
        IvrCall call = new IvrCall(night.config.lineDirectory().serving("12351"), "13800001111", "1772456400.17",
                Map.of());

        IvrOutcome outcome = interpreter.run(caller, call).toCompletableFuture().join();

        long at = TestIvr.clock(TestIvr.MONDAY_9PM).instant().getEpochSecond();
        assertThat(((IvrOutcome.Voicemail) outcome).recording().file())
                .isEqualTo("voicemail/2026/03/02/vm-1772456400.17-" + at);
    }

    @Test
    void outOfHoursKeyZeroReachesThe12345PoolWhereTheLineAllowsIt() {
        FakeChannel caller = new FakeChannel().typing("0");

        RoutingRequest request = route(night.run(caller, "12333"));

        assertThat(caller.log).contains("play:hotline/hours-office-long", "read:hotline/closed-choose:1:3000");
        assertThat(request.skill()).isEqualTo("general");
        assertThat(request.line().number()).isEqualTo("12333");
        assertThat(request.ivrPath()).containsExactly("closed", "choose", "choose:0 转12345人工", "queue:general");
    }

    @Test
    void outOfHoursWithoutAKeyGoesToVoicemail() {
        FakeChannel caller = new FakeChannel();

        IvrOutcome outcome = night.run(caller, "12333");

        assertThat(outcome).isInstanceOf(IvrOutcome.Voicemail.class);
        assertThat(outcome.ivrPath()).containsExactly("closed", "choose", "choose:no-input", "message");
        // no UNIQUEID on the channel: the file is named by the time
        assertThat(((IvrOutcome.Voicemail) outcome).recording().file()).isEqualTo("voicemail/12333/20260302/210000");
    }

    @Test
    void aCallerWhoHangsUpWhileRecordingStillLeavesTheVoicemail() {
        FakeChannel caller = new FakeChannel().hangingUpAfter(4);   // answer, 3 prompts, then gone

        IvrOutcome outcome = night.run(caller, "12351");

        assertThat(outcome).isInstanceOfSatisfying(IvrOutcome.Voicemail.class, v ->
                assertThat(v.recording().endedBy()).isEqualTo(RecordingResult.End.CALLER_HUNG_UP));
        assertThat(caller.log).last().asString().startsWith("hungup-at:record:");
    }

    @Test
    void aCallerWhoHangsUpDuringTheThanksStillLeftTheVoicemail() {
        FakeChannel caller = new FakeChannel().hangingUpAfter(5);

        assertThat(night.run(caller, "12351")).isInstanceOf(IvrOutcome.Voicemail.class);
        assertThat(caller.log).last().isEqualTo("hungup-at:play:hotline/voicemail-thanks");
    }

    @Test
    void aSubCentreInHoursIsATransferWithAnswerTimeoutAndPoolFallback() {
        FakeChannel caller = new FakeChannel();

        IvrOutcome outcome = office.run(caller, "12366");

        assertThat(caller.log).containsExactly("answer", "play:hotline/sub-centre-connecting");
        assertThat(outcome).isInstanceOfSatisfying(IvrOutcome.Transfer.class, t -> {
            assertThat(t.kind()).isEqualTo(IvrOutcome.TransferKind.SUB_CENTRE);
            assertThat(t.trunk()).isEmpty();
            assertThat(t.number()).isEqualTo("87012366");
            assertThat(t.answerTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(t.threeParty()).isFalse();
            assertThat(t.label()).isEqualTo("12366纳税缴费服务热线 分中心");
            assertThat(t.fallback()).hasValueSatisfying(f -> {
                assertThat(f.skill()).isEqualTo("general");
                assertThat(f.line().number()).isEqualTo("12366");
            });
        });
    }

    @Test
    void aSubCentreWithATrunkOfItsOwnIsDialledOverIt() {
        assertThat(office.run(new FakeChannel(), "12348")).isInstanceOfSatisfying(IvrOutcome.Transfer.class, t -> {
            assertThat(t.number()).isEqualTo("87012348");
            assertThat(t.trunk()).contains("sc12348");
        });
    }

    @Test
    void aClosedSubCentreFallsBackToThePool() {
        FakeChannel caller = new FakeChannel();

        RoutingRequest request = route(night.run(caller, "12329"));

        assertThat(caller.log).containsExactly("answer", "play:hotline/sub-centre-closed", "set:CTI_LINE=12329",
                "set:CTI_SKILL=general");
        assertThat(request.ivrPath()).containsExactly("closed-to-pool", "queue:general");
    }

    @Test
    void subCentreHoursFollowTheHolidayCalendar() {
        // 12329 keeps office hours: closed on a National Day Monday, open on the make-up Saturday after it
        assertThat(new TestIvr(LocalDateTime.of(2026, 10, 5, 10, 0)).run(new FakeChannel(), "12329"))
                .isInstanceOf(IvrOutcome.Route.class);
        assertThat(new TestIvr(LocalDateTime.of(2026, 10, 10, 10, 0)).run(new FakeChannel(), "12329"))
                .isInstanceOf(IvrOutcome.Transfer.class);
        assertThat(new TestIvr(LocalDateTime.of(2026, 10, 17, 10, 0)).run(new FakeChannel(), "12329"))
                .isInstanceOf(IvrOutcome.Route.class);   // an ordinary Saturday
    }

    @Test
    void aSubCentreWithoutPoolFallbackHasNone() {
        IvrOutcome outcome = night.run(new FakeChannel(), "12310");

        assertThat(outcome).isInstanceOfSatisfying(IvrOutcome.Transfer.class, t -> {
            assertThat(t.fallback()).isEmpty();
            assertThat(t.answerTimeout()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void emergencyKeyTransfersTo120WithThreePartyAndAPriorityFallback() {
        FakeChannel caller = new FakeChannel().typing("3");

        IvrOutcome outcome = office.run(caller, "12345", "emergency");

        assertThat(caller.log).containsExactly("answer", "read:hotline/emergency-menu:1:5000",
                "play:hotline/emergency-connecting");
        assertThat(outcome).isInstanceOfSatisfying(IvrOutcome.Transfer.class, t -> {
            assertThat(t.kind()).isEqualTo(IvrOutcome.TransferKind.EXTERNAL);
            assertThat(t.trunk()).isEmpty();
            assertThat(t.number()).isEqualTo("120");
            assertThat(t.label()).isEqualTo("120急救");
            assertThat(t.threeParty()).isTrue();
            assertThat(t.answerTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(t.fallback()).hasValueSatisfying(f -> assertThat(f.priority()).isEqualTo(5));
            assertThat(t.ivrPath()).containsExactly("notice", "notice:3 120急救", "transfer:120急救");
        });
    }

    @Test
    void anInvalidKeyIsToldAndRetriedThenTimeoutsGoToAnAgent() {
        FakeChannel caller = new FakeChannel().typing("7", "");

        RoutingRequest request = route(office.run(caller, "12345", "emergency"));

        assertThat(caller.log).containsExactly("answer", "read:hotline/emergency-menu:1:5000",
                "play:hotline/invalid-key", "read:hotline/emergency-menu:1:5000", "set:CTI_LINE=12345",
                "set:CTI_SKILL=general");
        assertThat(request.ivrPath()).containsExactly("notice", "notice:invalid 7", "notice:no-input",
                "queue:general");
    }

    @Test
    void invalidKeysUntilRetriesRunOutTakeTheInvalidBranch() {
        FakeChannel caller = new FakeChannel().typing("7", "8");

        route(office.run(caller, "12345", "emergency"));

        assertThat(caller.log).filteredOn(e -> e.equals("play:hotline/invalid-key")).hasSize(2);
    }

    @Test
    void aMenuWithoutWaitTakesKeysDuringThePromptOnly() {
        FakeChannel pressing = new FakeChannel().typing("1");
        RoutingRequest enterprise = route(office.run(pressing, "12345", "main-with-menu"));
        assertThat(enterprise.skill()).isEqualTo("enterprise");
        assertThat(enterprise.priority()).isEqualTo(2);
        assertThat(pressing.log).contains("play:hotline/welcome-12345-menu:1239");

        FakeChannel silent = new FakeChannel();
        assertThat(route(office.run(silent, "12345", "main-with-menu")).skill()).isEqualTo("general");
        assertThat(silent.log).noneMatch(e -> e.startsWith("read:"));
    }

    @Test
    void aLinesOwnMenuKeysWorkDuringTheWelcomeAsInTheWalkingSkeleton() {
        DepartmentLine withMenu = new DepartmentLine("12345", "12345 政务服务便民热线", "市12345热线中心", "general", 1, 0,
                null, Map.of("1", new MenuChoice("涉企服务", "enterprise", 2), "2", new MenuChoice("方言", "dialect", 0)));
        FakeChannel pressing = new FakeChannel().typing("1");

        IvrOutcome outcome = office.interpreter.run(pressing, new IvrCall(withMenu, "13800001111"))
                .toCompletableFuture().join();

        assertThat(pressing.log).containsExactly("answer", "play:hotline/welcome-12345:12", "set:CTI_LINE=12345",
                "set:CTI_SKILL=enterprise");
        assertThat(route(outcome).priority()).isEqualTo(2);
        assertThat(outcome.ivrPath()).containsExactly("welcome", "menu:1 涉企服务", "queue:enterprise");

        FakeChannel other = new FakeChannel().typing("7");
        IvrOutcome plain = office.interpreter.run(other, new IvrCall(withMenu, "13800001111"))
                .toCompletableFuture().join();
        assertThat(route(plain).skill()).isEqualTo("general");
        assertThat(plain.ivrPath()).containsExactly("welcome", "queue:general");
        assertThat(other.log).noneMatch(entry -> entry.startsWith("read:"));
    }

    @Test
    void theNotAcceptedNoticeNamesTheChannelAndEndsTheCall() {
        FakeChannel caller = new FakeChannel().typing("1");

        IvrOutcome outcome = office.run(caller, "12345", "not-accepted");

        assertThat(outcome).isEqualTo(new IvrOutcome.Ended("not_accepted:court",
                List.of("choose", "choose:1 诉讼", "court")));
        // the notice is heard to the end; the CTI (the dialplan) hangs up once the flow is over
        assertThat(caller.log).endsWith("play:hotline/not-accepted-court", "play:hotline/goodbye");
        assertThat(office.config.prompts().text("not-accepted-court")).hasValueSatisfying(t ->
                assertThat(t).contains("人民法院"));
    }

    @Test
    void aTicketNumberIsValidatedNormalisedAndAttached() {
        FakeChannel caller = new FakeChannel().typing("3", "12345", "202603020000123");

        RoutingRequest request = route(office.run(caller, "12345", "main-with-menu"));

        assertThat(request.data()).containsExactly(Map.entry("ticket_no", "20260302-0000123"),
                Map.entry("intent", "ticket_enquiry"));
        assertThat(caller.log).containsSubsequence("read:hotline/ticket-enter:15:8000", "play:hotline/ticket-invalid",
                "read:hotline/ticket-enter:15:8000");
        assertThat(request.ivrPath()).containsExactly("welcome", "welcome:3 工单查询", "ask", "ask:invalid",
                "queue:general");
    }

    @Test
    void aCallerWhoCannotTypeTheTicketStillReachesAnAgent() {
        FakeChannel caller = new FakeChannel().typing("1", "", "20261399");

        RoutingRequest request = route(office.run(caller, "12345", "ticket-enquiry"));

        assertThat(request.data()).isEmpty();
        assertThat(request.ivrPath()).containsExactly("ask", "ask:invalid", "ask:no-input", "ask:invalid",
                "queue:general");
    }

    @Test
    void theSurveyStoresTheScoreAndThanks() {
        FakeChannel caller = new FakeChannel().typing("2");

        IvrOutcome outcome = office.run(caller, "12345", "survey");

        assertThat(outcome).isEqualTo(new IvrOutcome.Ended("survey:4", List.of("ask", "survey:4")));
        assertThat(caller.variables).containsEntry("SURVEY_SCORE", "4");
        assertThat(caller.log).containsExactly("answer", "read:hotline/survey:1:10000", "set:SURVEY_SCORE=4",
                "play:hotline/survey-thanks");
    }

    @Test
    void theSurveyEntryPointGivesTheScoreLikeSurveyFlow() {
        IvrCall call = office.call("12345", "13800001111");
        assertThat(office.interpreter.survey(new FakeChannel().typing("5"), call).toCompletableFuture().join())
                .contains(1);
        assertThat(office.interpreter.survey(new FakeChannel().typing("", ""), call).toCompletableFuture().join())
                .isEmpty();
        assertThat(office.interpreter.survey(new FakeChannel().hangingUpAfter(1), call).toCompletableFuture().join())
                .isEmpty();
    }

    @Test
    void aSurveyWithAnInvalidKeyAndThenSilenceHasNoScore() {
        FakeChannel caller = new FakeChannel().typing("8", "");

        IvrOutcome outcome = office.run(caller, "12345", "survey");

        assertThat(outcome).isEqualTo(new IvrOutcome.Ended("survey:none", List.of("ask", "survey:none")));
        assertThat(caller.log).contains("play:hotline/survey-invalid");
        assertThat(caller.variables).doesNotContainKey("SURVEY_SCORE");
    }

    @Test
    void aSurveyAnswerCountsWhenTheCallerHangsUpDuringTheThanks() {
        FakeChannel caller = new FakeChannel().typing("1").hangingUpAfter(3);

        assertThat(office.run(caller, "12345", "survey")).isEqualTo(
                new IvrOutcome.Ended("survey:5", List.of("ask", "survey:5")));
    }

    @Test
    void aHangUpAtAnyStepEndsTheFlowWithThePathSoFar() {
        record Script(String dialled, String flow, String[] typed, TestIvr ivr) {
        }
        List<Script> scripts = List.of(
                new Script("12345", "main", new String[0], office),
                new Script("12315", "merged", new String[0], office),
                new Script("12333", "out-of-hours", new String[] {"0"}, night),
                new Script("12351", "out-of-hours", new String[0], night),
                new Script("12366", "sub-centre", new String[0], office),
                new Script("12345", "emergency", new String[] {"5", "1"}, office),
                new Script("12345", "not-accepted", new String[] {"4"}, office),
                new Script("12345", "main-with-menu", new String[] {"3", "1", "202603020000123"}, office),
                new Script("12345", "survey", new String[] {"9", "3"}, office));
        for (Script script : scripts) {
            int total = countOperations(script.ivr(), script.dialled(), script.flow(), script.typed());
            for (int after = 0; after < total; after++) {
                FakeChannel caller = new FakeChannel().typing(script.typed()).hangingUpAfter(after);
                IvrOutcome outcome = script.ivr().run(caller, script.dialled(), script.flow());
                String at = script.flow() + " hung up after " + after + " of " + total + ": " + caller.log;
                if (caller.log.get(caller.log.size() - 1).startsWith("hungup-at:record:")
                        || caller.log.stream().anyMatch(e -> e.startsWith("record:"))) {
                    assertThat(outcome).as(at).isInstanceOf(IvrOutcome.Voicemail.class);
                } else if (caller.log.stream().anyMatch(e -> e.contains("set:SURVEY_SCORE"))) {
                    // the key was pressed before the caller left: the answer counts
                    assertThat(outcome).as(at).isInstanceOf(IvrOutcome.Ended.class);
                } else {
                    assertThat(outcome).as(at).isInstanceOf(IvrOutcome.CallerHungUp.class);
                }
                assertThat(caller.log.stream().filter(e -> e.startsWith("hungup-at:")).count()).as(at).isEqualTo(1);
            }
        }
    }

    private static int countOperations(TestIvr ivr, String dialled, String flow, String[] typed) {
        FakeChannel caller = new FakeChannel().typing(typed);
        ivr.run(caller, dialled, flow);
        return caller.operations();
    }

    @Test
    void anAsynchronousChannelIsDrivenOneOperationAtATimeWithoutBlocking() {
        FakeChannel caller = new FakeChannel().asynchronous().typing("7", "2");

        CompletableFuture<IvrOutcome> outcome = office.interpreter.run(caller, office.call("12345", "13800001111"),
                "emergency").toCompletableFuture();

        int completed = 0;
        while (!outcome.isDone()) {
            assertThat(caller.completeNext()).as("an operation is outstanding while the flow runs").isTrue();
            completed++;
        }
        assertThat(caller.log).doesNotContain("overlap");
        assertThat(completed).isEqualTo(caller.operations());
        assertThat(outcome.join()).isInstanceOfSatisfying(IvrOutcome.Transfer.class, t ->
                assertThat(t.number()).isEqualTo("119"));
    }

    @Test
    void thousandsOfCallersInterleaveWithoutAThreadEach() {
        int callers = 3000;
        List<FakeChannel> channels = new java.util.ArrayList<>();
        List<CompletableFuture<IvrOutcome>> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++) {
            FakeChannel caller = new FakeChannel().asynchronous().typing(String.valueOf(1 + i % 3));
            channels.add(caller);
            outcomes.add(office.interpreter.run(caller, office.call("12345", "138" + i), "emergency")
                    .toCompletableFuture());
        }
        // one thread plays the PBX for everybody, one operation per caller per round
        boolean progress = true;
        while (progress) {
            progress = false;
            for (FakeChannel caller : channels) {
                progress |= caller.completeNext();
            }
        }
        for (int i = 0; i < callers; i++) {
            String expected = new String[] {"110", "119", "120"}[i % 3];
            assertThat(outcomes.get(i)).isCompletedWithValueMatching(o -> o instanceof IvrOutcome.Transfer t
                    && t.number().equals(expected));
        }
        assertThat(channels).allMatch(c -> !c.log.contains("overlap"));
    }

    @Test
    void anUnknownFlowIsRefused() {
        assertThatThrownBy(() -> office.interpreter.run(new FakeChannel(), office.call("12345", ""), "nope"))
                .hasMessageContaining("no flow 'nope'");
    }

    @Test
    void attachedDataFromTheCallReachesTheRoutingRequest() {
        IvrCall call = new IvrCall(office.config.lineDirectory().serving("12345"), "13800001111",
                Map.of("campaign", "heating"));

        IvrOutcome outcome = office.interpreter.run(new FakeChannel(), call).toCompletableFuture().join();

        assertThat(route(outcome).data()).containsEntry("campaign", "heating");
        assertThat(route(outcome).queue()).isEqualTo(Optional.empty());
    }
}
