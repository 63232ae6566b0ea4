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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.hotlinecti.sim.pbx.ami.AmiActionHandler;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.ami.AmiReplies;
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

    /** An AMI reply captured in-process, for actions the tests run from inside the event stream. */
    private static final class CapturedReply implements AmiActionHandler.Reply {
        final List<AmiMessage> messages = new CopyOnWriteArrayList<>();

        @Override
        public void send(List<AmiMessage> answer) {
            messages.addAll(answer);
        }

        @Override
        public void fail(Throwable error) {
            messages.add(AmiReplies.error(String.valueOf(error.getMessage())));
        }
    }

    private static AmiMessage action(String... lines) {
        AmiMessage.Builder b = AmiMessage.builder();
        for (String line : lines) {
            int colon = line.indexOf(": ");
            b.add(line.substring(0, colon), line.substring(colon + 2));
        }
        return b.build();
    }

    @Test
    void anAmiHangupRightAfterTheCallersNewchannelHangsTheCallerUp() throws Exception {
        start(CAUSE_DIALPLAN);
        PbxActions actions = new PbxActions(pbx.core());
        CapturedReply reply = new CapturedReply();
        List<AmiMessage> events = new CopyOnWriteArrayList<>();
        pbx.addEventListener(m -> {
            events.add(m);
            // the earliest moment an AMI client can act on the channel: still inside the Newchannel's publication
            if (m.getOrEmpty("Event").equals("Newchannel") && m.getOrEmpty("Channel").startsWith("PJSIP/trunk-")) {
                actions.handle(action("Action: Hangup", "Channel: " + m.getOrEmpty("Channel"), "Cause: 21"), reply);
            }
        });
        dial("100");

        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                .anyMatch(m -> m.getOrEmpty("Event").equals("Hangup")));
        assertThat(reply.messages).extracting(m -> m.getOrEmpty("Message")).containsExactly("Channel Hungup");
        AmiMessage hangup = events.stream().filter(m -> m.getOrEmpty("Event").equals("Hangup")).findFirst()
                .orElseThrow();
        assertThat(hangup.getOrEmpty("Cause")).isEqualTo("21");
        assertThat(events).noneMatch(m -> m.getOrEmpty("Event").equals("MusicOnHoldStart"));
        await().atMost(Duration.ofSeconds(5)).until(() -> pbx.activeChannels() == 0);
    }

    @Test
    void anAmiBridgeRightAfterASuccessfulOriginateResponseBridgesTheNewLeg() throws Exception {
        start("""
                [from-trunk]
                exten => 100,1,Answer()
                 same => n,MusicOnHold(default)
                [agent-hold]
                exten => s,1,Answer()
                 same => n,MusicOnHold(default)
                """);
        agent1001(PhoneBehaviour.answerAfter(Duration.ZERO));
        dial("100");
        awaitEvent("MusicOnHoldStart", "caller");
        String caller = roles.channelOf("caller");
        PbxActions actions = new PbxActions(pbx.core());
        CapturedReply reply = new CapturedReply();
        pbx.addEventListener(m -> {
            // the earliest moment the CTI can bridge the leg it originated
            if (m.getOrEmpty("Event").equals("OriginateResponse") && m.getOrEmpty("Response").equals("Success")) {
                actions.handle(action("Action: Bridge", "Channel1: " + caller,
                        "Channel2: " + m.getOrEmpty("Channel")), reply);
            }
        });
        send("Action: Originate", "Channel: PJSIP/agent1001", "Context: agent-hold", "Exten: s", "Priority: 1",
                "Async: true", "ActionID: o1");

        await().atMost(Duration.ofSeconds(5)).until(() -> !reply.messages.isEmpty());
        assertThat(reply.messages.get(0).getOrEmpty("Message")).isEqualTo("Channels have been bridged");
        awaitEvent("BridgeEnter", "caller");
        awaitEvent("BridgeEnter", "agent1");
        // in the bridge, the agent's leg does not start its own dialplan (no music on hold for it)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> ami.messages().stream()
                .noneMatch(event("MusicOnHoldStart", "agent1")));
    }

    @Test
    void anAmiHangupOfARingingAgentLegEndsTheDialWithItsCauseAndTheCallerGoesOn() throws Exception {
        start(CAUSE_DIALPLAN);
        agent1001(PhoneBehaviour.noAnswer());
        dial("200");
        awaitIndex(m -> m.getOrEmpty("Event").equals("DialState")
                && "agent1".equals(roles.roleOfChannel(m.getOrEmpty("DestChannel"))), 1, "agent1 ringing");
        send("Action: Hangup", "Channel: " + roles.channelOf("agent1"), "Cause: 17", "ActionID: h1");

        int dialEnd = awaitIndex(m -> m.getOrEmpty("Event").equals("DialEnd")
                && "agent1".equals(roles.roleOfChannel(m.getOrEmpty("DestChannel"))), 1, "DialEnd of agent1");
        assertThat(ami.messages().get(dialEnd).getOrEmpty("DialStatus")).isEqualTo("BUSY");
        AmiMessage agentHangup = awaitEvent("Hangup", "agent1");
        assertThat(agentHangup.getOrEmpty("Cause")).isEqualTo("17");
        // the caller continues its dialplan at once (the Dial's own timeout is 5 s)
        int onHold = awaitIndex(event("MusicOnHoldStart", "caller"), 1, "caller on hold after the Dial");
        assertThat(onHold).isGreaterThan(dialEnd);
        send("Action: Getvar", "Channel: " + roles.channelOf("caller"), "Variable: DIALSTATUS", "ActionID: g1");
        int getvar = awaitResponse("g1");
        assertThat(ami.messages().get(getvar).getOrEmpty("Value")).isEqualTo("BUSY");
        assertThat(pbx.activeChannels()).isEqualTo(1);
    }

    private static Set<Thread> channelThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("pbx-PJSIP/"))
                .collect(Collectors.toSet());
    }

    @Test
    void closingThePbxHangsUpACallerOnHoldAndEndsItsThread() throws Exception {
        Set<Thread> before = channelThreads();
        start(CAUSE_DIALPLAN);
        List<AmiMessage> events = new CopyOnWriteArrayList<>();
        pbx.addEventListener(events::add);
        dial("100");
        awaitEvent("MusicOnHoldStart", "caller");
        Set<Thread> ours = channelThreads();
        ours.removeAll(before);
        assertThat(ours).isNotEmpty();

        pbx.close();

        assertThat(events).anyMatch(m -> m.getOrEmpty("Event").equals("Hangup")
                && m.getOrEmpty("Channel").startsWith("PJSIP/trunk-") && m.getOrEmpty("Cause").equals("16"));
        assertThat(pbx.activeChannels()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> ours.stream().noneMatch(Thread::isAlive));
    }

    @Test
    void coreStatusAnswersWhileAChannelHoldsThePbxLock() throws Exception {
        start(CAUSE_DIALPLAN);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pbx.addEventListener(m -> {
            if (m.getOrEmpty("Event").equals("MusicOnHoldStart")) {
                // published with the PBX lock held: keep it for a while
                holding.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        dial("100");
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            send("Action: CoreStatus", "ActionID: cs");
            int status = awaitResponse("cs");
            assertThat(ami.messages().get(status).getOrEmpty("CoreCurrentCalls")).isEqualTo("1");
        } finally {
            release.countDown();
        }
    }
}
