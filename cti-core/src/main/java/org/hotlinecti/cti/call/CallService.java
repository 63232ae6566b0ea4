package org.hotlinecti.cti.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.hotlinecti.acd.AcdEngine;
import org.hotlinecti.acd.AcdEvent;
import org.hotlinecti.acd.AcdException;
import org.hotlinecti.acd.AcdListener;
import org.hotlinecti.acd.AcdSetup;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.acd.AgentState;
import org.hotlinecti.acd.AgentStatus;
import org.hotlinecti.acd.CallRequest;
import org.hotlinecti.acd.Offer;
import org.hotlinecti.acd.OfferFailure;
import org.hotlinecti.acd.SkillAcd;
import org.hotlinecti.acd.SkillRequirement;
import org.hotlinecti.cti.api.AgentCommands;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CtiRequestException;
import org.hotlinecti.cti.api.CtiStatus;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.QueueBoard;
import org.hotlinecti.cti.api.RoutingViews;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.api.StatusSource;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.hotlinecti.cti.ticket.TicketStore;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallEventKind;
import org.hotlinecti.cti.ticket.ledger.CallLedger;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.RoutingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call model: follows every call from the PBX's events and the IVR's requests, drives the ACD, connects callers
 * to agents through {@link PbxControl}, pops the ticket form on the agent's desktop, and writes exactly one ticket per
 * call when the caller's channel hangs up.
 *
 * <p><b>Threading.</b> All state lives on one thread, the call loop. Every public method only posts work to it (or
 * returns a stage completed there), so it is safe to call from the AMI adapter's dispatch thread, AGI session threads
 * and web event loops. Ticket I/O runs on a separate executor and reports back to the loop.
 *
 * <p><b>When a call is routable.</b> A call enters the ACD only once its channel is parked on music in the wait
 * context, and after a failed dial it is offered again only when it is parked again. Redirects therefore always take
 * a channel off music on hold, never out of AGI (where Asterisk would hold the redirect until the AGI ends) and never
 * while the dialplan is still walking back from the failed Dial.
 */
