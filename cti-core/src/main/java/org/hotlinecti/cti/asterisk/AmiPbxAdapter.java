package org.hotlinecti.cti.asterisk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.hotlinecti.cti.asterisk.ami.AmiAction;
import org.hotlinecti.cti.asterisk.ami.AmiClient;
import org.hotlinecti.cti.asterisk.ami.AmiClientOptions;
import org.hotlinecti.cti.asterisk.ami.AmiHealth;
import org.hotlinecti.cti.asterisk.ami.AmiListResponse;
import org.hotlinecti.cti.asterisk.ami.AmiListener;
import org.hotlinecti.cti.asterisk.ami.AmiMessage;
import org.hotlinecti.cti.call.ChannelRef;
import org.hotlinecti.cti.call.ChannelSnapshot;
import org.hotlinecti.cti.call.OriginateRequest;
import org.hotlinecti.cti.call.OriginateResult;
import org.hotlinecti.cti.call.PbxControl;
import org.hotlinecti.cti.call.PbxEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI's AMI session with one Asterisk, over the CTI's own {@link AmiClient}: it turns AMI events into
 * {@link PbxEvent}s for a sink and carries out {@link PbxControl} requests as AMI actions.
 *
 * <h2>Threads</h2>
 * The socket is read on the client's event loop, which only parses and queues. The sink is called from <b>one thread
 * the client owns</b> ({@code ami-events-<host>:<port>}), in the order Asterisk sent the events, one at a time; a sink
 * that throws is logged and delivery goes on. The stages returned by the {@link PbxControl} methods complete on that
 * thread too, in order with the events (the Redirect response is seen before the DialBegin it causes): use the
 * {@code *Async} variants for slow continuations.
 *
 * <h2>Session</h2>
 * {@link #connect()} logs in (Challenge/MD5) and the sink gets {@link PbxEvent.Connected}; right after every login the
 * adapter lists the live channels (CoreShowChannels) and emits {@link PbxEvent.Resynced} at that point of the stream.
 * A dead connection (no Ping answer within the keep-alive timeout) or a closed one gives
 * {@link PbxEvent.Disconnected}; the client reconnects with back-off and the cycle starts again. A FullyBooted whose
 * uptime is smaller than the last one seen plus the time since gives {@link PbxEvent.PbxRestarted}. A Hangup repeated
 * for the same Uniqueid is delivered once. {@link #close()} logs off and emits a last {@code Disconnected}.
 *
 * <h2>Start-up</h2>
 * {@link #connect()} fails when Asterisk cannot be reached; {@link #start()} does not (the adapter keeps trying with
 * the back-off) and fails only when Asterisk refuses the login ({@link AmiLoginRefusedException}). {@link #health()}
 * says where the session is, since when, the last error, the event rate and the event backlog.
 *
 * <h2>Device states</h2>
 * After the channel list, every login asks for DeviceStateList; its items and every live {@code DeviceStateChange}
 * of an agent phone ({@code PJSIP/agent<ext>}) go to the {@link DeviceStateListener} set with
 * {@link #onDeviceState}, with whether a channel of that endpoint is alive at that point of the stream (the adapter
 * follows the channels from the list and from Newchannel/Hangup).
 */
public final class AmiPbxAdapter implements PbxControl, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmiPbxAdapter.class);

    private static final int REDIRECT_PRIORITY = 1;
    private static final int MAX_Q850_CAUSE = 127;
    /** Uptime may lag the wall clock by rounding and boot time; less than this is not a restart. */
    private static final long RESTART_TOLERANCE_SECONDS = 5;
    private static final int REMEMBERED_HANGUPS = 8192;
    private static final int RESYNC_ATTEMPTS = 3;
    private static final String AGENT_DEVICE_PREFIX = "PJSIP/agent";

    private final AmiSettings settings;
    private final Consumer<PbxEvent> sink;
    private final AmiClient client;
    private final AmiEventTranslator translator = new AmiEventTranslator();
    /**
     * Originates waiting for their OriginateResponse, by ActionID, and OriginateResponses that came before their
     * action's response was matched (both guarded by {@code originating} itself).
     */
    private final Map<String, CompletableFuture<OriginateResult>> originating = new HashMap<>();
    private final Map<String, AmiMessage> earlyOriginateResponses = new HashMap<>();
    /** Last reported state per device ({@code PJSIP/agent1001}); written on the event thread, read by status. */
    private final Map<String, DeviceState> deviceStates = new java.util.concurrent.ConcurrentHashMap<>();
    /** Live channels per endpoint ({@code agent1001}) by Uniqueid, from the resync list and Newchannel/Hangup. */
    private final Map<String, Set<String>> liveChannels = new java.util.HashMap<>();
    private volatile DeviceStateListener deviceListener = (report) -> { };

    /** Consumer thread only. */
    private long lastUptime = -1;
    /** Logins so far; consumer thread only. */
    private long sessions;
    private long lastUptimeAtNanos;
    private final Set<String> hungUp = java.util.Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_HANGUPS;
        }
    });

    /**
     * @param settings where to connect and how to log in
     * @param sink     receives every {@link PbxEvent}, on the adapter's event thread, in order
     */
    public AmiPbxAdapter(AmiSettings settings, Consumer<PbxEvent> sink) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        AmiClientOptions options = AmiClientOptions.of(settings.host(), settings.port(), settings.username(),
                settings.secret(), settings.connectTimeout(), settings.actionTimeout())
                .withKeepAlive(settings.keepAliveInterval(), settings.keepAliveTimeout())
                .withReconnect(Duration.ofMillis(100), settings.reconnectMaxDelay())
                .withBacklog(settings.backlogHighWater(), Math.max(settings.backlogHighWater(), 2_000_000));
        this.client = new AmiClient(options, new Listener());
    }

    /**
     * Connects and logs in; the sink then gets {@link PbxEvent.Connected} and, shortly after, {@link PbxEvent.Resynced}.
     * Blocks for at most about the connect timeout.
     *
     * @throws AmiConnectException   if Asterisk cannot be reached, does not speak AMI, or refuses the login; the
     *                               message says which, in one line
     * @throws IllegalStateException if already connected or closed
     */
    public void connect() {
        log.info("Connecting to AMI at {} as '{}'", settings.address(), settings.username());
        client.connect();
    }

    /**
     * Like {@link #connect()}, but an unreachable Asterisk does not fail: the adapter keeps trying with the usual
     * back-off and the sink gets {@link PbxEvent.Connected} once Asterisk answers. {@link #health()} says meanwhile
     * that the session is connecting and why it failed.
     *
     * @return true when logged in at once, false when still trying in the background
     * @throws AmiLoginRefusedException when Asterisk refused the login (wrong user or secret, address not permitted):
     *                                  a misconfiguration, which retrying would not cure
     */
    public boolean start() {
        log.info("Connecting to AMI at {} as '{}'", settings.address(), settings.username());
        return client.start();
    }

    /** The AMI session's health now: state, errors, event rate and backlog (for /api/status). */
    public AmiHealth health() {
        return client.health();
    }

    /** Agent devices ({@code PJSIP/agent<ext>}) as last reported by Asterisk, by state; empty until known. */
    public Map<String, Integer> agentDeviceCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        deviceStates.forEach((device, state) -> {
            if (device.startsWith(AGENT_DEVICE_PREFIX)) {
                counts.merge(state.name(), 1, Integer::sum);
            }
        });
        return counts;
    }

    /**
     * Receives the agent phones' device states (DeviceStateChange events, and the DeviceStateList asked for after
     * every login), on the adapter's event thread, in stream order with the {@link PbxEvent}s. One listener; set it
     * before {@link #start()}.
     */
    public void onDeviceState(DeviceStateListener listener) {
        this.deviceListener = Objects.requireNonNull(listener, "listener");
    }

    /** Whether the AMI session is logged in right now (false while reconnecting). */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** The Asterisk version from the last login's CoreSettings (e.g. {@code 22.10.1}), or empty if unknown. */
    public String asteriskVersion() {
        return client.asteriskVersion();
    }

    /** Events read but not yet handled by the sink, and the worst such backlog seen (for /status and alarms). */
    public long eventBacklog() {
        return client.backlog();
    }

    /** The largest event backlog seen since start. */
    public long maxEventBacklog() {
        return client.maxBacklog();
    }

    /** Drops the AMI connection as if it had died; the adapter reconnects and resyncs (operator command, tests). */
    public void dropConnection(String reason) {
        client.dropConnection(reason);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sends one Setvar per variable, in the map's iteration order, then Redirect to
     * {@code <connectContext>,<agentExtension>,1}; each action is sent only after the previous one succeeded, so a
     * refused Setvar leaves the caller where it is. Nothing is retried.
     *
     * @throws IllegalArgumentException at once, before anything is sent, if an argument is blank or contains CR/LF,
     *                                  or a value contains {@code ${} or {@code $[} (dialplan expansion)
     */
    @Override
    public CompletionStage<Void> connectToAgent(String callerChannel, String agentExtension,
            Map<String, String> variables) {
        return redirect(callerChannel, settings.connectContext(), agentExtension, variables);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException at once if an argument is blank, contains CR/LF, or the context or extension
     *                                  contains {@code ${} or {@code $[}
     */
    @Override
    public CompletionStage<Void> redirect(String channel, String context, String exten,
            Map<String, String> variables) {
        AsteriskInputs.requireChannel(channel);
        AsteriskInputs.requireToken("context", context);
        AsteriskInputs.requireToken("extension", exten);
        requireNoExpansion("context", context);
        requireNoExpansion("extension", exten);
        Objects.requireNonNull(variables, "variables");
        List<AmiAction> actions = new ArrayList<>(variables.size() + 1);
        variables.forEach((name, value) -> actions.add(setvar(channel, name, value)));
        actions.add(AmiAction.named("Redirect").add("Channel", channel).add("Context", context).add("Exten", exten)
                .add("Priority", Integer.toString(REDIRECT_PRIORITY)));
        log.info("Redirecting {} to {},{},{}", channel, context, exten, REDIRECT_PRIORITY);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (AmiAction action : actions) {
            chain = chain.thenCompose(ignored -> send(action));
        }
        return chain;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException at once if an argument is blank (value may be empty), contains CR/LF, or the
     *                                  value contains {@code ${} or {@code $[}
     */
    @Override
    public CompletionStage<Void> setVariable(String channel, String name, String value) {
        AsteriskInputs.requireChannel(channel);
        return send(setvar(channel, name, value));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException at once if the name is not a variable name, or the value contains CR/LF,
     *                                  {@code ${} or {@code $[}
     */
    @Override
    public CompletionStage<Void> setGlobalVariable(String name, String value) {
        return send(setvar(null, name, value));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException at once if the channel is blank, contains CR/LF or is a {@code /pattern/}, or
     *                                  the cause is outside 0..127
     */
    @Override
    public CompletionStage<Void> hangup(String channel, int cause) {
        AsteriskInputs.requireChannel(channel);
        if (cause < 0 || cause > MAX_Q850_CAUSE) {
            throw new IllegalArgumentException("hangup cause must be a Q.850 cause 0..127, got " + cause);
        }
        return send(AmiAction.named("Hangup").add("Channel", channel).add("Cause", Integer.toString(cause)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sends {@code Originate} with {@code Async: true}, {@code Priority: 1}, the timeout in milliseconds, the
     * caller ID, {@code ChannelId} and one {@code Variable} header per variable. The stage completes on the event
     * thread when the OriginateResponse carrying the action's ActionID arrives.
     *
     * @throws IllegalArgumentException at once if a field is not a plain one-line token, or a value contains
     *                                  {@code ${} or {@code $[} (dialplan expansion)
     */
    @Override
    public CompletionStage<OriginateResult> originate(OriginateRequest request) {
        AsteriskInputs.requireToken("channel", request.channel());
        AsteriskInputs.requireToken("context", request.context());
        AsteriskInputs.requireToken("extension", request.exten());
        requireNoExpansion("channel", request.channel());
        requireNoExpansion("context", request.context());
        requireNoExpansion("extension", request.exten());
        AmiAction action = AmiAction.named("Originate").add("Channel", request.channel())
                .add("Context", request.context()).add("Exten", request.exten())
                .add("Priority", Integer.toString(REDIRECT_PRIORITY))
                .add("Timeout", Long.toString(request.timeout().toMillis())).add("Async", "true");
        if (!request.callerIdNum().isEmpty()) {
            action.add("CallerID", requireNoExpansion("caller ID", request.callerIdNum()));
        }
        if (!request.channelId().isEmpty()) {
            action.add("ChannelId", requireNoExpansion("channel id", request.channelId()));
        }
        request.variables().forEach(action::addVariable);
        log.info("Originating {} into {},{},1 (timeout {} s)", request.channel(), request.context(), request.exten(),
                request.timeout().toSeconds());
        CompletableFuture<OriginateResult> outcome = new CompletableFuture<>();
        send(action, response -> {
            String actionId = response.actionId();
            AmiMessage early;
            synchronized (originating) {
                early = earlyOriginateResponses.remove(actionId);
                if (early == null) {
                    originating.put(actionId, outcome);
                }
            }
            if (early != null) {
                outcome.complete(originateResult(early));
            }
        }).whenComplete((ok, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(failure);
            }
        });
        return outcome;
    }

    private void originateResponded(AmiMessage event) {
        String actionId = event.actionId();
        if (actionId == null) {
            return;
        }
        CompletableFuture<OriginateResult> outcome;
        synchronized (originating) {
            outcome = originating.remove(actionId);
            if (outcome == null) {
                // the event overtook its action's response (they are separate writes in Asterisk); matched there
                if (earlyOriginateResponses.size() < REMEMBERED_HANGUPS) {
                    earlyOriginateResponses.put(actionId, event);
                }
                return;
            }
        }
        outcome.complete(originateResult(event));
    }

    private static OriginateResult originateResult(AmiMessage event) {
        boolean answered = "Success".equalsIgnoreCase(event.get("Response"));
        String uniqueId = AmiEventTranslator.text(event.get("Uniqueid"));
        int reason;
        try {
            reason = Integer.parseInt(AmiEventTranslator.text(event.get("Reason")).trim());
        } catch (NumberFormatException e) {
            reason = answered ? OriginateResult.REASON_ANSWERED : 0;
        }
        return new OriginateResult(answered, reason, AmiEventTranslator.text(event.get("Channel")),
                answered && !"<unknown>".equals(uniqueId) ? uniqueId : "");
    }

    /** Originates still waiting when the session ends never hear of their outcome on a new one. */
    private void failPendingOriginates(String reason) {
        List<CompletableFuture<OriginateResult>> pending;
        synchronized (originating) {
            pending = new ArrayList<>(originating.values());
            originating.clear();
            earlyOriginateResponses.clear();
        }
        for (CompletableFuture<OriginateResult> f : pending) {
            f.completeExceptionally(new org.hotlinecti.cti.call.PbxActionException("Originate",
                    org.hotlinecti.cti.call.PbxActionException.Outcome.UNKNOWN,
                    "AMI session ended before the Originate's outcome: " + reason));
        }
    }

    /**
     * Logs off, emits a last {@link PbxEvent.Disconnected}, fails actions still waiting for a response, and stops the
     * adapter's threads after the queued events were delivered (waiting at most the action timeout; so do not call it
     * from the sink). Idempotent.
     */
    @Override
    public void close() {
        client.close();
        log.info("AMI adapter for {} closed", settings.address());
    }

    /** Setvar on {@code channel}, or of a dialplan global when {@code channel} is null. */
    private static AmiAction setvar(String channel, String name, String value) {
        AsteriskInputs.requireVariableName(name);
        AsteriskInputs.requireValue("value of " + name, value);
        requireNoExpansion("value of " + name, value);
        AmiAction setvar = AmiAction.named("Setvar");
        if (channel != null) {
            setvar.add("Channel", channel);
        }
        return setvar.add("Variable", name).add("Value", value);
    }

    /**
     * A value that later lands in the dialplan ({@code ${CTI_AGENT}} in Dial, Originate variables) must not carry
     * dialplan syntax of its own: {@code ${...}} would read any variable or call a function ({@code SHELL}), and
     * {@code $[...]} would evaluate an expression. Values from callers and the web are refused outright rather than
     * escaped: Asterisk has no escape that survives every later substitution.
     */
    static String requireNoExpansion(String what, String value) {
        if (value.contains("${") || value.contains("$[")) {
            throw new IllegalArgumentException(what + " must not contain '${' or '$[' (dialplan expansion): "
                    + value);
        }
        return value;
    }

    private CompletableFuture<Void> send(AmiAction action) {
        log.debug("AMI -> {}", action.name());
        return client.send(action).thenApply(response -> null);
    }

    /** Sends and runs {@code onResponse} with the response on the event thread, before any later event. */
    private CompletableFuture<Void> send(AmiAction action, Consumer<AmiMessage> onResponse) {
        log.debug("AMI -> {}", action.name());
        return client.send(action).thenAccept(onResponse);
    }

    private void emit(PbxEvent event) {
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.error("PbxEvent sink failed on {}", event, e);
        }
    }

    private void resync() {
        resync(1);
    }

    /**
     * Lists the live channels. An unanswered list (timeout) is asked again, a few times, as long as the session that
     * asked is still up; a refusal (missing write class) is not retried.
     */
    private void resync(int attempt) {
        long session = sessions;
        client.sendList(AmiAction.named("CoreShowChannels")).whenComplete((list, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause()
                        != null ? failure.getCause() : failure;
                boolean refused = cause instanceof org.hotlinecti.cti.call.PbxActionException pe
                        && pe.outcome() == org.hotlinecti.cti.call.PbxActionException.Outcome.REFUSED;
                boolean retry = !refused && attempt < RESYNC_ATTEMPTS && session == sessions && client.isConnected();
                log.error("AMI resync of {} failed: {}{}", settings.address(), cause.getMessage(), refused
                        ? " (the AMI user needs write = system or reporting for CoreShowChannels, see "
                                + "deploy/asterisk/manager.conf); calls that ended unseen stay open"
                        : retry ? "; asking again" : "; the next login resyncs");
                if (retry) {
                    resync(attempt + 1);
                }
                return;
            }
            List<ChannelSnapshot> channels = snapshots(list);
            liveChannels.clear();
            for (ChannelSnapshot c : channels) {
                trackChannel(c.channel(), true);
            }
            emit(new PbxEvent.Resynced(channels));
            listDeviceStates(session);
        });
    }

    /**
     * Asks for every known device state (DeviceStateList, after the channel resync so that a device is judged with the
     * channels of the same moment). Devices Asterisk has no state for yet are not listed and stay unknown. A refusal
     * (the AMI user lacks write = call or reporting) is logged once per login, not retried: live DeviceStateChange
     * events still come.
     */
    private void listDeviceStates(long session) {
        client.sendList(AmiAction.named("DeviceStateList")).whenComplete((list, failure) -> {
            if (failure != null) {
                if (session == sessions) {
                    log.warn("AMI DeviceStateList at {} failed: {}; agent phones are judged by live "
                            + "DeviceStateChange events only", settings.address(), rootCause(failure).getMessage());
                }
                return;
            }
            int agents = 0;
            for (AmiMessage item : list.items()) {
                if (deviceState(item, true)) {
                    agents++;
                }
            }
            log.info("AMI device states listed: {} device(s), {} agent phone(s)", list.items().size(), agents);
        });
    }

    /** Handles one DeviceStateChange (live or listed); true when it was an agent phone's. */
    private boolean deviceState(AmiMessage message, boolean listed) {
        String device = message.getOrEmpty("Device");
        DeviceState state = DeviceState.parse(message.getOrEmpty("State"));
        if (device.isEmpty()) {
            return false;
        }
        deviceStates.put(device, state);
        if (!device.startsWith(AGENT_DEVICE_PREFIX)) {
            return false;
        }
        String extension = device.substring(AGENT_DEVICE_PREFIX.length());
        boolean busy = !liveChannels.getOrDefault("agent" + extension, Set.of()).isEmpty();
        try {
            deviceListener.deviceState(new DeviceStateReport(extension, state, busy, listed));
        } catch (RuntimeException e) {
            log.error("device state listener failed on {} {}", device, state, e);
        }
        return true;
    }

    /** Endpoint of a channel name: {@code PJSIP/agent1001-00000003} → {@code agent1001}; null if not PJSIP-like. */
    static String endpointOf(String channelName) {
        int slash = channelName.indexOf('/');
        int dash = channelName.lastIndexOf('-');
        if (slash < 0 || dash <= slash) {
            return null;
        }
        return channelName.substring(slash + 1, dash);
    }

    private void trackChannel(ChannelRef channel, boolean alive) {
        String endpoint = endpointOf(channel.name());
        if (endpoint == null) {
            return;
        }
        if (alive) {
            liveChannels.computeIfAbsent(endpoint, e -> new java.util.HashSet<>()).add(channel.uniqueId());
        } else {
            Set<String> ids = liveChannels.get(endpoint);
            if (ids != null && ids.remove(channel.uniqueId()) && ids.isEmpty()) {
                liveChannels.remove(endpoint);
            }
        }
    }

    private static Throwable rootCause(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private static List<ChannelSnapshot> snapshots(AmiListResponse list) {
        List<ChannelSnapshot> channels = new ArrayList<>(list.items().size());
        for (AmiMessage item : list.items()) {
            ChannelRef channel = AmiEventTranslator.channel(item, "");
            if (channel == null) {
                continue;
            }
            channels.add(new ChannelSnapshot(channel, AmiEventTranslator.text(item.get("Context")),
                    AmiEventTranslator.text(item.get("Exten")), AmiEventTranslator.text(item.get("Application")),
                    AmiEventTranslator.text(item.get("BridgeId"))));
        }
        return channels;
    }

    /** Runs on the client's consumer thread. */
    private final class Listener implements AmiListener {

        @Override
        public void connected(String asteriskVersion) {
            log.info("AMI session with {} open (Asterisk {})", settings.address(),
                    asteriskVersion.isEmpty() ? "version unknown" : asteriskVersion);
            sessions++;
            emit(new PbxEvent.Connected(asteriskVersion));
            resync();
        }

        @Override
        public void event(AmiMessage message) {
            if ("OriginateResponse".equals(message.eventName())) {
                originateResponded(message);
                return;
            }
            if ("DeviceStateChange".equals(message.eventName())) {
                deviceState(message, false);
                return;
            }
            PbxEvent event;
            try {
                event = translator.translate(message).orElse(null);
            } catch (RuntimeException e) {
                log.warn("Cannot translate AMI event {}: {}", message.eventName(), e.toString());
                return;
            }
            if (event == null) {
                return;
            }
            if (event instanceof PbxEvent.ChannelHungUp h && !hungUp.add(h.channel().uniqueId())) {
                log.debug("duplicate Hangup of {} ({}) ignored", h.channel().name(), h.channel().uniqueId());
                return;
            }
            if (event instanceof PbxEvent.ChannelCreated created) {
                trackChannel(created.channel(), true);
            } else if (event instanceof PbxEvent.ChannelHungUp gone) {
                trackChannel(gone.channel(), false);
            } else if (event instanceof PbxEvent.Shutdown || event instanceof PbxEvent.PbxRestarted) {
                liveChannels.clear();
            }
            emit(event);
            if (event instanceof PbxEvent.FullyBooted booted) {
                checkRestart(booted.uptimeSeconds());
            }
        }

        @Override
        public void disconnected(String reason, boolean requested) {
            if (requested) {
                log.info("{}", reason);
            } else {
                log.warn("{}; reconnecting", reason);
            }
            failPendingOriginates(reason);
            emit(new PbxEvent.Disconnected(reason, requested));
        }

        private void checkRestart(long uptime) {
            long now = System.nanoTime();
            if (lastUptime >= 0) {
                long expected = lastUptime + (now - lastUptimeAtNanos) / 1_000_000_000L;
                if (uptime + RESTART_TOLERANCE_SECONDS < expected) {
                    log.warn("Asterisk at {} restarted (uptime {} s, expected about {} s): every earlier channel "
                            + "is gone", settings.address(), uptime, expected);
                    hungUp.clear();
                    liveChannels.clear();
                    emit(new PbxEvent.PbxRestarted("Asterisk restarted: uptime " + uptime + " s, expected about "
                            + expected + " s"));
                }
            }
            lastUptime = uptime;
            lastUptimeAtNanos = now;
        }
    }
}
