package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;
import org.hotlinecti.sim.sip.InboundLeg;
import org.hotlinecti.sim.sip.PbxSipEndpoint;
import org.junit.jupiter.api.Test;

/** Applications on a channel whose SIP leg is scripted. */
class ApplicationsTest {

    private static final Dialplan DIALPLAN = DialplanParser.parse("[from-trunk]\nexten => 100,1,NoOp()\n", "test");

    private final List<AmiMessage> events = new CopyOnWriteArrayList<>();
    private final PbxCore core = new PbxCore(SimPbxConfig.builder().amiUser("cti", "secret").dialplan(DIALPLAN)
            .build(), DIALPLAN, mock(PbxSipEndpoint.class));

    @Test
    void answerSendsThe200OkWithoutThePbxLockThenReportsNewstate() {
        core.eventSinks.add(events::add);
        InboundLeg in = mock(InboundLeg.class);
        AtomicBoolean lockedWhileSending = new AtomicBoolean(true);
        doAnswer(call -> {
            lockedWhileSending.set(core.lock.isLocked());
            assertThat(events).isEmpty();
            return null;
        }).when(in).answer();
        SimChannel[] holder = new SimChannel[1];
        core.locked(() -> {
            holder[0] = core.newChannel(core.config.trunk(), null, null);
            holder[0].inbound = in;
            holder[0].state = 4;
        });
        SimChannel c = holder[0];

        Applications.answer(c);
        Applications.answer(c);

        verify(in, times(1)).answer();
        assertThat(lockedWhileSending).isFalse();
        // and, as in trace 01, the trunk's device becomes INUSE right after
        assertThat(events).extracting(m -> m.getOrEmpty("Event")).containsExactly("Newstate", "DeviceStateChange");
        assertThat(events.get(0).getOrEmpty("ChannelStateDesc")).isEqualTo("Up");
        assertThat(events.get(1).getOrEmpty("State")).isEqualTo("INUSE");
    }
}
