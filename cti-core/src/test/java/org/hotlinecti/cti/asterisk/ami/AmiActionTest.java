package org.hotlinecti.cti.asterisk.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every way a caller's or a web user's text could smuggle AMI headers, actions or dialplan code is refused. */
class AmiActionTest {

    @Test
    void encodesActionIdFirstAndEndsWithAnEmptyLine() {
        byte[] wire = AmiAction.named("Setvar").add("Channel", "PJSIP/trunk-00000002").add("Variable", "CTI_AGENT")
                .add("Value", "王芳").encode("cti-1-7");

        assertThat(new String(wire, StandardCharsets.UTF_8)).isEqualTo("Action: Setvar\r\nActionID: cti-1-7\r\n"
                + "Channel: PJSIP/trunk-00000002\r\nVariable: CTI_AGENT\r\nValue: 王芳\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1\r\nAction: Originate", "1\nAction: Hangup", "1\rChannel: x", "a\0b",
        "x\r\n\r\nAction: Command\r\nCommand: core stop now"})
    void lineBreaksAndNulInAnyHeaderAreRefused(String injected) {
        assertThatThrownBy(() -> AmiAction.named("Setvar").add("Value", injected))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AMI header injection");
    }

    @Test
    void headerNamesAndReservedHeadersAreChecked() {
        assertThatThrownBy(() -> AmiAction.named("Setvar").add("Value: x\r\nAction", "y"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmiAction.named("Setvar").add("ActionID", "spoofed"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmiAction.named("Setvar").add("action", "Originate"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmiAction.named("Redirect\r\nAction: Originate"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"${SHELL(reboot)}", "$[1+1]", "a,CDR(userfield)=x", "\"quoted\"", "x\r\ny"})
    void originateVariablesRefuseExpansionAndExtraAssignments(String value) {
        assertThatThrownBy(() -> AmiAction.named("Originate").addVariable("CTI_CALLER_NAME", value))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void originateVariablesTakePlainTextAndInheritancePrefixes() {
        AmiAction a = AmiAction.named("Originate").addVariable("__CTI_CALL", "1795322295.2")
                .addVariable("CTI_NOTE", "张三 VIP $5 (回拨)");

        assertThat(new String(a.encode("1"), StandardCharsets.UTF_8))
                .contains("Variable: __CTI_CALL=1795322295.2\r\n", "Variable: CTI_NOTE=张三 VIP $5 (回拨)\r\n");
        assertThatThrownBy(() -> AmiAction.named("Originate").addVariable("SHELL(id)", "1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsValues() {
        assertThat(AmiAction.named("Login").add("Secret", "s3cret-value")).hasToString("AmiAction[Login]");
    }
}
