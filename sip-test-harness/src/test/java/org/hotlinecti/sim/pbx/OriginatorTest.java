package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotlinecti.sim.pbx.ami.AmiActionHandler;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;
import org.hotlinecti.sim.sip.PbxSipEndpoint;
import org.junit.jupiter.api.Test;

/** Originate towards a SIP side that cannot send the INVITE. */
class OriginatorTest {

    private static final Dialplan DIALPLAN = DialplanParser.parse("[agent-hold]\nexten => s,1,NoOp()\n", "test");

    @Test
    void anOriginateWhoseInviteCannotBeSentFailsAndLeavesNoChannel() {
        PbxSipEndpoint sip = mock(PbxSipEndpoint.class);
        when(sip.contactOf("agent1001")).thenReturn(Optional.of("sip:agent1001@127.0.0.1:5999"));
        when(sip.dial(anyString(), anyString(), any(), any())).thenThrow(new IllegalStateException("endpoint is closed"));
        PbxCore core = new PbxCore(SimPbxConfig.builder().amiUser("cti", "secret").dialplan(DIALPLAN)
                .endpoint(SimEndpoint.agent("1001", "Agent 1001", null, null)).build(), DIALPLAN, sip);
        List<AmiMessage> stream = new CopyOnWriteArrayList<>();
        core.eventSinks.add(stream::add);
        AmiActionHandler.Reply reply = new AmiActionHandler.Reply() {
            @Override
            public void send(List<AmiMessage> messages) {
                stream.addAll(messages);
            }

            @Override
            public void fail(Throwable error) {
                throw new AssertionError("the action failed", error);
            }
        };

        Originator.originate(core, AmiMessage.builder().add("Action", "Originate").add("Channel", "PJSIP/agent1001")
                .add("Context", "agent-hold").add("Exten", "s").add("Priority", "1").add("Async", "true")
                .add("ActionID", "o1").build(), reply);

        await().atMost(Duration.ofSeconds(5)).until(() -> stream.stream()
                .anyMatch(m -> m.getOrEmpty("Event").equals("Hangup")));
        AmiMessage response = stream.stream().filter(m -> m.getOrEmpty("Event").equals("OriginateResponse"))
                .findFirst().orElseThrow();
        assertThat(response.getOrEmpty("Response")).isEqualTo("Failure");
        assertThat(response.getOrEmpty("Reason")).isEqualTo("0");
        AmiMessage hangup = stream.stream().filter(m -> m.getOrEmpty("Event").equals("Hangup")).findFirst()
                .orElseThrow();
        assertThat(hangup.getOrEmpty("Cause")).isEqualTo("20");
        assertThat(core.channelCount()).isZero();
    }
}
