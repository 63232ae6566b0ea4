package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PhoneBehaviourTest {

    @Test
    void factoriesSayWhatTheyDo() {
        assertThat(PhoneBehaviour.answerAfter(Duration.ofSeconds(2)))
                .isEqualTo(new PhoneBehaviour(PhoneBehaviour.Mode.ANSWER, Duration.ofSeconds(2)));
        assertThat(PhoneBehaviour.noAnswer().mode()).isEqualTo(PhoneBehaviour.Mode.NO_ANSWER);
        assertThat(PhoneBehaviour.busy().mode()).isEqualTo(PhoneBehaviour.Mode.BUSY);
        assertThat(PhoneBehaviour.reject().mode()).isEqualTo(PhoneBehaviour.Mode.REJECT);
        assertThat(PhoneBehaviour.busy().answerAfter()).isNull();
    }

    @Test
    void badCombinationsAreRefused() {
        assertThatThrownBy(() -> PhoneBehaviour.answerAfter(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PhoneBehaviour.answerAfter(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PhoneBehaviour(PhoneBehaviour.Mode.BUSY, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PhoneBehaviour(null, null)).isInstanceOf(NullPointerException.class);
    }
}
