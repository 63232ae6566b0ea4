package org.hotlinecti.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SurveyFlowTest {

    private final SurveyFlow survey = new SurveyFlow(Duration.ofSeconds(10));

    @Test
    void keyOneIsVerySatisfiedAndScoresFive() {
        FakeChannel caller = new FakeChannel().typing("1");

        assertThat(survey.run(caller).toCompletableFuture().join()).contains(5);
        assertThat(caller.variables).containsEntry("SURVEY_SCORE", "5");
        assertThat(caller.log).containsExactly("read:hotline/survey:1:10000", "set:SURVEY_SCORE=5",
                "play:hotline/survey-thanks");
    }

    @Test
    void allFiveLevelsMapToScoresAndLabels() {
        assertThat(SurveyFlow.scoreOf("1")).contains(5);
        assertThat(SurveyFlow.scoreOf("3")).contains(3);
        assertThat(SurveyFlow.scoreOf("5")).contains(1);
        assertThat(SurveyFlow.scoreOf("6")).isEmpty();
        assertThat(SurveyFlow.scoreOf("")).isEmpty();
        assertThat(SurveyFlow.label(5)).isEqualTo("非常满意");
        assertThat(SurveyFlow.label(3)).isEqualTo("基本满意");
        assertThat(SurveyFlow.label(1)).isEqualTo("非常不满意");
    }

    @Test
    void noAnswerOrHangUpBeforePressingGivesNoScore() {
        assertThat(survey.run(new FakeChannel()).toCompletableFuture().join()).isEqualTo(Optional.empty());
        assertThat(survey.run(new FakeChannel().hangingUpAfter(0)).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void aCallerWhoHangsUpDuringTheThanksStillCounts() {
        FakeChannel caller = new FakeChannel().typing("2").hangingUpAfter(2);

        assertThat(survey.run(caller).toCompletableFuture().join()).contains(4);
    }
}
