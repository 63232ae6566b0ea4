package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;
import org.hotlinecti.sim.sip.AgentPhone;
import org.hotlinecti.sim.sip.PhoneBehaviour;
import org.hotlinecti.sim.sip.SipPhoneStack;
import org.hotlinecti.sim.sip.TrunkCaller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Focused checks of the sim PBX core's rules from the traces' README ("Facts a stand-in must honour"), each on a
 * dialplan made for the rule: a Redirect inside AGI waits for the FastAGI server to close; the caller's hang-up cause
 * depends on its history; responses come before the events their action causes.
 */
class SimPbxCoreTest {

    private SimPbx pbx;
    private SipPhoneStack phones;
    private RecordingAmiClient ami;
    private final ChannelRoles roles = new ChannelRoles();
    private final List<AutoCloseable> closeables = new ArrayList<>();

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
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private void start(String dialplan) throws Exception {
        pbx = SimPbx.start(SimPbxConfig.builder().amiUser("cti", "secret")
                .dialplan(DialplanParser.parse(dialplan, "test")).promptDuration(Duration.ofMillis(50)).build());
        phones = SipPhoneStack.start("core-test");
        ami = RecordingAmiClient.connect(pbx.amiPort());
        ami.addListener(roles::learn);
        send("Action: Login", "Username: cti", "Secret: secret", "ActionID: login");
        awaitResponse("login");
    }

    private AgentPhone agent1001(PhoneBehaviour behaviour) {
        AgentPhone phone = phones.newAgentPhone("agent1001", null, pbx.host(), pbx.sipPort());
        phone.setBehaviour(behaviour);
        pbx.defineEndpoint(SimEndpoint.agent("1001", "Agent 1001", null, phone.contactUri()));
        return phone;
    }

    private TrunkCaller dial(String number) {
        TrunkCaller caller = phones.newCaller("sipp", "sipp", pbx.host(), pbx.sipPort());
        caller.dial(number);
        return caller;
    }

    private void send(String... lines) throws IOException {
        AmiMessage.Builder b = AmiMessage.builder();
        for (String line : lines) {
            int colon = line.indexOf(": ");
            b.add(line.substring(0, colon), line.substring(colon + 2));
        }
        ami.send(b.build());
    }

