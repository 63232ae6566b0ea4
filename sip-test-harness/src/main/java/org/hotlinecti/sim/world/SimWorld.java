package org.hotlinecti.sim.world;

import static org.hotlinecti.sim.world.ClosingSteps.closing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hotlinecti.cti.CtiServer;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.config.CtiConfig;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.hotlinecti.sim.pbx.MediaObserver;
import org.hotlinecti.sim.pbx.SimEndpoint;
import org.hotlinecti.sim.pbx.SimPbx;
import org.hotlinecti.sim.pbx.SimPbxConfig;
import org.hotlinecti.sim.sip.AgentPhone;
import org.hotlinecti.sim.sip.SipPhoneStack;
import org.hotlinecti.sim.world.ClosingSteps.Step;

/**
 * The simulated world on one machine: the sim PBX, the real CTI connected to it over AMI and FastAGI, simulated agents
 * (SIP phone + desktop WebSocket) and simulated callers on the trunk. The scenario runner and the demo drive it; every
 * socket binds 127.0.0.1 on a port it picks (the CTI's web port may be fixed for the demo).
 */
public final class SimWorld implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final SimPbx pbx;
    private final CtiServer cti;
    private final ReadyToRing readyToRing = new ReadyToRing();
    private final long startedNanos = System.nanoTime();
    private final CtiConfig config;
    private final SipPhoneStack phones;
    private final HttpClient http;
    private final ScheduledExecutorService timers;
    private final Map<String, SimAgent> agents = new LinkedHashMap<>();
    private final List<SimExternal> externals = new CopyOnWriteArrayList<>();
    private final Path recordingRoot;
    private final Map<String, SimCaller> callersByCallId = new ConcurrentHashMap<>();
    private final List<SimCaller> callers = new CopyOnWriteArrayList<>();
    private final TicketWatch tickets = new TicketWatch();

    /**
     * How to build the world.
     *
     * @param overlays       configuration laid over the CTI's reference config (a scenario's {@code config:})
     * @param agents         the agents; they replace the configured seats
     * @param clock          the CTI's and PBX's clock (scenarios may start it at a given instant)
     * @param dataDir        where the CTI keeps its embedded database
     * @param httpPort       the CTI's web port (0 to pick)
     * @param promptDuration how long the sim PBX pretends each prompt plays
     * @param externals      parties outside the centre reachable over trunks (emergency services, sub-centres)
     */
    public record Options(List<ConfigLoader.Overlay> overlays, List<AgentSpec> agents, Clock clock, Path dataDir,
            int httpPort, Duration promptDuration, List<ExternalSpec> externals) {

        public Options {
            externals = externals == null ? List.of() : List.copyOf(externals);
        }

        /** Without outside parties. */
        public Options(List<ConfigLoader.Overlay> overlays, List<AgentSpec> agents, Clock clock, Path dataDir,
                int httpPort, Duration promptDuration) {
            this(overlays, agents, clock, dataDir, httpPort, promptDuration, List.of());
        }
    }

    private SimWorld(SimPbx pbx, CtiServer cti, CtiConfig config, SipPhoneStack phones, HttpClient http,
            ScheduledExecutorService timers, Path recordingRoot) {
        this.recordingRoot = recordingRoot;
        this.pbx = pbx;
        this.cti = cti;
        this.config = config;
        this.phones = phones;
        this.http = http;
        this.timers = timers;
    }

    /**
     * Builds and starts everything; agents are logged in (and ready, if their spec says) when this returns. Agents
     * start one after the other in list order, each ready before the next logs in: the first listed is the one idle
     * longest, so it is offered the first call.
     */
    public static SimWorld start(Options options, ConfigLoader loader) throws Exception {
        // not getInstanceStrong(): /dev/random can block for minutes on a VM with little entropy
        byte[] secretBytes = new byte[12];
        new SecureRandom().nextBytes(secretBytes);
        String secret = HexFormat.of().formatHex(secretBytes);
        // the PBX's spool: RECORD FILE writes voicemails here, the CTI names them relative to it
        Path recordingRoot = options.dataDir().resolve("recordings").toAbsolutePath();
        java.nio.file.Files.createDirectories(recordingRoot);
        SimPbxConfig.Builder pbxConfig = SimPbxConfig.builder().amiUser("cti", secret).clock(options.clock())
                .promptDuration(options.promptDuration()).recordingRoot(recordingRoot);
        for (AgentSpec a : options.agents()) {
            pbxConfig.endpoint(SimEndpoint.agent(a.extension(), a.name(), "pw-" + a.extension(), null));
        }
        // a sub-centre's own trunk (pjsip.conf: an endpoint with context from-trunk, see docs/department-lines.md)
        options.externals().stream().map(ExternalSpec::trunk).filter(t -> !t.equals("trunk")).distinct()
                .forEach(t -> pbxConfig.endpoint(new SimEndpoint(t, "from-trunk", null, null, null, null)));
        SimPbx pbx = SimPbx.start(pbxConfig.build());
        CtiServer cti = null;
        SipPhoneStack phones = null;
        ScheduledExecutorService timers = null;
        SimWorld world = null;
        try {
            List<ConfigLoader.Overlay> overlays = new ArrayList<>(options.overlays());
            overlays.add(loader.overlay("the simulated world", runtimeOverlay(options, pbx, secret)));
            CtiConfig config = loader.load(overlays);
            cti = CtiServer.start(config, options.clock());
            pbx.setGlobal("CTI_AGI", "127.0.0.1:" + cti.agiPort());
            phones = SipPhoneStack.start("world", options.clock());
            timers = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "world-timer");
                t.setDaemon(true);
                return t;
            });
            HttpClient http = HttpClient.newHttpClient();
            world = new SimWorld(pbx, cti, config, phones, http, timers, recordingRoot);
            for (ExternalSpec x : options.externals()) {
                SimExternal external = new SimExternal(x,
                        phones.newAgentPhone("outside" + x.number(), null, pbx.host(), pbx.sipPort()), timers);
                pbx.defineOutsideNumber(x.trunk(), x.number(), external.contactUri());
                world.externals.add(external);
            }
            pbx.addMediaObserver(world.new CallerEars());
            cti.addDesktopObserver(world.tickets);
            ReadyToRing readyToRing = world.readyToRing;
            cti.calls().observeReadyOffers((agentId, extension, callId, at) -> readyToRing.readied(extension, at));
            for (AgentSpec a : options.agents()) {
                AgentPhone phone = phones.newAgentPhone("agent" + a.extension(), "pw-" + a.extension(), pbx.host(),
                        pbx.sipPort());
                phone.setInviteClock(nanos -> readyToRing.rang(a.extension(), nanos));
                SimAgent agent = SimAgent.start(a, phone, http, cti.baseUrl(), timers, START_TIMEOUT);
                world.agents.put(a.id(), agent);
                awaitSettled(agent);
            }
            return world;
        } catch (Exception | Error e) {
            if (world != null) {
                world.close();
            } else {
                ScheduledExecutorService t = timers;
                ClosingSteps.run(List.of(new Step("timers", () -> shutDown(t)), closing("phones", phones),
                        closing("CTI", cti), closing("sim PBX", pbx)));
            }
            throw e;
        }
    }

    private static ObjectNode runtimeOverlay(Options options, SimPbx pbx, String secret) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode ami = root.putObject("asterisk").putObject("ami");
        ami.put("host", pbx.host()).put("port", pbx.amiPort()).put("username", "cti").put("secret", secret);
        ((ObjectNode) root.get("asterisk")).put("recording_dir",
                options.dataDir().resolve("recordings").toAbsolutePath().toString());
        root.putObject("agi").put("bind", "127.0.0.1").put("port", 0);
        root.putObject("http").put("bind", "127.0.0.1").put("port", options.httpPort());
        root.putObject("database").put("url", "").put("data_dir", options.dataDir().toString());
        ArrayNode agents = root.putArray("agents");
        for (AgentSpec a : options.agents()) {
            ObjectNode n = agents.addObject().put("id", a.id()).put("name", a.name()).put("extension", a.extension());
            ObjectNode skills = n.putObject("skills");
            a.skills().forEach(skills::put);
        }
        return root;
    }

    /** Waits until the agent is ready (or logged in not ready, if its spec says so). */
    private static void awaitSettled(SimAgent agent) throws Exception {
        String wanted = agent.spec().ready() ? "ready" : "not_ready";
        try {
            agent.reached(wanted).get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("agent " + agent.id() + " did not become " + wanted + " within "
                    + START_TIMEOUT.toSeconds() + " s: it is " + agent.state());
        }
    }

    /** The "agent ready → phone ringing" latency measured in this world so far. */
    public ReadyToRing.Figures readyToRing() {
        return readyToRing.figures();
    }

    /** The same, leaving out the readies of the world's first {@code warmup} (the JIT compiling the paths). */
    public ReadyToRing.Figures readyToRing(Duration warmup) {
        return readyToRing.figures(startedNanos + warmup.toNanos());
    }

    public SimPbx pbx() {
        return pbx;
    }

    public CtiServer cti() {
        return cti;
    }

    /** The CTI's effective configuration. */
    public CtiConfig config() {
        return config;
    }

    public List<SimAgent> agents() {
        return List.copyOf(agents.values());
    }

    /** The parties outside the centre (emergency services, sub-centres). */
    public List<SimExternal> externals() {
        return List.copyOf(externals);
    }

    /** Where the sim PBX writes recordings (the CTI's {@code asterisk.recording_dir}). */
    public Path recordingRoot() {
        return recordingRoot;
    }

    public List<SimCaller> callers() {
        return List.copyOf(callers);
    }

    /** Places a call now (ignores {@link CallSpec#at()}; the driver schedules). */
    public SimCaller placeCall(CallSpec spec) {
        SimCaller caller = new SimCaller(spec, phones.newCaller(spec.from(), spec.from(), pbx.host(), pbx.sipPort()),
                timers);
        // listed before it dials: what the PBX plays to it can be routed from the first prompt on (CallerEars)
        callers.add(caller);
        String callId = caller.dial();
        if (callId != null) {
            callersByCallId.put(callId, caller);
        }
        return caller;
    }

    /** Places a call at {@code spec.at()} from now; the future completes once it is dialling. */
    public CompletableFuture<SimCaller> scheduleCall(CallSpec spec) {
        CompletableFuture<SimCaller> placed = new CompletableFuture<>();
        timers.schedule(() -> {
            try {
                placed.complete(placeCall(spec));
            } catch (RuntimeException e) {
                placed.completeExceptionally(e);
            }
        }, spec.at().toMillis(), TimeUnit.MILLISECONDS);
        return placed;
    }

    /**
     * Waits until the CTI has saved {@code n} tickets since this world started; false on timeout. Event-driven: the
     * world watches the CTI's ticket notifications.
     */
    public boolean awaitTickets(int n, Duration timeout) throws InterruptedException {
        return tickets.await(n, timeout);
    }

    /** Waits until every placed caller's call ended; false on timeout. */
    public boolean awaitCallsEnded(Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.allOf(callers.stream().map(c -> c.ended()).toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    /** Hangs up every caller still on the line. */
    public void hangUpAll() {
        callers.forEach(SimCaller::hangUp);
    }

    /** All tickets in the CTI's store, newest first. */
    public List<Ticket> tickets() {
        List<Ticket> all = new ArrayList<>();
        int offset = 0;
        while (true) {
            List<Ticket> page = cti.tickets().find(new TicketQuery(null, null, null, null, TicketQuery.MAX_LIMIT,
                    offset));
            all.addAll(page);
            if (page.size() < TicketQuery.MAX_LIMIT) {
                return all;
            }
            offset += page.size();
        }
    }

    /** Closes agents, timers, phones, the CTI and the PBX, each even if closing one before it failed. */
    @Override
    public void close() {
        List<Step> steps = new ArrayList<>();
        for (SimAgent a : agents.values()) {
            steps.add(closing("agent " + a.id(), a));
        }
        steps.add(new Step("timers", () -> shutDown(timers)));
        steps.add(closing("phones", phones));
        steps.add(closing("CTI", cti));
        steps.add(closing("sim PBX", pbx));
        ClosingSteps.run(steps);
    }

    private static void shutDown(ScheduledExecutorService executor) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Counts tickets the CTI saved (form updates of a known ticket do not count again). */
    private static final class TicketWatch implements DesktopGateway {
        private final java.util.Set<String> numbers = ConcurrentHashMap.newKeySet();
        private final Object changed = new Object();

        @Override
        public void screenPop(ScreenPop pop) {
        }

        @Override
        public void agentChanged(AgentView agent) {
        }

        @Override
        public void ticketSaved(Ticket ticket) {
            if (numbers.add(ticket.number())) {
                synchronized (changed) {
                    changed.notifyAll();
                }
            }
        }

        boolean await(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (changed) {
                while (numbers.size() < n) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                }
            }
            return true;
        }
    }

    /**
     * Routes what the PBX plays to the caller it plays to. The PBX may play before {@link #placeCall} has indexed the
     * call by its Call-ID (the INVITE goes out inside the dial), so a call not indexed yet is looked up among the
     * callers, whose Call-ID is set before the INVITE is sent.
     */
    private final class CallerEars implements MediaObserver {
        @Override
        public void promptStarted(String sipCallId, String file, String escapeDigits) {
            SimCaller c = caller(sipCallId);
            if (c != null) {
                c.promptStarted(file, escapeDigits);
            }
        }

        @Override
        public void digitsRequested(String sipCallId) {
            SimCaller c = caller(sipCallId);
            if (c != null) {
                c.digitsRequested();
            }
        }

        @Override
        public void bridged(String sipCallId, String agentChannel) {
            SimCaller c = caller(sipCallId);
            if (c != null) {
                c.bridged();
            }
        }

        private SimCaller caller(String sipCallId) {
            SimCaller known = callersByCallId.get(sipCallId);
            if (known != null || sipCallId == null) {
                return known;
            }
            for (SimCaller c : callers) {
                if (sipCallId.equals(c.caller().callId())) {
                    callersByCallId.putIfAbsent(sipCallId, c);
                    return c;
                }
            }
            return null;
        }
    }
}
