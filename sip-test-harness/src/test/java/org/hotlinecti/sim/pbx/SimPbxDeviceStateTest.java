package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;
import org.hotlinecti.sim.sip.AgentPhone;
import org.hotlinecti.sim.sip.PhoneBehaviour;
import org.hotlinecti.sim.sip.SipPhoneStack;
import org.hotlinecti.sim.sip.TrunkCaller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sim's device states against trace 01 and 04 (DeviceStateChange after the Newstate/Hangup that caused it; none
 * for a 486 before ringing) and against Asterisk's registration rule (an endpoint that registers is UNAVAILABLE
 * without a contact), and its DeviceStateList answer as res_manager_devicestate lays it out.
 */
class SimPbxDeviceStateTest {

    private static final String DIALPLAN = """
            [from-trunk]
            exten => 200,1,Answer()
             same => n,Dial(PJSIP/agent1001,5,g)
             same => n,MusicOnHold(default)
            """;

    private SimPbx pbx;
    private SipPhoneStack phones;
    private RecordingAmiClient ami;

    @AfterEach
    void tearDown() throws Exception {
        if (ami != null) {
            ami.close();
        }
        if (phones != null) {
            phones.close();
        }
        if (pbx != null) {
            pbx.close();
        }
    }

    private void start() throws Exception {
        pbx = SimPbx.start(SimPbxConfig.builder().amiUser("cti", "secret")
                .dialplan(DialplanParser.parse(DIALPLAN, "test")).promptDuration(Duration.ofMillis(50)).build());
        phones = SipPhoneStack.start("device-test");
        ami = RecordingAmiClient.connect(pbx.amiPort());
        send("Action: Login", "Username: cti", "Secret: secret", "ActionID: login");
        await().until(() -> ami.messages().stream().anyMatch(m -> m.getOrEmpty("ActionID").equals("login")));
    }

    @Test
    void answeredCallGivesRingingInuseNotInuseEachAfterTheChannelEventThatCausedIt() throws Exception {
        start();
        AgentPhone agent = phones.newAgentPhone("agent1001", null, pbx.host(), pbx.sipPort());
        agent.setBehaviour(PhoneBehaviour.answerAfter(Duration.ofMillis(200)));
        pbx.defineEndpoint(SimEndpoint.agent("1001", "Agent 1001", null, agent.contactUri()));
        TrunkCaller caller = phones.newCaller("sipp", "sipp", pbx.host(), pbx.sipPort());
        caller.dial("200");
        await().until(() -> events("BridgeEnter").size() == 2);
        agent.hangup();
        await().until(() -> states("PJSIP/agent1001").contains("NOT_INUSE"));
        caller.hangup();
        await().until(() -> states("PJSIP/trunk").contains("NOT_INUSE"));

        assertThat(states("PJSIP/agent1001")).containsExactly("RINGING", "INUSE", "NOT_INUSE");
        assertThat(states("PJSIP/trunk")).containsExactly("INUSE", "NOT_INUSE");
        List<String> stream = summary();
        assertThat(stream.get(stream.indexOf("DeviceStateChange PJSIP/agent1001 RINGING") - 1))
                .isEqualTo("Newstate agent Ringing");
        assertThat(stream.get(stream.indexOf("DeviceStateChange PJSIP/agent1001 NOT_INUSE") - 1))
                .isEqualTo("Hangup agent");
        assertThat(stream.indexOf("DeviceStateChange PJSIP/agent1001 INUSE"))
                .isGreaterThan(stream.indexOf("Newstate agent Up"));
        AmiMessage change = events("DeviceStateChange").get(0);
        assertThat(change.getOrEmpty("Privilege")).isEqualTo("call,all");
        assertThat(change.getOrEmpty("Timestamp")).isNotEmpty();
    }

    @Test
    void busyBeforeRingingChangesNothing() throws Exception {
        start();
        AgentPhone agent = phones.newAgentPhone("agent1001", null, pbx.host(), pbx.sipPort());
        agent.setBehaviour(PhoneBehaviour.busy());
        pbx.defineEndpoint(SimEndpoint.agent("1001", "Agent 1001", null, agent.contactUri()));
        phones.newCaller("sipp", "sipp", pbx.host(), pbx.sipPort()).dial("200");
        await().until(() -> summary().contains("Hangup agent"));

        assertThat(states("PJSIP/agent1001")).isEmpty();
    }

