package org.hotlinecti.cti.asterisk.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The reply forms seen in the Asterisk 22 traces. */
class AgiReplyTest {

    @Test
    void streamFile() {
        AgiReply reply = AgiReply.parse("200 result=0 endpos=3404", false);
        assertThat(reply.isSuccess()).isTrue();
        assertThat(reply.result()).isEqualTo("0");
        assertThat(reply.extra()).isNull();
        assertThat(reply.endPos()).isEqualTo(3404);
    }

    @Test
    void variableValueWithBlanksAndParentheses() {
        AgiReply reply = AgiReply.parse("200 result=1 (say (hi) there)", false);
        assertThat(reply.result()).isEqualTo("1");
        assertThat(reply.extra()).isEqualTo("say (hi) there");
    }

    @Test
    void getDataTimeoutHasAnEmptyResult() {
        AgiReply reply = AgiReply.parse("200 result= (timeout)", false);
        assertThat(reply.result()).isEmpty();
        assertThat(reply.extra()).isEqualTo("timeout");
        assertThat(reply.resultCode()).isZero();
    }

    @Test
    void recordFileHangup() {
        AgiReply reply = AgiReply.parse("200 result=-1 (hangup) endpos=24240", true);
        assertThat(reply.failed()).isTrue();
        assertThat(reply.extra()).isEqualTo("hangup");
        assertThat(reply.endPos()).isEqualTo(24240);
        assertThat(reply.hangupNotified()).isTrue();
    }

    @Test
    void deadChannelAndUnknownCommand() {
        assertThat(AgiReply.parse("511 Command Not Permitted on a dead channel or intercept routine", false)
                .isDeadChannel()).isTrue();
        AgiReply unknown = AgiReply.parse("510 Invalid or unknown command", false);
        assertThat(unknown.code()).isEqualTo(510);
        assertThat(unknown.result()).isNull();
    }

    @Test
    void malformedRepliesAreRejected() {
        assertThatThrownBy(() -> AgiReply.parse("200 ok", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgiReply.parse("200 result=1 trailing", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgiReply.parse("HANGUP now", false)).isInstanceOf(IllegalArgumentException.class);
    }
}
