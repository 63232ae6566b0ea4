package org.hotlinecti.sim.pbx.agi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgiArgumentsTest {

    @Test
    void blanksSeparateAndRunsOfBlanksCountOnce() {
        assertThat(AgiArguments.parse("GET DATA  silence/1\t5000 1 ")).containsExactly("GET", "DATA", "silence/1",
                "5000", "1");
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() {
        assertThat(AgiArguments.parse("STREAM FILE beep \"\"")).containsExactly("STREAM", "FILE", "beep", "");
        assertThat(AgiArguments.parse("STREAM FILE \"beep\" \"\" 0")).containsExactly("STREAM", "FILE", "beep", "", "0");
    }

    @Test
    void quotesGroupBlanks() {
        assertThat(AgiArguments.parse("VERBOSE \"probe after hangup\" 1")).containsExactly("VERBOSE",
                "probe after hangup", "1");
        assertThat(AgiArguments.parse("GET FULL VARIABLE \"${CTI_AGENT}/${IVR_CHOICE}\"")).containsExactly("GET",
                "FULL", "VARIABLE", "${CTI_AGENT}/${IVR_CHOICE}");
    }

    @Test
    void quoteInsideAWordOnlyTogglesQuoting() {
        assertThat(AgiArguments.parse("SET VARIABLE X a\"b c\"d")).containsExactly("SET", "VARIABLE", "X", "ab cd");
    }

    @Test
    void backslashMakesTheNextCharacterLiteral() {
        assertThat(AgiArguments.parse("SET VARIABLE X a\\ b\\\"c\\\\")).containsExactly("SET", "VARIABLE", "X",
                "a b\"c\\");
        assertThat(AgiArguments.parse("VERBOSE \"say \\\"hi\\\"\"")).containsExactly("VERBOSE", "say \"hi\"");
    }

    @Test
    void emptyLineHasNoArguments() {
        assertThat(AgiArguments.parse("")).isEmpty();
        assertThat(AgiArguments.parse("   ")).isEmpty();
    }

    @Test
    void keepsUtf8() {
        assertThat(AgiArguments.parse("VERBOSE \"来电 12345\" 1")).containsExactly("VERBOSE", "来电 12345", "1");
    }
}