    @Test
    void registeringPhoneIsUnavailableUntilRegisteredAndAgainAfterUnregistering() throws Exception {
        start();
        AgentPhone agent = phones.newAgentPhone("agent1002", "pw-1002-long", pbx.host(), pbx.sipPort());
        pbx.defineEndpoint(SimEndpoint.agent("1002", "Agent 1002", "pw-1002-long", null));
        assertThat(list()).contains("PJSIP/agent1002 UNAVAILABLE");

        agent.register().get(5, TimeUnit.SECONDS);
        await().until(() -> states("PJSIP/agent1002").contains("NOT_INUSE"));
        assertThat(list()).contains("PJSIP/agent1002 NOT_INUSE");
        agent.unregister().get(5, TimeUnit.SECONDS);
        await().until(() -> states("PJSIP/agent1002").size() == 2);

        assertThat(states("PJSIP/agent1002")).containsExactly("NOT_INUSE", "UNAVAILABLE");
    }

    @Test
    void deviceStateListAnswersLikeAsterisk() throws Exception {
        start();
        send("Action: DeviceStateList", "ActionID: d1");
        await().until(() -> ami.messages().stream().anyMatch(m -> m.getOrEmpty("Event")
                .equals("DeviceStateListComplete")));
        List<AmiMessage> answer = ami.messages().stream().filter(m -> m.getOrEmpty("ActionID").equals("d1")).toList();

        assertThat(answer.get(0).getOrEmpty("Response")).isEqualTo("Success");
        assertThat(answer.get(0).getOrEmpty("EventList")).isEqualTo("start");
        assertThat(answer.get(0).getOrEmpty("Message")).isEqualTo("Device State Changes will follow");
        AmiMessage item = answer.get(1);
        assertThat(item.getOrEmpty("Event")).isEqualTo("DeviceStateChange");
        assertThat(item.get("Privilege")).isEmpty();
        assertThat(item.getOrEmpty("Device")).isEqualTo("PJSIP/trunk");
        assertThat(item.getOrEmpty("State")).isEqualTo("NOT_INUSE");
        AmiMessage complete = answer.get(answer.size() - 1);
        assertThat(complete.getOrEmpty("Event")).isEqualTo("DeviceStateListComplete");
        assertThat(complete.getOrEmpty("EventList")).isEqualTo("Complete");
        assertThat(complete.getOrEmpty("ListItems")).isEqualTo(String.valueOf(answer.size() - 2));
    }

    private List<String> list() throws IOException {
        String id = "list-" + System.nanoTime();
        send("Action: DeviceStateList", "ActionID: " + id);
        await().until(() -> ami.messages().stream().anyMatch(m -> m.getOrEmpty("ActionID").equals(id)
                && m.getOrEmpty("Event").equals("DeviceStateListComplete")));
        return ami.messages().stream().filter(m -> m.getOrEmpty("ActionID").equals(id)
                && m.getOrEmpty("Event").equals("DeviceStateChange"))
                .map(m -> m.getOrEmpty("Device") + " " + m.getOrEmpty("State")).toList();
    }

    private List<AmiMessage> events(String name) {
        return ami.messages().stream().filter(m -> m.getOrEmpty("Event").equals(name)
                && m.get("ActionID").isEmpty()).toList();
    }

    private List<String> states(String device) {
        return events("DeviceStateChange").stream().filter(m -> m.getOrEmpty("Device").equals(device))
                .map(m -> m.getOrEmpty("State")).toList();
    }

    /** Channel events as "Event role [state]" and device changes as "DeviceStateChange device state". */
    private List<String> summary() {
        return ami.messages().stream().filter(m -> !m.getOrEmpty("Event").isEmpty()).map(m -> {
            String event = m.getOrEmpty("Event");
            if (event.equals("DeviceStateChange")) {
                return event + " " + m.getOrEmpty("Device") + " " + m.getOrEmpty("State");
            }
            String channel = m.getOrEmpty("Channel");
            String role = channel.startsWith("PJSIP/agent") ? "agent" : channel.startsWith("PJSIP/trunk") ? "caller"
                    : channel;
            return event.equals("Newstate") ? event + " " + role + " " + m.getOrEmpty("ChannelStateDesc")
                    : event + " " + role;
        }).toList();
    }

    private void send(String... lines) throws IOException {
        AmiMessage.Builder b = AmiMessage.builder();
        for (String line : lines) {
            int colon = line.indexOf(": ");
            b.add(line.substring(0, colon), line.substring(colon + 2));
        }
        ami.send(b.build());
    }
}
