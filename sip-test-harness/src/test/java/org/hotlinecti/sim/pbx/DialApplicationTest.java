package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;
import org.hotlinecti.sim.sip.CallerId;
import org.hotlinecti.sim.sip.OutboundLeg;
import org.hotlinecti.sim.sip.OutboundLegListener;
import org.hotlinecti.sim.sip.PbxSipEndpoint;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * Dial() on a channel whose SIP side is scripted: what happens when the INVITE cannot be sent, and what a caller
 * without a number presents. Runs the application on the test thread; every event is recorded.
 */
class DialApplicationTest {

    private static final Dialplan DIALPLAN = DialplanParser.parse("[from-trunk]\nexten => 100,1,NoOp()\n", "test");

    private final PbxSipEndpoint sip = mock(PbxSipEndpoint.class);
    private final List<AmiMessage> events = new CopyOnWriteArrayList<>();
    private final PbxCore core = new PbxCore(SimPbxConfig.builder().amiUser("cti", "secret").dialplan(DIALPLAN)
            .endpoint(SimEndpoint.agent("1001", "Agent 1001", null, null)).build(), DIALPLAN, sip);

    DialApplicationTest() {
        core.eventSinks.add(events::add);
        when(sip.contactOf("agent1001")).thenReturn(Optional.of("sip:agent1001@127.0.0.1:5999"));
    }

    private SimChannel caller(String number) {
        SimChannel[] holder = new SimChannel[1];
        core.locked(() -> {
            SimChannel c = core.newChannel(core.config.trunk(), null, null);
            c.hasRunner = true;
            c.callerIdNum = number;
            c.callerIdName = number;
            c.context = "from-trunk";
            c.exten = "100";
            holder[0] = c;
        });
        return holder[0];
    }

    private List<String> eventNames() {
        return events.stream().map(m -> m.getOrEmpty("Event")).toList();
    }

    @Test
    void anInviteThatCannotBeSentEndsTheLegAsUnavailableAndTheCallerGoesOn() {
        when(sip.dial(eq("agent1001"), anyString(), any(), any()))
                .thenThrow(new IllegalStateException("endpoint is closed"));
        SimChannel caller = caller("13800001111");

        Applications.Flow flow = DialApplication.run(caller, "PJSIP/agent1001,5");

        assertThat(flow).isInstanceOf(Applications.Flow.Next.class);
        assertThat(eventNames()).containsSubsequence("Newchannel", "DialBegin", "DialEnd", "Hangup");
        AmiMessage dialEnd = events.stream().filter(m -> m.getOrEmpty("Event").equals("DialEnd")).findFirst()
                .orElseThrow();
        assertThat(dialEnd.getOrEmpty("DialStatus")).isEqualTo("CHANUNAVAIL");
        AmiMessage hangup = events.stream().filter(m -> m.getOrEmpty("Event").equals("Hangup")).findFirst()
                .orElseThrow();
        assertThat(hangup.getOrEmpty("Channel")).startsWith("PJSIP/agent1001-");
        assertThat(hangup.getOrEmpty("Cause")).isEqualTo("20");
        assertThat(core.channelCount()).isEqualTo(1);
        assertThat(caller.getVariable("DIALSTATUS")).contains("CHANUNAVAIL");
    }

    @Test
    void aNumberDialledOverTheTrunkRingsTheFarEndTheNetworkPutsBehindIt() {
        core.defineOutsideNumber("trunk", "120", "sip:120@127.0.0.1:6000");
        when(sip.dial(eq("120"), eq("sip:120@127.0.0.1:6000"), any(), any())).thenAnswer(call -> {
            call.getArgument(3, OutboundLegListener.class).onRejected(486);
            return mock(OutboundLeg.class);
        });
        SimChannel caller = caller("13800001111");

        DialApplication.run(caller, "PJSIP/120@trunk,20");

        AmiMessage begin = events.stream().filter(m -> m.getOrEmpty("Event").equals("DialBegin")).findFirst()
                .orElseThrow();
        assertThat(begin.getOrEmpty("DestChannel")).startsWith("PJSIP/trunk-");
        assertThat(begin.getOrEmpty("DestLinkedid")).isEqualTo(caller.linkedId);
        assertThat(caller.getVariable("DIALSTATUS")).contains("BUSY");
    }

    @Test
    void aNumberNobodyAnswersOnATrunkWithoutContactIsUnavailableWithoutDialEvents() {
        SimChannel caller = caller("13800001111");

        DialApplication.run(caller, "PJSIP/88009999@trunk,20");

        assertThat(eventNames()).doesNotContain("DialBegin", "DialEnd");
        assertThat(caller.getVariable("DIALSTATUS")).contains("CHANUNAVAIL");
    }

    @Test
    void aNumberOverATrunkWithAContactGoesToThatContactWithTheNumberAsUser() {
        when(sip.contactOf("trunk")).thenReturn(Optional.of("sip:carrier@10.0.0.1:5060"));
        when(sip.dial(eq("110"), eq("sip:110@10.0.0.1:5060"), any(), any())).thenAnswer(call -> {
            call.getArgument(3, OutboundLegListener.class).onRejected(603);
            return mock(OutboundLeg.class);
        });
        SimChannel caller = caller("13800001111");

        DialApplication.run(caller, "PJSIP/110@trunk,20");

        assertThat(caller.getVariable("DIALSTATUS")).contains("BUSY");
    }

    @Test
    void aCallerWithoutANumberIsPresentedAsAnonymous() {
        ArgumentCaptor<CallerId> presented = ArgumentCaptor.forClass(CallerId.class);
        when(sip.dial(eq("agent1001"), anyString(), presented.capture(), any())).thenAnswer(call -> {
            // the phone is busy at once
            call.getArgument(3, OutboundLegListener.class).onRejected(486);
            return mock(OutboundLeg.class);
        });
        SimChannel caller = caller("");

        DialApplication.run(caller, "PJSIP/agent1001,5");

        assertThat(presented.getValue().number()).isEqualTo("anonymous");
        assertThat(caller.getVariable("DIALSTATUS")).contains("BUSY");
        assertThat(core.channelCount()).isEqualTo(1);
    }
}
