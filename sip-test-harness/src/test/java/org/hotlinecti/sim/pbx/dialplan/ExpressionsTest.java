package org.hotlinecti.sim.pbx.dialplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

    private final Map<String, String> vars = new HashMap<>(Map.of("DIALSTATUS", "ANSWER", "EXTEN", "1001",
            "CTI_DEFAULT_RING_TIMEOUT", "15"));

    private final VariableSource source = new VariableSource() {
        @Override
        public String variable(String name) {
            return vars.get(name);
        }

        @Override
        public String function(String name, String argument) {
            if (name.equals("CHANNEL") && argument.equals("linkedid")) {
                return "1795322295.2";
            }
            throw new IllegalArgumentException(name + "() unknown");
        }
    };

    @Test
    void substitutesVariablesFunctionsAndNesting() {
        assertThat(Expressions.substitute("PJSIP/agent${EXTEN}", source)).isEqualTo("PJSIP/agent1001");
        assertThat(Expressions.substitute("${CHANNEL(linkedid)}", source)).isEqualTo("1795322295.2");
        assertThat(Expressions.substitute("${UNSET}x", source)).isEqualTo("x");
        assertThat(Expressions.substitute("${LEN(${EXTEN})}", source)).isEqualTo("4");
    }

    @Test
    void evaluatesTheShippedDialplansConditions() {
        assertThat(Expressions.substitute("$[\"${DIALSTATUS}\" = \"ANSWER\"]?survey", source)).isEqualTo("1?survey");
        vars.put("DIALSTATUS", "NOANSWER");
        assertThat(Expressions.substitute("$[\"${DIALSTATUS}\" = \"ANSWER\"]?survey", source)).isEqualTo("0?survey");

        String ringTimeout = "${IF($[\"${CTI_RING_TIMEOUT}\" = \"\"]?${CTI_DEFAULT_RING_TIMEOUT}:${CTI_RING_TIMEOUT})}";
        assertThat(Expressions.substitute(ringTimeout, source)).isEqualTo("15");
        vars.put("CTI_RING_TIMEOUT", "4");
        assertThat(Expressions.substitute(ringTimeout, source)).isEqualTo("4");
    }

    @Test
    void comparesNumbersNumericallyAndCombines() {
        assertThat(Expressions.evaluate("10 > 9")).isEqualTo("1");
        assertThat(Expressions.evaluate("abc < abd")).isEqualTo("1");
        assertThat(Expressions.evaluate("1 = 1 & 2 != 2")).isEqualTo("0");
        assertThat(Expressions.evaluate("(1 = 2) | x")).isEqualTo("x");
        assertThat(Expressions.evaluate(" = 1")).isEqualTo("0");
        assertThat(Expressions.isTrue("0")).isFalse();
        assertThat(Expressions.isTrue("")).isFalse();
        assertThat(Expressions.isTrue("x")).isTrue();
    }

    @Test
    void malformedTextIsAnError() {
        assertThatThrownBy(() -> Expressions.substitute("${EXTEN", source)).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> Expressions.substitute("${NOPE(1)}", source)).hasMessageContaining("NOPE() unknown");
    }
}