    private int awaitIndex(Predicate<AmiMessage> p, int nth, String what) {
        int[] found = new int[1];
        await().alias(what).atMost(Duration.ofSeconds(10)).until(() -> {
            List<AmiMessage> all = ami.messages();
            int seen = 0;
            for (int i = 0; i < all.size(); i++) {
                if (p.test(all.get(i)) && ++seen == nth) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private int awaitResponse(String actionId) {
        return awaitIndex(m -> m.getOrEmpty("Event").isEmpty() && m.getOrEmpty("ActionID").equals(actionId), 1,
                "response " + actionId);
    }

    private static Predicate<AmiMessage> event(String name) {
        return m -> m.getOrEmpty("Event").equals(name);
    }

    private Predicate<AmiMessage> event(String name, String role) {
        return m -> m.getOrEmpty("Event").equals(name) && role.equals(roles.roleOfChannel(m.getOrEmpty("Channel")));
    }

    private AmiMessage awaitEvent(String name, String role) {
        int index = awaitIndex(event(name, role), 1, name + " of " + role);
        return ami.messages().get(index);
    }

    @Test
    void redirectInsideAgiMovesTheChannelOnlyOnceTheFastAgiServerClosesTheSocket() throws Exception {
        ServerSocket agiServer = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        closeables.add(agiServer);
        start("""
                [from-trunk]
                exten => _X.,1,Answer()
                 same => n,AGI(agi://127.0.0.1:%d/inbound)
                 same => n,Goto(waiting,s,1)
                [waiting]
                exten => s,1,MusicOnHold(default)
                [moved]
                exten => s,1,MusicOnHold(default)
                """.formatted(agiServer.getLocalPort()));
        dial("12345");
        agiServer.setSoTimeout(5000);
        try (Socket agi = agiServer.accept()) {
            agi.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(agi.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = agi.getOutputStream();
            while (!in.readLine().isEmpty()) {
                // agi_* header
            }
            out.write("GET DATA silence/1 5000 1\n".getBytes(StandardCharsets.UTF_8));
            awaitIndex(m -> m.getOrEmpty("Event").equals("AGIExecStart")
                    && m.getOrEmpty("Command").startsWith("GET DATA"), 1, "GET DATA running");
            String channel = roles.channelOf("caller");
            send("Action: Redirect", "Channel: " + channel, "Context: moved", "Exten: s", "Priority: 1",
                    "ActionID: r1");
            int response = awaitResponse("r1");
            assertThat(ami.messages().get(response).getOrEmpty("Message")).isEqualTo("Redirect successful");

            // to the AGI the redirect looks like a hang-up
            assertThat(in.readLine()).isEqualTo("200 result=-1");
            out.write("VERBOSE \"still here\" 1\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HANGUP");
            assertThat(in.readLine()).isEqualTo("200 result=1");
            out.write("STREAM FILE beep \"\"\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("511 ");

            // while the server keeps the session, the channel stays where it is
            await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(1))
                    .until(() -> ami.messages().stream().noneMatch(m -> m.getOrEmpty("Event").equals("Newexten")
                            && m.getOrEmpty("Context").equals("moved")));
        }
        int moved = awaitIndex(m -> m.getOrEmpty("Event").equals("Newexten")
                && m.getOrEmpty("Context").equals("moved"), 1, "Newexten in moved");
        List<AmiMessage> stream = ami.messages();
        int lastAgi = 0;
        for (int i = 0; i < stream.size(); i++) {
            if (stream.get(i).getOrEmpty("Event").equals("AGIExecEnd")) {
                lastAgi = i;
            }
        }
        assertThat(moved).isGreaterThan(lastAgi);
        // straight to the redirect target: the dialplan's next priority (Goto) never runs, no hang-up is reported
        assertThat(stream).noneMatch(m -> m.getOrEmpty("Application").equals("Goto"));
        assertThat(stream).noneMatch(m -> m.getOrEmpty("Event").endsWith("HangupRequest"));
        assertThat(stream.get(moved).getOrEmpty("Application")).isEqualTo("MusicOnHold");
    }

    private static final String CAUSE_DIALPLAN = """
            [from-trunk]
            exten => 100,1,Answer()
             same => n,MusicOnHold(default)
            exten => 200,1,Answer()
             same => n,Dial(PJSIP/agent1001,5,g)
             same => n,MusicOnHold(default)
            """;

    /** The caller hangs up on music on hold; returns its HangupRequest, SoftHangupRequest and Hangup. */
    private List<AmiMessage> callerHangsUpOnHold(TrunkCaller caller, int musicOnHoldStarts) {
        awaitIndex(event("MusicOnHoldStart", "caller"), musicOnHoldStarts, "caller on hold");
        caller.hangup();
        return List.of(awaitEvent("HangupRequest", "caller"), awaitEvent("SoftHangupRequest", "caller"),
                awaitEvent("Hangup", "caller"));
    }

    @Test
    void aCallerThatNeverDialledHangsUpWithCauseZero() throws Exception {
        start(CAUSE_DIALPLAN);
        List<AmiMessage> events = callerHangsUpOnHold(dial("100"), 1);

        assertThat(events.get(0).get("Cause")).isEmpty();
        assertThat(events.get(1).getOrEmpty("Cause")).isEqualTo("16");
        assertThat(events.get(2).getOrEmpty("Cause")).isEqualTo("0");
        assertThat(events.get(2).getOrEmpty("Cause-txt")).isEqualTo("Unknown");
        assertThat(events).allMatch(m -> m.get("TechCause").isEmpty());
    }

    @Test
    void aCallerWhoseDialGotBusyKeepsCause17AndTheSipStatusForItsOwnHangup() throws Exception {
        start(CAUSE_DIALPLAN);
        agent1001(PhoneBehaviour.busy());
        List<AmiMessage> events = callerHangsUpOnHold(dial("200"), 1);

        assertThat(events).extracting(m -> m.getOrEmpty("Cause")).containsExactly("17", "16", "17");
        assertThat(events.get(2).getOrEmpty("Cause-txt")).isEqualTo("User busy");
        assertThat(events).extracting(m -> m.getOrEmpty("TechCause")).containsOnly("486");
        AmiMessage agentHangup = awaitEvent("Hangup", "agent1");
        assertThat(agentHangup.getOrEmpty("Cause")).isEqualTo("17");
        assertThat(agentHangup.getOrEmpty("TechCause")).isEqualTo("486");
    }

    @Test
    void aCallerWhoTalkedToAnAgentHangsUpWithCause16() throws Exception {
        start(CAUSE_DIALPLAN);
        AgentPhone agent = agent1001(PhoneBehaviour.answerAfter(Duration.ZERO));
        TrunkCaller caller = dial("200");
        awaitEvent("BridgeEnter", "caller");
        agent.hangup();
        List<AmiMessage> events = callerHangsUpOnHold(caller, 1);

        assertThat(events).extracting(m -> m.getOrEmpty("Cause")).containsExactly("16", "16", "16");
        assertThat(events.get(2).getOrEmpty("Cause-txt")).isEqualTo("Normal Clearing");
        assertThat(events).allMatch(m -> m.get("TechCause").isEmpty());
    }

    @Test
    void everyRedirectResponseComesBeforeTheMusicOnHoldStopItCauses() throws Exception {
        start("""
                [from-trunk]
                exten => 100,1,Answer()
                 same => n,MusicOnHold(default)
                [a]
                exten => s,1,MusicOnHold(default)
                [b]
                exten => s,1,MusicOnHold(default)
                """);
        dial("100");
        for (int n = 1; n <= 10; n++) {
            awaitIndex(event("MusicOnHoldStart", "caller"), n, "MusicOnHoldStart #" + n);
            send("Action: Redirect", "Channel: " + roles.channelOf("caller"), "Context: " + (n % 2 == 0 ? "a" : "b"),
                    "Exten: s", "Priority: 1", "ActionID: r" + n);
            int response = awaitResponse("r" + n);
            int stop = awaitIndex(event("MusicOnHoldStop", "caller"), n, "MusicOnHoldStop #" + n);
            assertThat(response).as("response to redirect %d before its MusicOnHoldStop", n).isLessThan(stop);
        }
    }

    @Test
    void everyAsyncOriginateResponseComesBeforeTheNewchannelOfItsLeg() throws Exception {
        start("""
                [agent-hold]
                exten => s,1,Answer()
                 same => n,MusicOnHold(default)
                """);
        // a contact that never answers: the legs only ring until their Timeout
        DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        closeables.add(blackHole);
        pbx.defineEndpoint(SimEndpoint.agent("1001", "Agent 1001", null,
                "sip:agent1001@127.0.0.1:" + blackHole.getLocalPort()));
        for (int n = 1; n <= 10; n++) {
            send("Action: Originate", "Channel: PJSIP/agent1001", "Context: agent-hold", "Exten: s", "Priority: 1",
                    "Timeout: 200", "Async: true", "ChannelId: leg-" + n, "ActionID: o" + n);
            int response = awaitResponse("o" + n);
            String id = "leg-" + n;
            int newchannel = awaitIndex(m -> m.getOrEmpty("Event").equals("Newchannel")
                    && m.getOrEmpty("Uniqueid").equals(id), 1, "Newchannel " + id);
            assertThat(response).as("response to originate %d before its Newchannel", n).isLessThan(newchannel);
        }
        // each leg gives up at its Timeout: OriginateResponse Failure, Reason 3, then Hangup 19 (trace 10)
        awaitIndex(event("OriginateResponse"), 10, "10 OriginateResponses");
        await().atMost(5, TimeUnit.SECONDS).until(() -> pbx.activeChannels() == 0);
        assertThat(ami.messages().stream().filter(event("OriginateResponse")))
                .allMatch(m -> m.getOrEmpty("Response").equals("Failure") && m.getOrEmpty("Reason").equals("3"));
        assertThat(ami.messages().stream().filter(event("Hangup")))
                .hasSize(10).allMatch(m -> m.getOrEmpty("Cause").equals("19")
                        && m.getOrEmpty("TechCause").equals("480"));
    }
}
