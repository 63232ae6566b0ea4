package org.hotlinecti.sim.pbx;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinecti.sim.pbx.AmiStreamComparison.Expectations;
import org.hotlinecti.sim.pbx.AmiStreamComparison.Item;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;
import org.hotlinecti.sim.sip.AgentPhone;
import org.hotlinecti.sim.sip.SipPhoneStack;
import org.hotlinecti.sim.sip.TrunkCaller;

/**
 * The set-up of the trace captures, rebuilt around the sim PBX: the traces' own dialplan (AGI pointed at a
 * {@link ReplayingFastAgiServer}), endpoints {@code agent1001} (static contact) and {@code agent1002} (registers)
 * with callerid {@code "Agent 100x" <100x>}, a trunk caller {@code sipp}, and one {@link RecordingAmiClient} logged
 * in as the capture tool was. The test plays the flow's steps through it, then {@link #assertFaithful} compares.
 */
final class FidelityRig implements AutoCloseable {

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(15);

    final TracedFlow flow;
    final ReplayingFastAgiServer agi;
    final SimPbx pbx;
    final SipPhoneStack phones;
    final AgentPhone agent1001;
    final AgentPhone agent1002;
    final RecordingAmiClient ami;
    private final ChannelRoles simRoles = new ChannelRoles();
    private final ChannelRoles traceRoles = new ChannelRoles();
    private final Queue<Runnable> onGetData = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> onRecord = new ConcurrentLinkedQueue<>();
    private final ExecutorService reactions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fidelity-reactions");
        t.setDaemon(true);
        return t;
    });
    private final List<Throwable> reactionErrors = new CopyOnWriteArrayList<>();
    private final DatagramSocket blackHole;
    private volatile TrunkCaller caller;

    /** How the rig differs from the capture set-up, when a flow needs it. */
    record Options(UnaryOperator<String> dialplanEdit, boolean agent1001Unreachable) {
        static Options asTraced() {
            return new Options(UnaryOperator.identity(), false);
        }

        Options editingDialplan(UnaryOperator<String> edit) {
            return new Options(edit, agent1001Unreachable);
        }

        Options withAgent1001Unreachable() {
            return new Options(dialplanEdit, true);
        }
    }

    FidelityRig(TracedFlow flow, Options options) throws Exception {
        this.flow = flow;
        for (AmiMessage m : flow.ami()) {
            traceRoles.learn(m);
        }
        ReplayingFastAgiServer agiServer = null;
        SimPbx simPbx = null;
        SipPhoneStack stack = null;
        DatagramSocket hole = null;
        RecordingAmiClient client = null;
        try {
            agiServer = new ReplayingFastAgiServer(flow.agiSessions());
            String dialplan = options.dialplanEdit().apply(TracedFlow.dialplanText()
                    .replace("127.0.0.1:4573", "127.0.0.1:" + agiServer.port()));
            simPbx = SimPbx.start(SimPbxConfig.builder()
                    .amiUser("cti", "cti-secret")
                    .dialplan(DialplanParser.parse(dialplan, "asterisk-traces/config/extensions.conf"))
                    .build());
            simPbx.addMediaObserver(new MediaObserver() {
                @Override
                public void digitsRequested(String sipCallId) {
                    TrunkCaller c = caller;
                    Runnable next = c != null && sipCallId.equals(c.callId()) ? onGetData.poll() : null;
                    if (next != null) {
                        react(next);
                    }
                }

                @Override
                public void promptStarted(String sipCallId, String file, String escapeDigits) {
                    TrunkCaller c = caller;
                    boolean recording = file.startsWith("record:");
                    Runnable next = recording && c != null && sipCallId.equals(c.callId()) ? onRecord.poll() : null;
                    if (next != null) {
                        react(next);
                    }
                }
            });
            stack = SipPhoneStack.start("fidelity-" + flow.folder());
            AgentPhone a1 = stack.newAgentPhone("agent1001", null, simPbx.host(), simPbx.sipPort());
            AgentPhone a2 = stack.newAgentPhone("agent1002", "agent1002-pw", simPbx.host(), simPbx.sipPort());
            String contact1001 = a1.contactUri();
            if (options.agent1001Unreachable()) {
                // a UDP port that takes INVITEs and never answers, like the trace's port 5071 with no SIPp on it
                hole = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
                contact1001 = "sip:agent1001@127.0.0.1:" + hole.getLocalPort();
            }
            simPbx.defineEndpoint(SimEndpoint.agent("1001", "Agent 1001", null, contact1001));
            simPbx.defineEndpoint(SimEndpoint.agent("1002", "Agent 1002", "agent1002-pw", null));
            a2.register().get(5, TimeUnit.SECONDS);

            client = RecordingAmiClient.connect(simPbx.amiPort());
            client.addListener(simRoles::learn);
            this.agi = agiServer;
            this.pbx = simPbx;
            this.phones = stack;
            this.agent1001 = a1;
            this.agent1002 = a2;
            this.blackHole = hole;
            this.ami = client;
        } catch (Exception | Error e) {
            closeAll(client, stack, simPbx, agiServer, hole);
            throw e;
        }
        send("login");
        awaitResponse("login");
    }

    /** The trunk caller {@code sipp} dials {@code number}. */
    void dial(String number) {
        TrunkCaller c = phones.newCaller("sipp", "sipp", pbx.host(), pbx.sipPort());
        caller = c;
        c.dial(number);
    }

    TrunkCaller caller() {
        return caller;
    }

    /** What the caller does when the next GET DATA waits for its digits (one handler per GET DATA, in order). */
    void onGetData(Runnable reaction) {
        onGetData.add(reaction);
    }

    /** What the caller does when the next RECORD FILE starts recording it. */
    void onRecord(Runnable reaction) {
        onRecord.add(reaction);
    }

    /** Runs off the SIP/channel threads; failures fail the test at {@link #assertFaithful}. */
    void react(Runnable r) {
        reactions.execute(() -> {
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                reactionErrors.add(e);
            }
        });
    }

    /** Sends the trace's action with this ActionID, its channel names replaced by the sim's for the same role. */
    void send(String actionId) {
        AmiMessage traced = flow.action(actionId);
        AmiMessage.Builder b = AmiMessage.builder();
        for (Map.Entry<String, String> f : traced.fields()) {
            String v = f.getValue();
            for (Map.Entry<String, String> c : traceRoles.channelsByName().entrySet()) {
                if (v.contains(c.getKey())) {
                    v = v.replace(c.getKey(), simRoles.channelOf(c.getValue()));
                }
            }
            b.add(f.getKey(), v);
        }
        try {
            ami.send(b.build());
        } catch (IOException e) {
            throw new AssertionError("cannot send " + actionId, e);
        }
    }

    AmiMessage awaitResponse(String actionId) {
        return awaitMessage(m -> m.get("Response").isPresent() && m.getOrEmpty("Event").isEmpty()
                && m.getOrEmpty("ActionID").equals(actionId), 1, "response to " + actionId);
    }

    /** The {@code nth} (from 1) event of this name on the channel with this role. */
    AmiMessage awaitEvent(String event, String role, int nth) {
        return awaitMessage(m -> m.getOrEmpty("Event").equals(event)
                && role.equals(simRoles.roleOfChannel(m.getOrEmpty("Channel"))), nth, event + " #" + nth + " of "
                + role);
    }

    AmiMessage awaitEvent(String event, String role) {
        return awaitEvent(event, role, 1);
    }

    /** The first Newexten of {@code role} running {@code application}. */
    AmiMessage awaitApplication(String role, String application) {
        return awaitMessage(m -> m.getOrEmpty("Event").equals("Newexten")
                && role.equals(simRoles.roleOfChannel(m.getOrEmpty("Channel")))
                && m.getOrEmpty("Application").equals(application), 1, "Newexten " + application + " of " + role);
    }

    AmiMessage awaitMessage(Predicate<AmiMessage> p, int nth, String what) {
        AmiMessage[] found = new AmiMessage[1];
        await().alias(what + " in " + flow.folder()).atMost(STEP_TIMEOUT).until(() -> {
            int seen = 0;
            for (AmiMessage m : ami.messages()) {
                if (p.test(m) && ++seen == nth) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits until every channel is gone (Hangup for each Newchannel) and every FastAGI session has ended. */
    void awaitCallsOver() {
        await().alias("all channels hung up in " + flow.folder()).atMost(STEP_TIMEOUT).until(() -> {
            long created = ami.messages().stream().filter(m -> m.getOrEmpty("Event").equals("Newchannel")).count();
            long gone = ami.messages().stream().filter(m -> m.getOrEmpty("Event").equals("Hangup")).count();
            return created == gone && pbx.activeChannels() == 0 && agi.allSessionsEnded();
        });
    }

    /** Logs off as the capture tool did; the Goodbye is part of the compared stream. */
    void logoff() {
        send("logoff");
        awaitResponse("logoff");
    }

    /**
     * Compares the sim's AMI stream and FastAGI transcripts with the trace's.
     *
     * @return the tolerated reorderings that occurred, for the test's log
     */
    List<String> assertFaithful(Expectations expectations) {
        if (!reactionErrors.isEmpty()) {
            throw new AssertionError("a scripted reaction failed in " + flow.folder(), reactionErrors.get(0));
        }
        List<String> problems = new ArrayList<>();
        List<String> tolerated = new ArrayList<>();
        // the test's FastAGI server listens on its own port, not on the traced 4573
        Expectations e = expectations.rewritingSim(
                t -> t.replace("127.0.0.1:" + agi.port() + "/", "127.0.0.1:4573/"), "FastAGI port of the test");
        List<Item> trace = AmiStreamComparison.items(flow.ami(), e, false);
        List<Item> sim = AmiStreamComparison.items(ami.messages(), e, true);
        problems.addAll(AmiStreamComparison.compare(trace, sim, e, tolerated));
        problems.addAll(compareResponses());
        problems.addAll(compareAgi());
        problems.addAll(namingProblems("trace", flow.ami()));
        problems.addAll(namingProblems("sim", ami.messages()));
        if (!problems.isEmpty()) {
            throw new AssertionError("the sim PBX differs from " + flow.folder() + ":\n" + String.join("\n",
                    problems));
        }
        return tolerated;
    }

    private static final Pattern CHANNEL_NAME =
            Pattern.compile("PJSIP/[a-z0-9]+-([0-9a-f]{8})");
    private static final Pattern UNIQUEID = Pattern.compile("\\d+\\.(\\d+)");

    /**
     * What role normalization hides, checked on its own: channel names {@code PJSIP/<endpoint>-<8 hex digits>} with a
     * rising number, Uniqueids {@code <epoch>.<sequence>} with a rising sequence (two counters: in traces 07 and 10
     * they differ, {@code trunk-00000012} is {@code .20}), except for an originated leg whose Uniqueid is the
     * Originate's ChannelId; the Linkedid of a new channel is its own Uniqueid or that of an earlier channel.
     */
    private List<String> namingProblems(String side, List<AmiMessage> stream) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        long lastName = -1;
        long lastSequence = -1;
        for (AmiMessage m : stream) {
            if (!m.getOrEmpty("Event").equals("Newchannel")) {
                continue;
            }
            String channel = m.getOrEmpty("Channel");
            String uniqueId = m.getOrEmpty("Uniqueid");
            Matcher name = CHANNEL_NAME.matcher(channel);
            Matcher id = UNIQUEID.matcher(uniqueId);
            if (!name.matches() || Long.parseLong(name.group(1), 16) <= lastName) {
                problems.add(side + ": channel name " + channel + " is not PJSIP/<endpoint>-<8 hex digits, rising>");
            } else {
                lastName = Long.parseLong(name.group(1), 16);
            }
            if (id.matches()) {
                if (Long.parseLong(id.group(1)) <= lastSequence) {
                    problems.add(side + ": " + channel + " has Uniqueid " + uniqueId + ", sequence not rising");
                }
                lastSequence = Long.parseLong(id.group(1));
            } else if (flow.sentActions().stream()
                    .noneMatch(a -> a.getOrEmpty("ChannelId").equals(uniqueId))) {
                problems.add(side + ": " + channel + " has Uniqueid " + uniqueId + ", neither <epoch>.<seq> nor a "
                        + "ChannelId");
            }
            String linkedId = m.getOrEmpty("Linkedid");
            if (!linkedId.equals(uniqueId) && !ids.contains(linkedId)) {
                problems.add(side + ": " + channel + " has Linkedid " + linkedId + ", no earlier channel's Uniqueid");
            }
            ids.add(uniqueId);
        }
        return problems;
    }

    /** Each action's responses (and list events) against {@code actions.log}. */
    private List<String> compareResponses() {
        List<String> problems = new ArrayList<>();
        Map<String, List<AmiMessage>> traced = flow.responses();
        for (Map.Entry<String, List<AmiMessage>> e : traced.entrySet()) {
            List<String> want = e.getValue().stream().map(this::responseText).toList();
            List<String> got = ami.messages().stream()
                    .filter(m -> m.getOrEmpty("ActionID").equals(e.getKey())
                            && (m.getOrEmpty("Event").isEmpty() || m.get("EventList").isPresent()))
                    .map(this::responseText).toList();
            if (!want.equals(got)) {
                problems.add("response to " + e.getKey() + ": actions.log has\n" + want + "\n  sim gave\n" + got);
            }
        }
        return problems;
    }

    private String responseText(AmiMessage m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> f : m.fields()) {
            sb.append(f.getKey()).append(": ")
                    .append(f.getKey().equals("Timestamp") ? "*" : f.getValue()).append('|');
        }
        return sb.toString();
    }

    /** FastAGI: same number of sessions, same header (normalized), same exchange line for line. */
    private List<String> compareAgi() {
        List<String> problems = new ArrayList<>();
        List<AgiTranscript> want = flow.agiSessions();
        List<ReplayingFastAgiServer.Session> got = agi.sessions();
        if (want.size() != got.size()) {
            problems.add("FastAGI: the trace has " + want.size() + " sessions, the sim opened " + got.size());
            return problems;
        }
        for (int n = 0; n < want.size(); n++) {
            AgiTranscript w = want.get(n);
            AgiTranscript g = got.get(n).transcript();
            List<String> wh = agiHeader(w, traceRoles, "4573");
            List<String> gh = agiHeader(g, simRoles, String.valueOf(agi.port()));
            if (!wh.equals(gh)) {
                problems.add("FastAGI session " + (n + 1) + " header: trace\n  " + wh + "\n sim\n  " + gh);
            }
            List<String> we = w.exchange().stream().map(l -> agiLine(l, traceRoles)).toList();
            List<String> ge = g.exchange().stream().map(l -> agiLine(l, simRoles)).toList();
            if (!we.equals(ge)) {
                problems.add("FastAGI session " + (n + 1) + " exchange: trace\n  " + String.join("\n  ", we)
                        + "\n sim\n  " + String.join("\n  ", ge));
            }
        }
        return problems;
    }

    private static List<String> agiHeader(AgiTranscript t, ChannelRoles roles, String agiPort) {
        List<String> out = new ArrayList<>();
        t.header().forEach((k, v) -> {
            String value = switch (k) {
                case "agi_threadid" -> "*";
                case "agi_uniqueid" -> "{" + roles.roleOfId(v) + "#id}";
                case "agi_request" -> v.replace("127.0.0.1:" + agiPort + "/", "127.0.0.1:4573/");
                default -> roles.normalizeAgi(v);
            };
            out.add(k + ": " + value);
        });
        return out;
    }

    private static String agiLine(String line, ChannelRoles roles) {
        return roles.normalizeAgi(line).replaceAll("endpos=\\d+", "endpos=*");
    }

    @Override
    public void close() {
        reactions.shutdownNow();
        closeAll(ami, phones, pbx, agi, blackHole);
    }

    private static void closeAll(AutoCloseable... things) {
        for (AutoCloseable c : things) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                // closing for the next test; nothing else to do
            }
        }
    }
}
