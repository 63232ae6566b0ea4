package org.hotlinecti.sim.pbx.dialplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DialplanParserTest {

    @Test
    void parsesTheShippedDialplan() throws IOException {
        Path shipped = Path.of(System.getProperty("hotline.project.dir"),
                "deploy/asterisk/extensions.conf");
        Dialplan d = DialplanParser.parse(Files.readString(shipped), shipped.toString());

        assertThat(d.globals()).containsEntry("CTI_AGI", "127.0.0.1:4573").containsKey("CTI_DEFAULT_RING_TIMEOUT");
        Dialplan.Extension inbound = d.find("from-trunk", "12315").orElseThrow();
        assertThat(inbound.priorities()).extracting(Priority::application).containsExactly("Answer", "AGI", "GotoIf",
                "GotoIf", "GotoIf", "GotoIf", "Goto");
        // three-party: the caller's conference, the legs the CTI originates (exten = a Linkedid, dot included)
        assertThat(d.find("hotline-threeparty", "110").orElseThrow().priority(1).orElseThrow().application())
                .isEqualTo("ConfBridge");
        assertThat(d.find("hotline-threeparty", "failed").orElseThrow().priority(1).orElseThrow().data())
                .isEqualTo("hotline/transfer-failed");
        assertThat(d.find("hotline-conference", "1795322295.12").orElseThrow().priority(1).orElseThrow().data())
                .isEqualTo("hotline-${EXTEN},hotline_threeparty,hotline_threeparty_member");
        assertThat(inbound.priority(2).orElseThrow().data()).isEqualTo("agi://${CTI_AGI}/inbound");
        Dialplan.Extension connect = d.find("hotline-connect", "1001").orElseThrow();
        assertThat(connect.label("survey").orElseThrow().number()).isEqualTo(4);
        assertThat(d.find("hotline-wait", "s")).isPresent();
        assertThat(d.find("hotline-connect", "s")).isEmpty();
        assertThat(d.globals()).containsEntry("CTI_DEFAULT_TRUNK", "trunk");
        assertThat(d.find("hotline-end", "s")).isPresent();
        assertThat(d.find("hotline-transfer", "120").orElseThrow().label("done")).isPresent();
        assertThat(d.find("hotline-subcentre", "88001234").orElseThrow().priority(1).orElseThrow().application())
                .isEqualTo("Dial");
    }

    @Test
    void parsesTheDialplanTheTracesWereCapturedWith() throws IOException {
        Path traces = Path.of(System.getProperty("hotline.traces.dir"), "config/extensions.conf");
        Dialplan d = DialplanParser.parse(Files.readString(traces), traces.toString());

        assertThat(d.find("from-trunk", "12399").orElseThrow().priority(2).orElseThrow().data())
                .isEqualTo("agi://127.0.0.1:4573/voicemail");
        assertThat(d.find("from-trunk", "12345").orElseThrow().priority(2).orElseThrow().data())
                .isEqualTo("agi://127.0.0.1:4573/inbound");
        assertThat(d.find("agents", "1002")).isPresent();
    }

    @Test
    void literalExtensionsWinOverPatterns() {
        Dialplan d = DialplanParser.parse("""
                [in]
                exten => _X.,1,NoOp(pattern)
                exten => 12399,1,NoOp(literal)
                """, "t.conf");
        assertThat(d.find("in", "12399").orElseThrow().priority(1).orElseThrow().data()).isEqualTo("literal");
        assertThat(d.find("in", "12345").orElseThrow().priority(1).orElseThrow().data()).isEqualTo("pattern");
    }

    @Test
    void rejectsWhatTheSimCannotHonourWithTheLine() {
        assertThatThrownBy(() -> DialplanParser.parse("[a]\ninclude => b\n", "x.conf"))
                .hasMessage("x.conf:2: 'include' is not supported by the sim PBX (only exten/same)");
        assertThatThrownBy(() -> DialplanParser.parse("exten => 1,1,NoOp()\n", "x.conf"))
                .hasMessage("x.conf:1: line outside any [context]");
        assertThatThrownBy(() -> DialplanParser.parse("[a]\n same => n,NoOp()\n", "x.conf"))
                .hasMessageContaining("x.conf:2: 'same =>' without an 'exten =>'");
        assertThatThrownBy(() -> DialplanParser.parse("[a]\nexten => 1,1,Dial(x\n", "x.conf"))
                .hasMessageContaining("x.conf:2: unbalanced parentheses");
        assertThatThrownBy(() -> DialplanParser.parse("[tmpl](!)\n", "x.conf"))
                .hasMessageContaining("templates are not supported");
    }

    @Test
    void commentsAndEscapedSemicolonsAndNumberedPriorities() {
        Dialplan d = DialplanParser.parse("""
                [a] ; a comment
                exten => s,1,Set(X=a\\;b) ; comment
                exten => s,2(two),NoOp()
                 same => n,Hangup()
                """, "t.conf");
        Dialplan.Extension s = d.find("a", "s").orElseThrow();
        assertThat(s.priority(1).orElseThrow().data()).isEqualTo("X=a\\;b");
        assertThat(s.label("two").orElseThrow().number()).isEqualTo(2);
        assertThat(s.priority(3).orElseThrow().application()).isEqualTo("Hangup");
    }
}