public final class CallService implements AgentCommands, StatusSource, RoutingViews, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallService.class);
    private static final int HISTORY_ON_POP = 5;
    private static final int MAX_DRAFTS = 20_000;
    /** The dialplan global the connect context reads for the agent's ring time (deploy/asterisk/extensions.conf). */
    static final String RING_TIMEOUT_VARIABLE = "CTI_RING_TIMEOUT";
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    private final Settings settings;
    private final Clock clock;
    private final LineDirectory lines;
    private final PbxControl pbx;
    private final TicketStore tickets;
    private final Executor ticketIo;
    private final DesktopGateway desktops;
    private final ScheduledExecutorService loop;
    private final AcdEngine acd;
    /** The scheduled engine wake-up and its instant (see {@link #scheduleAcdWake()}). */
    private java.util.concurrent.ScheduledFuture<?> acdWake;
    private Instant acdWakeAt;
    private final Instant startedAt;
    private final CallbackTasks callbackTasks = new CallbackTasks();
    private volatile ReadyOfferObserver readyOffers = (agent, extension, callId, at) -> { };
    /**
     * The agent whose ready is being processed on the loop right now (see {@link #readying}), the offers the engine
     * made to it meanwhile, and the agent-change side effects held back until those offers are on their way.
     */
    private String readyingAgent;
    private final ArrayDeque<Offer> offersToReadyingAgent = new ArrayDeque<>();
    private final ArrayDeque<Runnable> afterReadyOffers = new ArrayDeque<>();

    private final Map<String, ActiveCall> calls = new LinkedHashMap<>();
    private final Map<String, Draft> drafts = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Draft> eldest) {
            // drafts outlive their ticket so that a late form still finds its call and owner; a day's calls fit
            return size() > MAX_DRAFTS;
        }
    };
    private final AtomicLong ticketsWritten = new AtomicLong();
    /** Tickets of ended calls not yet in the store (being written or waiting for a retry), by Linkedid. */
    private final Map<String, PendingTicket> unsaved = new ConcurrentHashMap<>();
    private boolean amiConnected;
    private String asteriskVersion = "";
    /** Counts AMI logins; a call remembers the session it was last confirmed in (see {@link #resynced}). */
    private int amiSession;
    /**
     * Linkedids of calls that ended, so that a late or repeated event (a second Hangup, a Newchannel or IVR report
     * that crossed the hang-up) never opens the call again: one ticket per call.
     */
    private final java.util.Set<String> endedCalls = java.util.Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_DRAFTS;
                }
            });
    /** Where every call event the service acts on is recorded (the call ledger, queue_log). */
    private volatile CallLedger ledger = CallLedger.NONE;
    /** Tells waiting callers their place and expected wait; confined to the loop, off until configured. */
    private QueueAnnouncer announcer = QueueAnnouncer.off();
    /** Emergency transfers with three_party: caller, far end and an agent in one conference. */
    private final ThreePartyTransfers threeParty;

    /**
     * How the call service behaves.
     *
     * @param ringTimeout    how long an agent's phone rings (set as the dialplan global CTI_RING_TIMEOUT)
     * @param wrapUpMax      the longest wrap-up; the agent becomes ready after it even without a saved form
     * @param waitContext    the dialplan context where callers wait on music on hold
     * @param inboundContext the dialplan context of calls from the trunk: only channels created there are hotline
     *                       calls (an agent's own outgoing call is not)
     * @param offerGrace     how long past the ring timeout an offer may go without an outcome (dial answered or
     *                       failed, caller back on hold, hang-up) before it is withdrawn and the call offered again
     */
    public record Settings(Duration ringTimeout, Duration wrapUpMax, String waitContext, String inboundContext,
            Duration offerGrace) {

        /** Settings with the default offer grace of 10 s. */
        public static Settings of(Duration ringTimeout, Duration wrapUpMax, String waitContext,
                String inboundContext) {
            return new Settings(ringTimeout, wrapUpMax, waitContext, inboundContext, Duration.ofSeconds(10));
        }
    }

    public CallService(Settings settings, Clock clock, LineDirectory lines, List<AgentProfile> agents,
            PbxControl pbx, TicketStore tickets, Executor ticketIo, DesktopGateway desktops) {
        this(settings, clock, lines, agents, AcdSetup.defaults().withWrapUpMax(settings.wrapUpMax()), pbx, tickets,
                ticketIo, desktops);
    }

    /** A call service whose routing engine is configured by {@code routing} (queues, strategies, pools ...). */
    public CallService(Settings settings, Clock clock, LineDirectory lines, List<AgentProfile> agents,
            AcdSetup routing, PbxControl pbx, TicketStore tickets, Executor ticketIo, DesktopGateway desktops) {
        this.settings = settings;
        this.clock = clock;
        this.lines = lines;
        this.pbx = pbx;
        this.tickets = tickets;
        this.ticketIo = ticketIo;
        this.desktops = desktops;
        ScheduledThreadPoolExecutor callLoop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "call-loop");
            t.setDaemon(true);
            return t;
        });
        // timers (wrap-up caps, retries) must not keep a closing service alive
        callLoop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        callLoop.setRemoveOnCancelPolicy(true);
        this.loop = callLoop;
        this.acd = new SkillAcd(clock, new SplittableRandom(), routing.settings(), new AcdBinding());
        routing.applyTo(acd);
        this.threeParty = new ThreePartyTransfers(new ThreePartyHost(), pbx, clock, () -> ledger,
                settings.waitContext(), settings.ringTimeout());
        this.startedAt = clock.instant();
        agents.forEach(acd::defineAgent);
    }

    /** Records the call events this service acts on in {@code ledger} from now on (none by default). */
    public void useLedger(CallLedger ledger) {
        this.ledger = java.util.Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Tells waiting callers their place and expected wait from now on (none by default), with the prompts of the
     * catalogue {@code prompts} returns at each announcement (so a reloaded catalogue applies). See
     * {@link QueueAnnouncer} for the dialplan contract.
     */
    public void useAnnouncements(QueueAnnouncer.Settings settings,
            Supplier<org.hotlinecti.ivr.prompts.PromptCatalogue> prompts) {
        QueueAnnouncer configured = new QueueAnnouncer(settings, prompts);
        post(() -> announcer = configured);
    }

    // ---------------------------------------------------------------- inputs from the PBX and the IVR

    /** An event from the PBX adapter. */
    public void onPbxEvent(PbxEvent event) {
        post(() -> handle(event));
    }

    /** A caller entered the IVR of {@code line} (AGI session thread). */
    public void ivrStarted(AgiCall agi, DepartmentLine line) {
        Instant now = clock.instant();
        post(() -> {
            if (endedCalls.contains(agi.channel().linkedId())) {
                return;
            }
            ActiveCall call = callFor(agi.channel(), now);
            call.callerNumber = agi.callerNumber();
            call.dialled = agi.dialledNumber();
            call.line = line;
            call.skill = line.skill();
            call.minLevel = line.minLevel();
            call.priority = line.priority();
            LOG.info("call {} from {} on line {} entered the IVR", call.linkedId,
                    PhoneNumbers.mask(call.callerNumber), call.dialled);
            ledger.record(CallEvent.of(call.linkedId, CallEventKind.ENTERED_IVR, now, null, null,
                    CallEvent.details("line", call.dialled, "caller", call.callerNumber)));
        });
    }

    /** The IVR asked for an agent (AGI session thread, before the session ends). */
    public void routeRequested(AgiCall agi, RoutingRequest request) {
        Instant now = clock.instant();
        post(() -> {
            if (endedCalls.contains(agi.channel().linkedId())) {
                return;
            }
            ActiveCall call = callFor(agi.channel(), now);
            request.ivrPath().forEach(call::addPath);
            call.skill = request.skill();
            call.minLevel = request.minLevel();
            call.priority = request.priority();
            call.routeRequested = true;
            call.queuedAt = now;
            call.stage = CallStage.QUEUED;
            prefetchHistory(call);
        });
    }

    /** The caller hung up in the IVR (AGI session thread). */
    public void ivrAbandoned(AgiCall agi, List<String> ivrPath) {
        post(() -> {
            ActiveCall call = calls.get(agi.channel().linkedId());
            if (call != null) {
                ivrPath.forEach(call::addPath);
            }
        });
    }

    /**
     * The caller left a voicemail (AGI session thread, before the session ends; the dialplan then hangs up). The
     * ticket gets disposition voicemail, the recording and a call back.
     */
    public void voicemailLeft(AgiCall agi, IvrOutcome.Voicemail voicemail) {
        post(() -> {
            ActiveCall call = callFor(agi.channel(), clock.instant());
            IvrOutcomeTracking.voicemail(call, voicemail);
            LOG.info("call {} left a voicemail ({}, {})", call.linkedId, voicemail.reason(),
                    voicemail.recording().endedBy());
        });
    }

    /**
     * The IVR sends the caller to a number outside the centre (AGI session thread, before the session ends; the
     * dialplan then dials it). With a fallback, a far end that does not answer in time, is busy or unreachable puts
     * the caller in the queue as the fallback says.
     */
    public void transferRequested(AgiCall agi, IvrOutcome.Transfer transfer) {
        post(() -> {
            ActiveCall call = callFor(agi.channel(), clock.instant());
            IvrOutcomeTracking.transferRequested(call, transfer);
            if (ThreePartyTransfers.isThreeParty(transfer)) {
                threeParty.requested(call, transfer);
            }
            LOG.info("call {} is transferred to {} ({}, fallback: {})", call.linkedId, transfer.number(),
                    transfer.label(), transfer.fallback().isPresent());
        });
    }

    /** The IVR ended the call after a notice (AGI session thread, before the session ends; the dialplan hangs up). */
    public void ivrEnded(AgiCall agi, IvrOutcome.Ended ended) {
        post(() -> {
            ActiveCall call = callFor(agi.channel(), clock.instant());
            IvrOutcomeTracking.ended(call, ended);
            LOG.info("call {} ended by the IVR: {}", call.linkedId, ended.reason());
        });
    }

    /** The survey started for the caller (AGI session thread). */
    public void surveyStarted(AgiCall agi) {
        post(() -> {
            ActiveCall call = calls.get(agi.channel().linkedId());
            if (call != null) {
                call.stage = CallStage.SURVEY;
                call.addPath("survey");
            }
        });
    }

    /** The survey ended (AGI session thread); empty when the caller gave no score. */
    public void surveyAnswered(AgiCall agi, Optional<Integer> score) {
        post(() -> {
            ActiveCall call = calls.get(agi.channel().linkedId());
            if (call != null && score.isPresent()) {
                call.surveyScore = score.get();
            }
        });
    }

    // ---------------------------------------------------------------- PBX events

    private void handle(PbxEvent event) {
        event.accept(pbxEvents);
    }

    private final PbxEvent.Handler pbxEvents = new PbxEvent.Handler() {
        @Override
        public void connected(PbxEvent.Connected e) {
            amiConnected = true;
            amiSession++;
            asteriskVersion = e.asteriskVersion();
            setRingTimeout();
            List<ActiveCall> waiting = calls.values().stream().filter(c -> c.connectPending).toList();
            for (ActiveCall call : waiting) {
                sendOffer(call);
            }
        }

        @Override
        public void disconnected(PbxEvent.Disconnected e) {
            amiConnected = false;
            if (e.requested()) {
                LOG.info("{}", e.reason());
            } else {
                LOG.warn("{}", e.reason());
            }
        }

        @Override
        public void fullyBooted(PbxEvent.FullyBooted e) {
            LOG.debug("Asterisk fully booted, uptime {} s", e.uptimeSeconds());
        }

        @Override
        public void shutdown(PbxEvent.Shutdown e) {
            LOG.warn("Asterisk is shutting down (restart: {}): every call still open ends", e.restart());
            endCallsWhere(call -> true, "Asterisk shut down");
        }

        @Override
        public void pbxRestarted(PbxEvent.PbxRestarted e) {
            LOG.warn("{}: calls of earlier AMI sessions end", e.reason());
            endCallsWhere(call -> call.amiSession < amiSession, "Asterisk restarted");
            // Uniqueids (and so Linkedids) start again after a restart: old ones may come back for new calls
            endedCalls.clear();
        }

        @Override
        public void resynced(PbxEvent.Resynced e) {
            CallService.this.resynced(e);
        }

        @Override
        public void channelRenamed(PbxEvent.ChannelRenamed e) {
            for (ActiveCall call : calls.values()) {
                if (call.callerChannel != null && call.callerChannel.uniqueId().equals(e.channel().uniqueId())) {
                    call.callerChannel = new ChannelRef(e.newName(), call.callerChannel.uniqueId(),
                            call.callerChannel.linkedId());
                }
                if (call.agentChannel != null && call.agentChannel.uniqueId().equals(e.channel().uniqueId())) {
                    call.agentChannel = new ChannelRef(e.newName(), call.agentChannel.uniqueId(),
                            call.agentChannel.linkedId());
                }
            }
        }

        @Override
        public void channelCreated(PbxEvent.ChannelCreated e) {
            CallService.this.channelCreated(e);
        }

        @Override
        public void channelOnHold(PbxEvent.ChannelOnHold e) {
            CallService.this.channelOnHold(e);
        }

        @Override
        public void dialStarted(PbxEvent.DialStarted e) {
            CallService.this.dialStarted(e);
        }

        @Override
        public void dialRinging(PbxEvent.DialRinging e) {
            // the agent's state (offered) already says the phone rings
        }

        @Override
        public void dialEnded(PbxEvent.DialEnded e) {
            CallService.this.dialEnded(e);
        }

        @Override
        public void bridgeEntered(PbxEvent.BridgeEntered e) {
            // DialEnd ANSWER marks the answer; the bridge adds nothing the ticket needs
        }

        @Override
        public void bridgeLeft(PbxEvent.BridgeLeft e) {
            CallService.this.bridgeLeft(e);
        }

        @Override
        public void hangupRequested(PbxEvent.HangupRequested e) {
            CallService.this.hangupRequested(e);
        }

        @Override
        public void channelHungUp(PbxEvent.ChannelHungUp e) {
            CallService.this.channelHungUp(e);
        }
    };

    private void channelCreated(PbxEvent.ChannelCreated e) {
        if (ThreePartyTransfers.isOwnLeg(e.channel())) {
            threeParty.legCreated(e.channel());
            return;
        }
        if (!e.channel().isCallOrigin() || !settings.inboundContext().equals(e.context())
                || endedCalls.contains(e.channel().linkedId())) {
            return;
        }
        ActiveCall call = callFor(e.channel(), clock.instant());
        if (call.callerNumber.isEmpty()) {
            call.callerNumber = e.callerIdNum();
        }
        if (call.dialled.isEmpty()) {
            call.dialled = e.exten();
        }
    }

    private void channelOnHold(PbxEvent.ChannelOnHold e) {
        ActiveCall call = calls.get(e.channel().linkedId());
        if (call == null || !e.channel().isCallOrigin() || !e.context().equals(settings.waitContext())) {
            return;
        }
        boolean announcementOver = announcer.backOnMusic(call.linkedId);
        call.callerChannel = e.channel();
        if (call.offeredAgent != null && !call.connectPending) {
            if (announcementOver && call.agentChannel == null && call.dialFailure == null && !call.dialCancelled) {
                // an announcement ended just before the agent's Redirect took the caller: no dial has ended
                return;
            }
            // the dial is over and the caller is back on music: now the call may go to the next agent
            String agent = call.offeredAgent;
            boolean cancelled = call.dialCancelled;
            OfferFailure failure = call.dialFailure != null ? call.dialFailure : OfferFailure.UNREACHABLE;
            clearOffer(call);
            call.stage = CallStage.QUEUED;
            ledger.record(CallEvent.of(call.linkedId, CallEventKind.OFFER_FAILED, clock.instant(), agent, call.skill,
                    CallEvent.details("reason", cancelled ? "cancelled" : failure.name().toLowerCase(java.util.Locale.ROOT))));
            if (cancelled) {
                // the dial was cancelled while the caller stayed: not the agent's doing
                acd.offerWithdrawn(call.linkedId, agent);
            } else {
                acd.offerFailed(call.linkedId, agent, failure);
            }
            announcer.waitingAgain(call.linkedId, clock.instant());
            return;
        }
        if (!call.queued && call.answeredAt == null && call.queueExit == null) {
            if (IvrOutcomeTracking.fallBack(call, clock.instant())) {
                LOG.info("call {}: the transfer to {} failed; queued for the 12345 pool", call.linkedId,
                        call.transferTarget);
                prefetchHistory(call);
            }
            if (!call.routeRequested) {
                // the IVR never asked (AGI failed or was skipped by the dialplan): serve by the line's defaults
                DepartmentLine line = call.line != null ? call.line : lines.serving(call.dialled);
                call.line = line;
                call.skill = line.skill();
                call.minLevel = line.minLevel();
                call.priority = line.priority();
                call.queuedAt = clock.instant();
                call.routeRequested = true;
                call.addPath("queue:" + line.skill());
                prefetchHistory(call);
                LOG.warn("call {} is waiting without an IVR routing request; routing by line {}", call.linkedId,
                        line.number());
            }
            call.queued = true;
            call.stage = CallStage.QUEUED;
            ledger.record(CallEvent.of(call.linkedId, CallEventKind.QUEUED, clock.instant(), null, call.skill,
                    CallEvent.details("line", call.dialled, "caller", call.callerNumber)));
            acd.enqueue(acdRequest(call));
            announcer.queued(call.linkedId, clock.instant());
        }
    }

    /** What the engine needs of a call: skill, priority, the caller (rejoin, call back) and the line (call back). */
    private static CallRequest acdRequest(ActiveCall call) {
        return new CallRequest(call.linkedId, new SkillRequirement(call.skill, call.minLevel), call.priority)
                .withCaller(call.callerNumber.isEmpty() ? null : call.callerNumber)
                .withData(call.line == null ? Map.of() : Map.of(CallbackTasks.LINE, call.line.number()));
    }

    /**
     * The waiting caller pressed the callback key (AGI session thread): the call keeps its place as a callback and
     * the caller may hang up. Completes with false when the place cannot be kept (the call is not waiting, or is
     * being offered to an agent right now); the caller then waits on.
     */
    public CompletionStage<Boolean> callbackRequested(AgiCall agi) {
        return onLoop(() -> {
            ActiveCall call = calls.get(agi.channel().linkedId());
            if (call == null || !call.queued || call.offeredAgent != null || call.answeredAt != null
                    || !acd.isQueued(call.linkedId)) {
                return false;
            }
            try {
                acd.requestCallback(call.linkedId);
            } catch (AcdException e) {
                LOG.info("call {} asked for a call back but keeps waiting: {}", call.linkedId, e.getMessage());
                return false;
            }
            call.queueExit = org.hotlinecti.acd.ExitTarget.Kind.CALLBACK;
            announcer.left(call.linkedId);
            call.addPath("callback:requested");
            LOG.info("call {} keeps its place as a call back", call.linkedId);
            return true;
        });
    }

    /** The call backs that fell due, oldest first. */
    @Override
    public CompletionStage<List<org.hotlinecti.cti.api.CallbackTask>> callbacks() {
        return onLoop(callbackTasks::snapshot);
    }

    private void dialStarted(PbxEvent.DialStarted e) {
        if (e.caller() == null) {
            // an originated leg's dial has no calling channel: not one of our offers
            return;
        }
        ActiveCall call = calls.get(e.caller().linkedId());
        if (call == null || IvrOutcomeTracking.dialStarted(call, e) || call.offeredAgent == null) {
            return;
        }
        call.agentChannel = e.dest();
        call.stage = CallStage.RINGING;
    }

    private void dialEnded(PbxEvent.DialEnded e) {
        if (e.caller() == null) {
            return;
        }
        ActiveCall call = calls.get(e.caller().linkedId());
        if (call == null || IvrOutcomeTracking.dialEnded(call, e, clock.instant()) || call.offeredAgent == null) {
            return;
        }
        switch (e.dialStatus()) {
            case "ANSWER" -> answered(call, e.dest());
            case "NOANSWER" -> call.dialFailure = OfferFailure.NO_ANSWER;
            case "BUSY" -> call.dialFailure = OfferFailure.BUSY;
            case "CANCEL" -> {
                // the caller hung up (its Hangup settles it) or was taken elsewhere (back on hold settles it)
                call.dialCancelled = true;
            }
            default -> call.dialFailure = OfferFailure.UNREACHABLE;
        }
    }

    private void answered(ActiveCall call, ChannelRef agentLeg) {
        Instant now = clock.instant();
        String agentId = call.offeredAgent;
        clearOffer(call);
        call.agentChannel = agentLeg;
        call.agent = agentId;
        call.answeredAt = now;
        call.stage = CallStage.TALKING;
        call.draftId = UUID.randomUUID().toString();
        call.addPath("agent:" + agentId);
        drafts.put(call.draftId, new Draft(agentId, call.linkedId));
        acd.answered(call.linkedId, agentId);
        announcer.left(call.linkedId);
        ledger.record(CallEvent.of(call.linkedId, CallEventKind.ANSWERED, now, agentId, call.skill,
                CallEvent.details("agent_channel", agentLeg == null ? null : agentLeg.uniqueId())));
        LOG.info("call {} answered by agent {} after {} s in queue", call.linkedId, agentId,
                call.queuedAt == null ? 0 : Duration.between(call.queuedAt, now).toSeconds());
        sendScreenPop(call, agentId, now);
    }

    /**
     * Sent from the call loop at the answer, so the pop reaches the desktop before the agent's later state changes;
     * the caller's history was fetched while the call waited.
     */
    private void sendScreenPop(ActiveCall call, String agentId, Instant answeredAt) {
        long wait = call.queuedAt == null ? 0 : Math.max(0, Duration.between(call.queuedAt, answeredAt).toSeconds());
        DepartmentLine line = call.line;
        desktops.screenPop(new ScreenPop(agentId, call.draftId, call.linkedId, call.callerNumber, call.dialled,
                line == null ? null : line.name(), line == null ? null : line.department(), call.skill,
                List.copyOf(call.ivrPath), wait, answeredAt, call.history));
    }

    /** Reads the caller's earlier tickets off the loop while the call waits; the screen-pop shows them. */
    private void prefetchHistory(ActiveCall call) {
        String caller = call.callerNumber;
        String linkedId = call.linkedId;
        if (caller.isEmpty()) {
            return;
        }
        try {
            ticketIo.execute(() -> {
                List<ScreenPop.TicketBrief> history = new ArrayList<>();
                try {
                    for (Ticket t : tickets.find(new TicketQuery(caller, null, null, null, HISTORY_ON_POP, 0))) {
                        history.add(new ScreenPop.TicketBrief(t.number(), t.call().line(),
                                t.call().disposition().wireName(), t.call().agent(), t.call().endedAt(),
                                t.form().getOrDefault("summary", "")));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not read earlier tickets of the caller of call {}: {}", linkedId, rootMessage(e));
                    return;
                }
                post(() -> {
                    ActiveCall c = calls.get(linkedId);
                    if (c != null) {
                        c.history = List.copyOf(history);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("ticket I/O is closed; no history for call {}", linkedId);
        }
    }

    private void bridgeLeft(PbxEvent.BridgeLeft e) {
        ActiveCall call = calls.get(e.channel().linkedId());
        // in a three-party conference the far end may leave while the agent talks on: the agent's hang-up ends the talk
        if (call != null && call.threeParty == null && call.answeredAt != null && call.talkEndedAt == null) {
            call.talkEndedAt = clock.instant();
        }
    }

    private void hangupRequested(PbxEvent.HangupRequested e) {
        ActiveCall call = callOf(e.channel());
        if (call == null || call.threeParty == null && !call.linkedId.equals(e.channel().linkedId())) {
            // only a three-party call's legs are followed by Uniqueid here
            return;
        }
        if (call.threeParty != null && !isCallerLeg(call, e.channel())) {
            threeParty.legGone(call, e.channel());
            return;
        }
        if (call.endedBy != null) {
            return;
        }
        if (e.channel().isCallOrigin()) {
            call.endedBy = "caller";
        } else if (IvrOutcomeTracking.farEndHungUp(call, e.channel())) {
            return;
        } else if (call.agentChannel != null && call.agentChannel.uniqueId().equals(e.channel().uniqueId())
                && call.answeredAt != null) {
            call.endedBy = "agent";
        }
    }

    private void channelHungUp(PbxEvent.ChannelHungUp e) {
        ActiveCall call = callOf(e.channel());
        if (call == null) {
            return;
        }
        Instant now = clock.instant();
        // the caller's leg is known by its Uniqueid, which Asterisk keeps with the surviving channel of a masquerade
        // even when its Linkedid changes
        boolean callerLeg = call.callerChannel != null
                ? call.callerChannel.uniqueId().equals(e.channel().uniqueId()) : e.channel().isCallOrigin();
        if (!callerLeg) {
            if (call.agentChannel != null && call.agentChannel.uniqueId().equals(e.channel().uniqueId())) {
                endTalk(call, now);
            }
            if (call.threeParty != null) {
                threeParty.legGone(call, e.channel());
            }
            return;
        }
        // the caller's leg goes first when the caller hangs up (trace 03): the agent's talk ends with it
        endCall(call, now, null);
    }

    /**
     * After a (re)login: every call known from an earlier session is checked against the live channels. A call whose
     * caller channel is gone ended unseen (one ticket, ended by "system"); an answered call whose agent leg is gone
     * is no longer talking (the agent goes to wrap-up); an offered call whose caller is back on hold without an agent
     * leg lost its offer (the agent is ready again, the call waits again); one bridged with an agent leg was answered.
     * Agents still offered or talking for a call the model no longer has are released.
     */
    private void resynced(PbxEvent.Resynced e) {
        Instant now = clock.instant();
        Map<String, ChannelSnapshot> byUniqueId = new java.util.HashMap<>();
        for (ChannelSnapshot c : e.channels()) {
            byUniqueId.put(c.channel().uniqueId(), c);
        }
        int ended = 0;
        for (ActiveCall call : List.copyOf(calls.values())) {
            if (call.amiSession >= amiSession) {
                continue;
            }
            String callerId = call.callerChannel != null ? call.callerChannel.uniqueId() : call.linkedId;
            ChannelSnapshot caller = byUniqueId.get(callerId);
            if (caller == null) {
                LOG.warn("call {} ended while the AMI session was down; closing it", call.linkedId);
                endCall(call, now, "system");
                ended++;
                continue;
            }
            call.amiSession = amiSession;
            call.callerChannel = caller.channel();
            if (call.answeredAt != null) {
                if (call.agentChannel != null && !byUniqueId.containsKey(call.agentChannel.uniqueId())) {
                    endTalk(call, now);
                }
                continue;
            }
            if (call.offeredAgent == null || call.connectPending) {
                continue;
            }
            ChannelSnapshot leg = e.channels().stream().filter(c -> !c.channel().uniqueId().equals(callerId)
                    && c.channel().linkedId().equals(call.linkedId)).findFirst().orElse(null);
            if (leg != null && leg.bridged() && caller.bridged()) {
                answered(call, leg.channel());
            } else if (leg == null && settings.waitContext().equals(caller.context())) {
                call.dialCancelled = true;
                channelOnHold(new PbxEvent.ChannelOnHold(caller.channel(), caller.context()));
            }
        }
        releaseStrandedAgents(now);
        LOG.info("AMI resync: {} live channel(s), {} call(s) ended while disconnected, {} call(s) followed",
                e.channels().size(), ended, calls.size());
    }

    /** Ends every call matching {@code which} (one ticket each) and releases agents left without a call. */
    private void endCallsWhere(java.util.function.Predicate<ActiveCall> which, String why) {
        Instant now = clock.instant();
        for (ActiveCall call : List.copyOf(calls.values())) {
            if (which.test(call)) {
                LOG.warn("call {} ends: {}", call.linkedId, why);
                endCall(call, now, "system");
            }
        }
        releaseStrandedAgents(now);
    }

    private void releaseStrandedAgents(Instant now) {
        for (AgentStatus agent : acd.agents()) {
            String callId = agent.callId();
            if (callId == null || calls.containsKey(callId)) {
                continue;
            }
            String agentId = agent.profile().id();
            try {
                if (agent.state() == AgentState.OFFERED) {
                    LOG.warn("agent {} was offered call {}, which is gone; the agent is ready again", agentId,
                            callId);
                    acd.abandon(callId);
                } else if (agent.state() == AgentState.TALKING) {
                    LOG.warn("agent {} was talking on call {}, which is gone; wrap-up starts", agentId, callId);
                    acd.callEnded(agentId);
                    loop.schedule(() -> wrapUpExpired(agentId, callId), settings.wrapUpMax().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            } catch (AcdException ex) {
                LOG.warn("could not release agent {} from call {}: {}", agentId, callId, ex.getMessage());
            }
        }
    }

    /** The call is over: the ACD lets it go, the agent's talk ends, and its one ticket is written. */
    private void endCall(ActiveCall call, Instant now, String endedBy) {
        if (call.threeParty != null) {
            threeParty.callEnded(call);
        }
        calls.remove(call.linkedId);
        endedCalls.add(call.linkedId);
        announcer.left(call.linkedId);
        if (call.answeredAt == null) {
            acd.abandon(call.linkedId);
        } else {
            endTalk(call, now);
        }
        if (call.endedBy == null) {
            call.endedBy = endedBy;
        }
        writeTicket(call.summarize(now));
    }

    /** The conversation is over (whichever leg went first): the agent enters wrap-up, once. */
    private void endTalk(ActiveCall call, Instant now) {
        if (call.agent == null) {
            return;
        }
        if (call.talkEndedAt == null) {
            call.talkEndedAt = now;
        }
        String agentId = call.agent;
        AgentStatus status = acd.agent(agentId).orElseThrow();
        if (status.state() == AgentState.TALKING && call.linkedId.equals(status.callId())) {
            acd.callEnded(agentId);
            Draft draft = call.draftId == null ? null : drafts.get(call.draftId);
            if (draft != null && draft.formVersion > 0) {
                // the agent saved the form during the talk: nothing left to wrap up
                acd.wrapUpDone(agentId);
                return;
            }
            String linkedId = call.linkedId;
            loop.schedule(() -> wrapUpExpired(agentId, linkedId), settings.wrapUpMax().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void wrapUpExpired(String agentId, String linkedId) {
        AgentStatus status = acd.agent(agentId).orElseThrow();
        if (status.state() == AgentState.WRAP_UP && linkedId.equals(status.callId())) {
            LOG.info("agent {} wrap-up reached its limit of {}; agent is ready", agentId, settings.wrapUpMax());
            readying(agentId, () -> acd.wrapUpDone(agentId));
        }
    }

    private void clearOffer(ActiveCall call) {
        call.offeredAgent = null;
        call.connectPending = false;
        call.dialFailure = null;
        call.dialCancelled = false;
    }

    // ---------------------------------------------------------------- ACD decisions

    private final class AcdBinding implements AcdListener {
        @Override
        public void offer(Offer offer) {
            if (offer.agentId().equals(readyingAgent)) {
                // the hot path (agent ready → phone ringing): connected as soon as the engine call returns, in the
                // same loop task, rather than queued behind whatever else the loop has to do
                offersToReadyingAgent.add(offer);
                return;
            }
            // posted: the engine must not be re-entered from its own callback
            post(() -> connect(offer));
        }

        @Override
        public void agentChanged(AgentStatus agent, AgentState previous) {
            AgentView view = view(agent);
            Optional<CallEvent> change = CallEvent.agentChange(agent.profile().id(),
                    previous == null ? null : previous.wireName(), agent.state().wireName(), agent.reason(),
                    clock.instant());
            Runnable tell = () -> {
                desktops.agentChanged(view);
                change.ifPresent(ledger::record);
            };
            if (readyingAgent != null) {
                // desktop pushes and the ledger wait until the readied agent's phone has been asked to ring
                afterReadyOffers.add(tell);
            } else {
                tell.run();
            }
        }

        @Override
        public void event(AcdEvent event) {
            if (event instanceof AcdEvent.CallExited e) {
                post(() -> queueExited(e));
            } else if (event instanceof AcdEvent.CallQueued e && e.resumedPlace()) {
                // the caller gave up within the queue's rejoin window and called again: the ticket says so
                post(() -> {
                    ActiveCall call = calls.get(e.callId());
                    if (call != null) {
                        call.addPath("rejoined:" + e.queue());
                        LOG.info("call {} resumed an earlier place in queue {}", e.callId(), e.queue());
                    }
                });
            } else if (event instanceof AcdEvent.CallbackDue e) {
                // the event carries the caller's number: logged by call id only
                post(() -> {
                    callbackTasks.add(e);
                    LOG.info("call back due for call {} of queue {} (place held {} s)", e.callId(), e.queue(),
                            e.waited().toSeconds());
                });
            } else if (event instanceof AcdEvent.CallOverflowed || event instanceof AcdEvent.ReserveChanged
                    || event instanceof AcdEvent.PoolChanged || event instanceof AcdEvent.QueueOpenChanged) {
                LOG.info("ACD: {}", event);
            } else {
                LOG.debug("ACD: {}", event);
            }
        }
    }

    /**
     * The engine let a waiting call go to voicemail or a callback: the caller is taken off music to
     * {@value QueueExits#CONTEXT} (see {@link QueueExits}), and never queued again. A callback exit is a call back
     * owed at once ({@code GET /api/callbacks}); the caller hears the confirmation and the dialplan hangs up.
     */
    private void queueExited(AcdEvent.CallExited e) {
        ActiveCall call = calls.get(e.callId());
        if (call == null || call.answeredAt != null) {
            return;
        }
        if (call.threeParty != null) {
            threeParty.queueExited(call);
            return;
        }
        call.queued = false;
        call.queueExit = e.target().kind();
        announcer.left(call.linkedId);
        call.addPath(QueueExits.pathStep(e));
        LOG.info("call {} leaves queue {} for {} ({})", call.linkedId, e.queue(), e.target(), e.reason());
        if (e.target().kind() == org.hotlinecti.acd.ExitTarget.Kind.CALLBACK) {
            callbackTasks.add(e, call.callerNumber, call.queuedAt == null ? Duration.ZERO
                    : Duration.between(call.queuedAt, e.at()));
        }
        if (call.callerChannel == null) {
            return;
        }
        String linkedId = call.linkedId;
        try {
            pbx.redirect(call.callerChannel.name(), QueueExits.CONTEXT, QueueExits.exten(e.target()),
                    QueueExits.variables(call.line)).whenComplete((ok, failure) -> {
                        if (failure != null) {
                            LOG.error("could not send call {} to {}: {}; the caller stays on hold until it hangs up",
                                    linkedId, e.target(), rootMessage(failure));
                        }
                    });
        } catch (RuntimeException ex) {
            LOG.error("could not send call {} to {}: {}", linkedId, e.target(), rootMessage(ex));
        }
    }

    /**
     * The engine has no timers of its own: after work on the loop, one wake-up is kept scheduled at the engine's next
     * deadline (relaxation step, max wait, reserve threshold, back-off, schedule change), where it ticks, or at the
     * next queue announcement if that comes first.
     */
    private void scheduleAcdWake() {
        Instant next = earlier(acd.nextDeadline().orElse(null), announcer.nextDeadline().orElse(null));
        if (java.util.Objects.equals(next, acdWakeAt) && (next == null || acdWake == null
                || next.isAfter(clock.instant()) || acdWake.getDelay(TimeUnit.MILLISECONDS) <= 0)) {
            // same instant still ahead (or its wake-up is firing); a clock moved past it re-arms at once
            return;
        }
        if (acdWake != null) {
            acdWake.cancel(false);
        }
        acdWake = null;
        acdWakeAt = next;
        if (next != null) {
            long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis());
            try {
                acdWake = loop.schedule(() -> post(() -> {
                    acdWakeAt = null;
                    acdWake = null;
                    acd.tick();
                    // after the offers the tick made (posted): a call offered now is not announced
                    post(() -> announcer.announceDue(clock.instant(), calls::get, acd, pbx, amiConnected,
                            this::post));
                }), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                LOG.debug("call service is closed; no ACD wake-up");
            }
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private void connect(Offer offer) {
        ActiveCall call = calls.get(offer.callId());
        if (call == null || !acd.isQueued(offer.callId())) {
            return;
        }
        clearOffer(call);
        call.offeredAgent = offer.agentId();
        call.offerAttempt = offer.attempt();
        call.agentChannel = null;
        Instant offeredAt = clock.instant();
        // the PBX first: logging and the ledger are not on the ready → ringing path
        sendOffer(call);
        LOG.info("offering call {} to agent {} (attempt {})", call.linkedId, offer.agentId(), offer.attempt());
        ledger.record(CallEvent.of(call.linkedId, CallEventKind.OFFERED, offeredAt, offer.agentId(),
                call.skill, CallEvent.details("attempt", String.valueOf(offer.attempt()))));
    }

    /** Sends the caller to the offered agent, or keeps the offer until the AMI session is back. */
    private void sendOffer(ActiveCall call) {
        String agentId = call.offeredAgent;
        int attempt = call.offerAttempt;
        if (!amiConnected) {
            call.connectPending = true;
            LOG.info("AMI is down: the offer of call {} to agent {} waits for it", call.linkedId, agentId);
            return;
        }
        call.connectPending = false;
        String extension = acd.agent(agentId).orElseThrow().profile().extension();
        String linkedId = call.linkedId;
        if (threeParty.offer(call, agentId, attempt, extension)) {
            // the agent is rung into the caller's conference; the Originate's outcome settles the offer
            return;
        }
        try {
            // a Redirect alone: each extra action before it is one more AMI round trip between the agent becoming
            // ready and the phone ringing (the ring timeout is a dialplan global, set at every login)
            pbx.connectToAgent(call.callerChannel.name(), extension, Map.of()).whenComplete((ok, failure) -> {
                if (failure != null) {
                    post(() -> connectFailed(linkedId, agentId, attempt, failure));
                }
            });
        } catch (RuntimeException e) {
            // posted like an asynchronous failure, so the ledger has the offer before its failure
            post(() -> connectFailed(linkedId, agentId, attempt, e));
            return;
        }
        loop.schedule(() -> offerWatchdog(linkedId, agentId, attempt),
                settings.ringTimeout().plus(settings.offerGrace()).toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The connect context reads the ring timeout from the dialplan global {@value #RING_TIMEOUT_VARIABLE}: set after
     * every AMI login, since a restarted Asterisk has lost it (until then its [globals] default applies).
     */
    private void setRingTimeout() {
        String seconds = String.valueOf(Math.max(1, settings.ringTimeout().toSeconds()));
        try {
            pbx.setGlobalVariable(RING_TIMEOUT_VARIABLE, seconds).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warn("could not set the ring timeout {} s in the dialplan ({}); Asterisk's default applies",
                            seconds, rootMessage(failure));
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not set the ring timeout in the dialplan: {}", e.getMessage());
        }
    }

    private boolean stillOffered(ActiveCall call, String agentId, int attempt) {
        return call != null && agentId.equals(call.offeredAgent) && call.offerAttempt == attempt;
    }

    private void connectFailed(String linkedId, String agentId, int attempt, Throwable failure) {
        ActiveCall call = calls.get(linkedId);
        if (!stillOffered(call, agentId, attempt)) {
            return;
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (!(cause instanceof PbxActionException pe)) {
            // the request itself is wrong (bad extension or variable in the configuration): this agent cannot be
            // reached; the call goes to someone else
            LOG.error("cannot send call {} to agent {}: {}", linkedId, agentId, rootMessage(cause));
            clearOffer(call);
            acd.offerFailed(linkedId, agentId, OfferFailure.UNREACHABLE);
            return;
        }
        switch (pe.outcome()) {
            case REFUSED -> {
                if (pe.channelGone()) {
                    // the caller is gone and its Hangup was not seen (lost with an AMI connection): end it now
                    LOG.warn("call {} was offered to agent {} but its channel is gone ({}); ending the call",
                            linkedId, agentId, pe.getMessage());
                    endCall(call, clock.instant(), "system");
                    return;
                }
                LOG.warn("Asterisk refused to send call {} to agent {}: {}", linkedId, agentId, pe.getMessage());
                clearOffer(call);
                // not the agent's fault; the call leaves the engine for a moment so it is not sent straight back
                acd.abandon(linkedId);
                call.queued = false;
                loop.schedule(() -> requeueIfStillWaiting(linkedId), 1, TimeUnit.SECONDS);
            }
            case NOT_SENT -> {
                LOG.warn("could not send call {} to agent {} ({}); resending when AMI is back", linkedId, agentId,
                        pe.getMessage());
                // resent when AMI is back; on a live session the watchdog decides rather than resending in a spin
                call.connectPending = !amiConnected;
            }
            case UNKNOWN -> LOG.warn("no answer to the Redirect of call {} to agent {} ({}); waiting for the outcome",
                    linkedId, agentId, pe.getMessage());
        }
    }

    /** An offer that produced nothing (no dial, no return to hold, no hang-up) is withdrawn and made again. */
    private void offerWatchdog(String linkedId, String agentId, int attempt) {
        ActiveCall call = calls.get(linkedId);
        if (!stillOffered(call, agentId, attempt) || call.connectPending) {
            return;
        }
        LOG.warn("the offer of call {} to agent {} had no outcome within {} s; offering the call again", linkedId,
                agentId, settings.ringTimeout().plus(settings.offerGrace()).toSeconds());
        clearOffer(call);
        acd.offerWithdrawn(linkedId, agentId);
    }

    private void requeueIfStillWaiting(String linkedId) {
        ActiveCall call = calls.get(linkedId);
        if (call != null && !call.queued && call.answeredAt == null) {
            call.queued = true;
            acd.enqueue(acdRequest(call));
        }
    }

    // ---------------------------------------------------------------- tickets

    private void writeTicket(CallSummary summary) {
        Draft draft = summary.draftId() == null ? null : drafts.get(summary.draftId());
        Map<String, String> form = draft == null || draft.form == null ? Map.of() : draft.form;
        int formVersion = draft == null ? 0 : draft.formVersion;
        LOG.info("call {} ended: {} at {}, caller {}, agent {}", summary.linkedId(), summary.disposition().wireName(),
                summary.endStage().wireName(), PhoneNumbers.mask(summary.caller()), summary.agent());
        unsaved.put(summary.linkedId(), new PendingTicket(summary, form));
        ledger.record(CallEvent.of(summary.linkedId(), CallEventKind.ENDED, summary.endedAt(), summary.agent(),
                summary.skill(), CallEvent.details("disposition", summary.disposition().wireName(), "stage",
                        summary.endStage().wireName(), "ended_by", summary.endedBy())));
        saveTicket(summary, form, formVersion, FIRST_RETRY_DELAY);
    }

    private void saveTicket(CallSummary summary, Map<String, String> form, int formVersion, Duration delay) {
        io("the ticket of call " + summary.linkedId(), delay, () -> {
            // returns once the ticket is durable (journal fsync): a database outage holds neither this thread nor
            // the hang-up; the database takes the ticket later and the desktop hears of it then
            CompletionStage<Ticket> stored = tickets.handOver(summary, form);
            unsaved.remove(summary.linkedId());
            stored.whenComplete((saved, failure) -> {
                if (failure != null) {
                    LOG.error("the database refused the ticket of call {} for good: {}", summary.linkedId(),
                            rootMessage(failure));
                    return;
                }
                ticketsWritten.incrementAndGet();
                post(() -> ticketWritten(saved, formVersion));
            });
        }, next -> saveTicket(summary, form, formVersion, next));
    }

    private void ticketWritten(Ticket ticket, int formVersion) {
        desktops.ticketSaved(ticket);
        String draftId = ticket.call().draftId();
        Draft draft = draftId == null ? null : drafts.get(draftId);
        if (draft == null) {
            return;
        }
        draft.ticketNumber = ticket.number();
        if (draft.formVersion != formVersion) {
            // the agent saved (again) while the ticket was being written
            saveForm(draftId, draft.form, FIRST_RETRY_DELAY);
        }
    }

    private void saveForm(String draftId, Map<String, String> form, Duration delay) {
        // returns once the form is durable (journal fsync) and is retried only when it could not be journaled: a form
        // the journal holds is never sent again, so no retry of it can overwrite a later save of the same draft
        io("the form of draft " + draftId, delay, () -> tickets.handOverForm(draftId, form).whenComplete(
                (saved, failure) -> {
                    if (failure != null) {
                        LOG.error("the database refused the form of draft {} for good: {}", draftId,
                                rootMessage(failure));
                    } else {
                        saved.ifPresentOrElse(desktops::ticketSaved,
                                () -> LOG.warn("no ticket has draft {}; its form was not saved", draftId));
                    }
                }), next -> saveForm(draftId, form, next));
    }

    /**
     * Runs store work on the ticket I/O executor; when it fails, {@code retry} runs again after {@code delay}
     * (doubling, at most 30 s) for as long as the service runs. Work still unsaved at close is tried once more then.
     */
    private void io(String what, Duration delay, Runnable work, java.util.function.Consumer<Duration> retry) {
        try {
            ticketIo.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY
                            : delay.multipliedBy(2);
                    LOG.error("could not save {} (retrying in {} ms): {}", what, delay.toMillis(), rootMessage(e));
                    try {
                        loop.schedule(() -> retry.accept(next), delay.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException closed) {
                        LOG.error("could not save {}: the CTI is shutting down", what);
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.error("could not save {}: ticket I/O is shut down", what);
        }
    }

    /** A ticket of an ended call not yet in the store. */
    private record PendingTicket(CallSummary call, Map<String, String> form) {
    }

    /** The ticket form an agent fills for an answered call, and whether its ticket row exists yet. */
    private static final class Draft {
        final String agentId;
        final String linkedId;
        Map<String, String> form;
        int formVersion;
        String ticketNumber;

        Draft(String agentId, String linkedId) {
            this.agentId = agentId;
            this.linkedId = linkedId;
        }
    }

    // ---------------------------------------------------------------- agent commands

    @Override
    public CompletionStage<AgentView> login(String agentId) {
        return onLoop(() -> view(acd.login(agentId)));
    }

    @Override
    public CompletionStage<AgentView> ready(String agentId) {
        return onLoop(() -> view(readying(agentId, () -> acd.ready(agentId))));
    }

    /** Measures "agent ready → phone ringing" from here (scenario runner, demo); null stops it. */
    public void observeReadyOffers(ReadyOfferObserver observer) {
        readyOffers = observer == null ? (agent, extension, callId, at) -> { } : observer;
    }

    /** Runs an engine call that makes {@code agentId} ready; an offer it makes to that agent is timed from here. */
    private AgentStatus readying(String agentId, Supplier<AgentStatus> makeReady) {
        readyingAgent = agentId;
        long since = System.nanoTime();
        try {
            return makeReady.get();
        } finally {
            readyingAgent = null;
            for (Offer offer; (offer = offersToReadyingAgent.poll()) != null; ) {
                Offer o = offer;
                // the observer hears of the offer before the PBX is asked to ring
                runLogged(() -> {
                    acd.agent(o.agentId()).ifPresent(a -> readyOffers.readyAgentOffered(o.agentId(),
                            a.profile().extension(), o.callId(), since));
                    connect(o);
                });
            }
            for (Runnable r; (r = afterReadyOffers.poll()) != null; ) {
                runLogged(r);
            }
        }
    }

    @Override
    public CompletionStage<AgentView> notReady(String agentId, String reason) {
        return onLoop(() -> view(acd.notReady(agentId, reason)));
    }

    /**
     * The agent's phone is idle (Asterisk reports it NOT_INUSE and no channel of it is alive), yet the model has the
     * agent offered or talking: the events that would have ended it were lost (a reconnect, a missed Hangup). An agent
     * offered a call is released from the offer (ready again; the call is offered again); one talking ends the talk
     * (wrap-up, capped as usual). An agent in that state for less than {@code minAge} is left alone: an offer just
     * made has no channel yet, and a device state may arrive late from the previous call. So is an offer whose dial
     * already ended (no answer, busy, cancel: the phone is idle because of it, and the call model settles it when the
     * caller is back on hold) or that waits for AMI. Any other state is left as it is. Completes with the agent's view
     * after the check.
     */
    public CompletionStage<AgentView> releaseIdleAgent(String agentId, Duration minAge) {
        return onLoop(() -> {
            AgentStatus agent = acd.agent(agentId).orElseThrow(
                    () -> new CtiRequestException(CtiRequestException.Kind.NOT_FOUND, "unknown agent " + agentId));
            Instant now = clock.instant();
            if (agent.since() != null && agent.since().plus(minAge).isAfter(now)) {
                return view(agent);
            }
            String callId = agent.callId();
            ActiveCall call = callId == null ? null : calls.get(callId);
            if (agent.state() == AgentState.OFFERED && call != null && agentId.equals(call.offeredAgent)
                    && (call.connectPending || call.dialFailure != null || call.dialCancelled)) {
                // the offer's outcome is known (no answer, busy, cancelled) or it waits for AMI: the phone is idle
                // because the dial ended, and the call model settles it when the caller is back on hold
                return view(agent);
            }
            if (agent.state() == AgentState.OFFERED) {
                LOG.warn("agent {} is offered call {} but the phone is idle with no channel; withdrawing the offer",
                        agentId, callId);
                if (call != null && agentId.equals(call.offeredAgent)) {
                    clearOffer(call);
                    acd.offerWithdrawn(callId, agentId);
                } else {
                    acd.abandon(callId);
                }
            } else if (agent.state() == AgentState.TALKING) {
                LOG.warn("agent {} is talking on call {} but the phone is idle with no channel; wrap-up starts",
                        agentId, callId);
                if (call != null && agentId.equals(call.agent)) {
                    endTalk(call, now);
                } else {
                    releaseStrandedAgents(now);
                }
            }
            return view(acd.agent(agentId).orElseThrow());
        });
    }

    /**
     * The agent's phone is (or no longer is) on a call the CTI did not put there (its own call out, a direct call):
     * routing skips the agent meanwhile. "On" is ignored while the CTI has the agent offered or talking (the phone is
     * then busy with the CTI's own call); "off" may offer the agent a waiting call at once.
     *
     * @throws CtiRequestException (in the stage) for an unknown agent
     */
    public CompletionStage<AgentView> agentOnOtherCall(String agentId, boolean busy) {
        return onLoop(() -> {
            AgentStatus agent = acd.agent(agentId).orElseThrow(
                    () -> new CtiRequestException(CtiRequestException.Kind.NOT_FOUND, "unknown agent " + agentId));
            if (busy && (agent.state() == AgentState.OFFERED || agent.state() == AgentState.TALKING)) {
                return view(agent);
            }
            return view(busy ? acd.onOtherCall(agentId, true)
                    : readying(agentId, () -> acd.onOtherCall(agentId, false)));
        });
    }

    @Override
    public CompletionStage<AgentView> logout(String agentId) {
        return onLoop(() -> view(acd.logout(agentId)));
    }

    @Override
    public CompletionStage<AgentView> submitForm(String agentId, String draftId, Map<String, String> fields) {
        Map<String, String> form = Map.copyOf(new TreeMap<>(fields));
        return onLoop(() -> {
            AgentStatus agent = acd.agent(agentId).orElseThrow(
                    () -> new CtiRequestException(CtiRequestException.Kind.NOT_FOUND, "unknown agent " + agentId));
            Draft draft = drafts.get(draftId);
            if (draft == null) {
                throw new CtiRequestException(CtiRequestException.Kind.NOT_FOUND, "unknown draft " + draftId);
            }
            if (!draft.agentId.equals(agentId)) {
                throw new CtiRequestException(CtiRequestException.Kind.CONFLICT,
                        "draft " + draftId + " belongs to agent " + draft.agentId);
            }
            draft.form = form;
            draft.formVersion++;
            if (draft.ticketNumber != null) {
                saveForm(draftId, form, FIRST_RETRY_DELAY);
            }
            if (agent.state() == AgentState.WRAP_UP && draft.linkedId.equals(agent.callId())) {
                return view(readying(agentId, () -> acd.wrapUpDone(agentId)));
            }
            return view(acd.agent(agentId).orElseThrow());
        });
    }

    @Override
    public CompletionStage<List<AgentView>> agents() {
        return onLoop(() -> acd.agents().stream().map(CallService::view).toList());
    }

    @Override
    public CompletionStage<CtiStatus> status() {
        return onLoop(() -> {
            Map<String, Integer> byState = new TreeMap<>();
            for (AgentStatus a : acd.agents()) {
                byState.merge(a.state().wireName(), 1, Integer::sum);
            }
            return new CtiStatus(startedAt, amiConnected, asteriskVersion, calls.size(), acd.waitingCount(), byState,
                    ticketsWritten.get());
        });
    }

    /** The wallboard: the engine's figures and each waiting call's position and estimate, copied on the loop. */
    @Override
    public CompletionStage<QueueBoard> queueBoard() {
        return onLoop(() -> QueueBoards.take(acd, calls.values().stream()
                .filter(c -> c.queued && c.answeredAt == null).map(c -> c.linkedId).toList()));
    }

    private static AgentView view(AgentStatus s) {
        AgentProfile p = s.profile();
        return new AgentView(p.id(), p.name(), p.extension(), p.skills(), s.state().wireName(), s.reason(), s.since(),
                s.callId());
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * The call a channel belongs to: by Linkedid, else (a Linkedid changed by a transfer, an originate + bridge, or
     * a leg the CTI originated into a conference) by the Uniqueid of the call's caller, agent or transfer leg.
     */
    private ActiveCall callOf(ChannelRef channel) {
        ActiveCall call = calls.get(channel.linkedId());
        if (call != null) {
            return call;
        }
        String id = channel.uniqueId();
        return calls.values().stream().filter(c -> c.callerChannel != null && c.callerChannel.uniqueId().equals(id)
                || c.agentChannel != null && c.agentChannel.uniqueId().equals(id)
                || c.transferLeg != null && c.transferLeg.uniqueId().equals(id)).findFirst().orElse(null);
    }

    private static boolean isCallerLeg(ActiveCall call, ChannelRef channel) {
        return call.callerChannel != null ? call.callerChannel.uniqueId().equals(channel.uniqueId())
                : channel.isCallOrigin();
    }

    /** What {@link ThreePartyTransfers} may do to a call; runs on the call loop. */
    private final class ThreePartyHost implements ThreePartyTransfers.Host {
        @Override
        public ActiveCall call(String linkedId) {
            return calls.get(linkedId);
        }

        @Override
        public void post(Runnable task) {
            CallService.this.post(task);
        }

        @Override
        public void enqueue(ActiveCall call) {
            // the stage stays transfer: the caller talks with the far end while the call waits for an agent
            call.queued = true;
            ledger.record(CallEvent.of(call.linkedId, CallEventKind.QUEUED, clock.instant(), null, call.skill,
                    CallEvent.details("line", call.dialled, "caller", call.callerNumber)));
            acd.enqueue(acdRequest(call));
            prefetchHistory(call);
        }

        @Override
        public boolean stillOffered(ActiveCall call, String agentId, int attempt) {
            return CallService.this.stillOffered(call, agentId, attempt);
        }

        @Override
        public void agentAnswered(ActiveCall call, ChannelRef leg) {
            answered(call, leg);
        }

        @Override
        public void offerFailed(ActiveCall call, String agentId, OfferFailure failure) {
            clearOffer(call);
            ledger.record(CallEvent.of(call.linkedId, CallEventKind.OFFER_FAILED, clock.instant(), agentId,
                    call.skill, CallEvent.details("reason", failure == null ? "cancelled"
                            : failure.name().toLowerCase(java.util.Locale.ROOT))));
            if (failure == null) {
                acd.offerWithdrawn(call.linkedId, agentId);
            } else {
                acd.offerFailed(call.linkedId, agentId, failure);
            }
        }
    }

    private ActiveCall callFor(ChannelRef channel, Instant now) {
        ActiveCall call = calls.computeIfAbsent(channel.linkedId(), id -> {
            ActiveCall created = new ActiveCall(id, now);
            created.amiSession = amiSession;
            return created;
        });
        if (call.callerChannel == null && channel.isCallOrigin()) {
            call.callerChannel = channel;
        }
        return call;
    }

    private <T> CompletionStage<T> onLoop(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        post(() -> {
            try {
                result.complete(work.get());
            } catch (AcdException e) {
                result.completeExceptionally(new CtiRequestException(switch (e.kind()) {
                    case UNKNOWN_AGENT, UNKNOWN_CALL -> CtiRequestException.Kind.NOT_FOUND;
                    case ILLEGAL_STATE -> CtiRequestException.Kind.CONFLICT;
                }, e.getMessage()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("call loop task failed", e);
        }
    }

    private void post(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("call loop task failed", e);
                }
                scheduleAcdWake();
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("call service is closed; dropped a task");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * Stops the call loop after the work already posted, then tries once more, on this thread, every ticket of an
     * ended call that is not in the store yet; any that still fails is logged with its Linkedid.
     */
    @Override
    public void close() {
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
        }
        for (PendingTicket pending : List.copyOf(unsaved.values())) {
            try {
                tickets.handOver(pending.call(), pending.form());
                unsaved.remove(pending.call().linkedId());
            } catch (RuntimeException e) {
                LOG.error("the ticket of call {} (caller {}) could not be saved before shutdown: {}",
                        pending.call().linkedId(), PhoneNumbers.mask(pending.call().caller()), rootMessage(e));
            }
        }
    }
}
