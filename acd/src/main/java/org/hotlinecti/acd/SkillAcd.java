package org.hotlinecti.acd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The skill-based routing engine behind {@link AcdEngine}.
 *
 * <p><b>Indexes, so that a decision is never a scan.</b> Ready agents sit in buckets per (skill, level); each bucket
 * keeps an array (for random picks) and ordered sets for the orderings the configured strategies need (idle since,
 * calls answered, talk time, definition order). A call looks at the buckets of the requirements in force (at most
 * 10 levels per requirement) and takes the best bucket head. Waiting calls sit in ordered sets per (queue, relaxation
 * step), ordered by score key then arrival; a freed agent looks only at the heads of the steps whose requirements
 * it meets (found through a per-skill list of (queue, step, requirement)). Both directions are
 * O(requirements × levels × log n).
 *
 * <p><b>Score.</b> A call's score at time t is {@code (t - arrival) + queue boost + priority × priority boost}. All
 * calls age at the same rate, so the order never changes over time and is kept as a static key
 * {@code arrival - boosts}; the lower key is served first, ties in arrival order (a sequence number).
 */
public final class SkillAcd implements AcdEngine {

    private static final int MAX_LEVEL = 10;
    private static final int MAX_PAUSES_KEPT = 100;
    private static final double EWMA_ALPHA = 0.25;

    static final int ORDER_IDLE = 0;
    static final int ORDER_CALLS = 1;
    static final int ORDER_TALK = 2;
    static final int ORDER_ORDINAL = 3;

    private static final Comparator<Agent> BY_IDLE = (a, b) -> {
        int c = Long.compare(a.idleSinceMs, b.idleSinceMs);
        return c != 0 ? c : Integer.compare(a.ordinal, b.ordinal);
    };
    private static final Comparator<Agent> BY_CALLS = (a, b) -> {
        int c = Long.compare(a.answeredCalls, b.answeredCalls);
        return c != 0 ? c : BY_IDLE.compare(a, b);
    };
    private static final Comparator<Agent> BY_TALK = (a, b) -> {
        int c = Long.compare(a.talkMs, b.talkMs);
        return c != 0 ? c : BY_IDLE.compare(a, b);
    };
    private static final Comparator<Agent> BY_ORDINAL = (a, b) -> Integer.compare(a.ordinal, b.ordinal);
    private static final List<Comparator<Agent>> ORDERS = List.of(BY_IDLE, BY_CALLS, BY_TALK, BY_ORDINAL);

    private static final Comparator<Call> CALL_ORDER = (a, b) -> {
        int c = Long.compare(a.key, b.key);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    };
    private static final Comparator<Call> BY_QUEUED_AT = (a, b) -> {
        int c = Long.compare(a.queuedAtMs, b.queuedAtMs);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    };

    private final Clock clock;
    private final RandomGenerator random;
    private final AcdListener listener;
    private AcdSettings settings;

    private final Map<String, Integer> skillIds = new HashMap<>();
    private final List<SkillSlot> skills = new ArrayList<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final List<Agent> agentList = new ArrayList<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<String, Rejoin> rejoins = new LinkedHashMap<>();
    private final TimerQueue timers = new TimerQueue();
    private final boolean[] maintained = new boolean[ORDERS.size()];
    private final RollingStats overall = new RollingStats();
    private long sequence;
    private long timerSequence;
    private int waitingTotal;
    /** Bumped when queues or agent skills change: agents' cached candidate lists are rebuilt on next use. */
    private long configVersion;
    /** While {@link #tick()} applies due timers: calls to route once all of them are applied, else null. */
    private List<Call> deferred;

    /**
     * @param random the generator of the random strategies; inject a seeded one for reproducible runs
     */
    public SkillAcd(Clock clock, RandomGenerator random, AcdSettings settings, AcdListener listener) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        maintained[ORDER_IDLE] = true;
    }

    /** An engine with {@link AcdSettings#defaults()} and a generator seeded with 1. */
    public SkillAcd(Clock clock, AcdListener listener) {
        this(clock, new java.util.SplittableRandom(1), AcdSettings.defaults(), listener);
    }

    // ================================================================== configuration

    @Override
    public void defineAgent(AgentProfile profile) {
        Agent a = agents.get(profile.id());
        long now = clock.millis();
        if (a == null) {
            a = new Agent(agentList.size(), now);
            agents.put(profile.id(), a);
            agentList.add(a);
            setSkills(a, profile);
            return;
        }
        boolean indexed = a.indexed;
        if (indexed) {
            unindex(a);
        }
        boolean staffed = a.state != AgentState.LOGGED_OUT;
        if (staffed) {
            staff(a, -1);
        }
        setSkills(a, profile);
        if (staffed) {
            staff(a, +1);
        }
        if (indexed) {
            index(a);
            routeAgent(a, now);
        }
    }

    private void setSkills(Agent a, AgentProfile profile) {
        a.profile = profile;
        a.candidatesVersion = -1;
        TreeMap<String, Integer> sorted = new TreeMap<>(profile.skills());
        a.skill = new int[sorted.size()];
        a.level = new int[sorted.size()];
        a.pos = new int[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : sorted.entrySet()) {
            a.skill[i] = skillId(e.getKey());
            a.level[i] = e.getValue();
            i++;
        }
    }

    @Override
    public void defineQueue(QueueConfig config) {
        long now = clock.millis();
        Queue q = queues.get(config.name());
        List<Call> members = List.of();
        if (q == null) {
            q = new Queue(config.name(), settings.defaultAht().toMillis());
            queues.put(config.name(), q);
        } else {
            members = new ArrayList<>(q.members);
            for (Call c : members) {
                detach(c);
            }
        }
        q.cfg = config;
        q.build(this);
        for (Strategy s : queuesStrategies()) {
            maintain(orderOf(s));
        }
        rebuildRefs();
        for (Call c : members) {
            attach(c, q, now);
        }
        cancel(q.openTimer);
        q.open = config.open().isOn(Instant.ofEpochMilli(now));
        armOpenTimer(q, now);
        if (!q.open) {
            closeQueue(q, now);
        }
        updateReserves(q, now);
        routeAllReady(now);
    }

    private List<Strategy> queuesStrategies() {
        List<Strategy> all = new ArrayList<>();
        for (Queue q : queues.values()) {
            all.add(q.cfg.strategy());
        }
        return all;
    }

    @Override
    public List<QueueConfig> queues() {
        List<QueueConfig> all = new ArrayList<>();
        queues.values().forEach(q -> all.add(q.cfg));
        return all;
    }

    @Override
    public void definePool(String skill, Schedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        long now = clock.millis();
        SkillSlot slot = skills.get(skillId(skill));
        slot.pool = schedule;
        cancel(slot.poolTimer);
        setPool(slot, schedule.isOn(Instant.ofEpochMilli(now)), now);
        armPoolTimer(slot, now);
    }

    @Override
    public void updateSettings(AcdSettings newSettings) {
        Objects.requireNonNull(newSettings, "settings");
        boolean rescore = !newSettings.priorityBoost().equals(settings.priorityBoost());
        settings = newSettings;
        if (rescore) {
            long now = clock.millis();
            for (Queue q : queues.values()) {
                List<Call> members = new ArrayList<>(q.members);
                members.forEach(this::detach);
                members.forEach(c -> attach(c, q, now));
            }
        }
    }

    @Override
    public AcdSettings settings() {
        return settings;
    }

    // ================================================================== agents

    @Override
    public AgentStatus login(String agentId) {
        Agent a = agent0(agentId);
        require(a, AgentState.LOGGED_OUT);
        long now = clock.millis();
        staff(a, +1);
        a.answeredCalls = 0;
        a.talkMs = 0;
        a.noAnswers = 0;
        move(a, AgentState.NOT_READY, "login", null, now, -1);
        return a.status();
    }

    @Override
    public AgentStatus ready(String agentId) {
        Agent a = agent0(agentId);
        require(a, AgentState.NOT_READY, AgentState.WRAP_UP, AgentState.READY);
        if (a.state != AgentState.READY) {
            long now = clock.millis();
            if (a.state == AgentState.WRAP_UP) {
                handled(a, now);
            }
            move(a, AgentState.READY, null, null, now, -1, false);
            routeAgent(a, now);
        }
        return a.status();
    }

    @Override
    public AgentStatus notReady(String agentId, String reason) {
        Objects.requireNonNull(reason, "reason");
        Agent a = agent0(agentId);
        require(a, AgentState.READY, AgentState.NOT_READY, AgentState.WRAP_UP);
        long now = clock.millis();
        if (a.state == AgentState.WRAP_UP) {
            handled(a, now);
        }
        move(a, AgentState.NOT_READY, reason, null, now, -1);
        return a.status();
    }

    @Override
    public AgentStatus logout(String agentId) {
        Agent a = agent0(agentId);
        require(a, AgentState.READY, AgentState.NOT_READY, AgentState.WRAP_UP, AgentState.LOGGED_OUT);
        if (a.state != AgentState.LOGGED_OUT) {
            long now = clock.millis();
            if (a.state == AgentState.WRAP_UP) {
                handled(a, now);
            }
            staff(a, -1);
            move(a, AgentState.LOGGED_OUT, null, null, now, -1);
        }
        return a.status();
    }

    @Override
    public AgentStatus onOtherCall(String agentId, boolean busy) {
        Agent a = agent0(agentId);
        if (a.otherCall != busy) {
            long now = clock.millis();
            if (a.indexed) {
                unindex(a);
            }
            a.otherCall = busy;
            if (routable(a)) {
                index(a);
            }
            listener.agentChanged(a.status(), a.state);
            routeAgent(a, now);
        }
        return a.status();
    }

    @Override
    public void callEnded(String agentId) {
        Agent a = agent0(agentId);
        require(a, AgentState.TALKING);
        long now = clock.millis();
        a.talkMs += now - a.talkStartMs;
        Queue q = a.lastQueue;
        long cap = q == null ? settings.defaultWrapUpMax().toMillis() : q.cfg.wrapUpMax().toMillis();
        move(a, AgentState.WRAP_UP, null, a.callId, now, now + cap);
    }

    @Override
    public AgentStatus wrapUpDone(String agentId) {
        Agent a = agent0(agentId);
        require(a, AgentState.WRAP_UP);
        long now = clock.millis();
        handled(a, now);
        move(a, AgentState.READY, null, null, now, -1, false);
        routeAgent(a, now);
        return a.status();
    }

    /** The agent's call and wrap-up are over: feeds the queue's average handle time. */
    private void handled(Agent a, long now) {
        Queue q = a.lastQueue;
        if (q != null) {
            q.ahtMs += EWMA_ALPHA * ((now - a.talkStartMs) - q.ahtMs);
        }
    }

    @Override
    public Optional<AgentStatus> agent(String agentId) {
        Agent a = agents.get(agentId);
        return a == null ? Optional.empty() : Optional.of(a.status());
    }

    @Override
    public List<AgentStatus> agents() {
        List<AgentStatus> all = new ArrayList<>(agentList.size());
        agentList.forEach(a -> all.add(a.status()));
        return all;
    }

    @Override
    public List<PauseSession> pauseSessions(String agentId) {
        Agent a = agent0(agentId);
        return a.pauses == null ? List.of() : List.copyOf(a.pauses);
    }

    // ================================================================== calls

    @Override
    public void enqueue(CallRequest request) {
        if (calls.containsKey(request.callId())) {
            throw new AcdException(AcdException.Kind.ILLEGAL_STATE, "call " + request.callId() + " is already queued");
        }
        Queue q = resolveQueue(request);
        long now = clock.millis();
        Call c = new Call(request, sequence++, now);
        boolean resumed = false;
        if (request.caller() != null) {
            purgeRejoins(now);
            Rejoin old = rejoins.remove(q.name + '\u0000' + request.caller());
            if (old != null && old.expiresMs > now) {
                c.arrivalMs = old.arrivalMs;
                c.seq = old.seq;
                resumed = true;
            }
        }
        calls.put(c.id, c);
        enter(c, q, now, resumed, 0);
    }

    /** A call arrives at {@code q} (new, or moved there by an exit of {@code from}): closed and diversion checks. */
    private void enter(Call c, Queue q, long now, boolean resumed, int hops) {
        c.queuedAtMs = now;
        if (!q.open) {
            leave(c, q, now, AcdEvent.ExitReason.CLOSED, q.cfg.closedTarget(), hops);
            return;
        }
        Diversion d = q.cfg.diversion();
        if (d != null && diverts(q, d)) {
            leave(c, q, now, AcdEvent.ExitReason.DIVERTED, d.target(), hops);
            return;
        }
        attach(c, q, now);
        listener.event(new AcdEvent.CallQueued(Instant.ofEpochMilli(now), c.id, q.name, resumed));
        updateReserves(q, now);
        if (deferred != null) {
            deferred.add(c);
        } else {
            routeCall(c, now);
        }
    }

    private boolean diverts(Queue q, Diversion d) {
        if (d.maxEstimatedWait() != null
                && (q.waiting + 1) * intervalMs(q) > d.maxEstimatedWait().toMillis()) {
            return true;
        }
        if (d.maxCallsPerAgent() != null) {
            int staffed = staffedFirstStep(q);
            return staffed == 0 || (q.waiting + 1) / (double) staffed > d.maxCallsPerAgent();
        }
        return false;
    }

    /**
     * The call leaves {@code q} (not attached to it) for {@code target}: into another queue, or out of the engine.
     * Chains of queue exits are cut after as many hops as there are queues (then voicemail), so a loop of exits in
     * the configuration cannot spin.
     */
    private void leave(Call c, Queue q, long now, AcdEvent.ExitReason reason, ExitTarget target, int hops) {
        Instant at = Instant.ofEpochMilli(now);
        Queue next = target.kind() == ExitTarget.Kind.QUEUE ? queues.get(target.queue()) : null;
        if (next != null && hops < queues.size()) {
            q.stats.add(now, RollingStats.OVERFLOWED, 1);
            listener.event(new AcdEvent.CallOverflowed(at, c.id, q.name, next.name, reason));
            enter(c, next, now, false, hops + 1);
            return;
        }
        ExitTarget out = target.kind() == ExitTarget.Kind.QUEUE ? ExitTarget.VOICEMAIL : target;
        calls.remove(c.id);
        record(q, now, RollingStats.EXITED, 1);
        listener.event(new AcdEvent.CallExited(at, c.id, q.name, out, reason, c.request.data()));
    }

    private Queue resolveQueue(CallRequest request) {
        if (request.queue() != null) {
            Queue q = queues.get(request.queue());
            if (q == null) {
                throw new IllegalArgumentException("call " + request.callId() + ": unknown queue '" + request.queue()
                        + "'; known: " + queues.keySet());
            }
            return q;
        }
        SkillRequirement r = request.requirement();
        Queue q = queues.get(r.skill());
        if (q != null) {
            return q;
        }
        String name = r.minLevel() == 1 ? r.skill() : r.toString();
        q = queues.get(name);
        if (q == null) {
            defineQueue(QueueConfig.simple(name, r, settings.defaultStrategy(), settings.defaultWrapUpMax()));
            q = queues.get(name);
        }
        return q;
    }

    @Override
    public void answered(String callId, String agentId) {
        Call c = offeredCall(callId, agentId);
        Agent a = agents.get(agentId);
        long now = clock.millis();
        Queue q = c.queue;
        c.offeredTo = null;
        detach(c);
        calls.remove(callId);
        long waited = now - c.enteredMs;
        record(q, now, RollingStats.ANSWERED, 1);
        record(q, now, RollingStats.ANSWER_WAIT_MS, waited);
        if (waited <= settings.serviceLevel().toMillis()) {
            record(q, now, RollingStats.ANSWERED_IN_SL, 1);
        }
        if (q.lastAnswerMs >= 0) {
            long interval = now - q.lastAnswerMs;
            q.intervalMs = q.intervalMs < 0 ? interval : q.intervalMs + EWMA_ALPHA * (interval - q.intervalMs);
        }
        q.lastAnswerMs = q.waiting > 0 ? now : -1;
        a.answeredCalls++;
        a.noAnswers = 0;
        a.talkStartMs = now;
        a.lastQueue = q;
        move(a, AgentState.TALKING, null, callId, now, -1);
        listener.event(new AcdEvent.CallAnswered(Instant.ofEpochMilli(now), callId, q.name, agentId,
                Duration.ofMillis(waited)));
        updateReserves(q, now);
    }

    @Override
    public void offerFailed(String callId, String agentId, OfferFailure failure) {
        Objects.requireNonNull(failure, "failure");
        Call c = offeredCall(callId, agentId);
        Agent a = agents.get(agentId);
        long now = clock.millis();
        c.offeredTo = null;
        BackoffPolicy policy = settings.backoff();
        Duration delay = policy.delayFor(failure);
        String reason = failure.reason();
        if (failure == OfferFailure.NO_ANSWER) {
            a.noAnswers++;
            if (policy.autoBreakAfter() > 0 && a.noAnswers >= policy.autoBreakAfter()) {
                reason = "auto_break";
                delay = null;
                a.noAnswers = 0;
            }
        }
        move(a, AgentState.NOT_READY, reason, null, now, delay == null ? -1 : now + delay.toMillis());
        requeue(c, now, true);
    }

    @Override
    public void offerWithdrawn(String callId, String agentId) {
        Call c = offeredCall(callId, agentId);
        Agent a = agents.get(agentId);
        long now = clock.millis();
        c.offeredTo = null;
        move(a, AgentState.READY, null, null, now, -1, false);
        // the freed agent chooses first (the call is back at its place, so it competes by score), then the call and
        // any call its max wait moved to another queue meanwhile
        List<Call> moved = new ArrayList<>(1);
        deferred = moved;
        try {
            requeue(c, now, false);
        } finally {
            deferred = null;
        }
        routeAgent(a, now);
        routeCall(c, now);
        for (Call m : moved) {
            routeCall(m, now);
        }
    }

    /** An offer ended without an answer: the call is back at its place, unless its max wait passed meanwhile. */
    private void requeue(Call c, long now, boolean route) {
        Queue q = c.queue;
        if (c.maxWaitDue) {
            c.maxWaitDue = false;
            detach(c);
            leave(c, q, now, AcdEvent.ExitReason.MAX_WAIT, q.cfg.maxWaitTarget(), 0);
            updateReserves(q, now);
            return;
        }
        Step step = q.steps[c.step];
        step.calls.add(c);
        c.inStep = step;
        q.waiting++;
        waitingTotal++;
        if (route) {
            routeCall(c, now);
        }
    }

    @Override
    public void abandon(String callId) {
        Call c = calls.get(callId);
        if (c == null || c.callback) {
            return;
        }
        long now = clock.millis();
        Queue q = c.queue;
        Agent a = c.offeredTo == null ? null : agents.get(c.offeredTo);
        c.offeredTo = null;
        detach(c);
        calls.remove(callId);
        long waited = now - c.enteredMs;
        record(q, now, RollingStats.ABANDONED, 1);
        if (waited <= settings.serviceLevel().toMillis()) {
            record(q, now, RollingStats.ABANDONED_IN_SL, 1);
        }
        if (c.request.caller() != null && q.cfg.rejoinWindow().compareTo(Duration.ZERO) > 0) {
            purgeRejoins(now);
            rejoins.put(q.name + '\u0000' + c.request.caller(),
                    new Rejoin(c.arrivalMs, c.seq, now + q.cfg.rejoinWindow().toMillis()));
        }
        listener.event(new AcdEvent.CallAbandoned(Instant.ofEpochMilli(now), callId, q.name,
                Duration.ofMillis(waited)));
        updateReserves(q, now);
        if (a != null) {
            move(a, AgentState.READY, null, null, now, -1, false);
            routeAgent(a, now);
        }
    }

    private void purgeRejoins(long now) {
        Iterator<Rejoin> it = rejoins.values().iterator();
        while (it.hasNext()) {
            if (it.next().expiresMs > now) {
                // windows differ per queue, so later entries may expire earlier; they go on lookup instead
                break;
            }
            it.remove();
        }
    }

    @Override
    public void requestCallback(String callId) {
        Call c = calls.get(callId);
        if (c == null) {
            throw new AcdException(AcdException.Kind.UNKNOWN_CALL, "call " + callId + " is not queued");
        }
        if (c.inStep == null) {
            throw new AcdException(AcdException.Kind.ILLEGAL_STATE, "call " + callId + " is being offered");
        }
        c.callback = true;
    }

    @Override
    public void cancelCallback(String callId) {
        Call c = calls.get(callId);
        if (c == null || !c.callback) {
            return;
        }
        long now = clock.millis();
        detach(c);
        calls.remove(callId);
        record(c.queue, now, RollingStats.EXITED, 1);
        updateReserves(c.queue, now);
    }

    @Override
    public int waitingCount() {
        return waitingTotal;
    }

    @Override
    public boolean isQueued(String callId) {
        return calls.containsKey(callId);
    }

    @Override
    public Optional<CallEstimate> estimate(String callId) {
        Call c = calls.get(callId);
        if (c == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        Queue q = c.queue;
        Duration waited = Duration.ofMillis(now - c.queuedAtMs);
        if (c.inStep == null) {
            return Optional.of(new CallEstimate(callId, q.name, 0, Duration.ZERO, waited, c.step));
        }
        int ahead = 0;
        for (Step s : q.steps) {
            ahead += s.calls.countBefore(c);
        }
        int position = ahead + 1;
        return Optional.of(new CallEstimate(callId, q.name, position,
                Duration.ofMillis(Math.round(position * intervalMs(q))), waited, c.step));
    }

    /** The estimated time between two calls of {@code q} reaching an agent (see {@link AcdEngine#estimate}). */
    private double intervalMs(Queue q) {
        if (q.intervalMs > 0) {
            return q.intervalMs;
        }
        return q.ahtMs / Math.max(1, staffedFirstStep(q));
    }

    private int staffedFirstStep(Queue q) {
        int n = 0;
        for (Alt alt : q.steps[0].alts) {
            if (alt.reserve < 0 && skills.get(alt.skill).poolOn) {
                int[] staffed = skills.get(alt.skill).staffed;
                for (int l = alt.minLevel; l <= MAX_LEVEL; l++) {
                    n += staffed[l];
                }
            }
        }
        return n;
    }

    // ================================================================== metrics

    @Override
    public MetricsSnapshot metrics() {
        long now = clock.millis();
        Map<String, QueueMetrics> byQueue = new LinkedHashMap<>();
        long oldestAll = 0;
        for (Queue q : queues.values()) {
            long oldest = oldestWaitMs(q, now);
            oldestAll = Math.max(oldestAll, oldest);
            byQueue.put(q.name, figures(q.name, q.stats, now, q.waiting, oldest));
        }
        return new MetricsSnapshot(Instant.ofEpochMilli(now), settings.serviceLevel(), Duration.ofDays(1),
                figures("*", overall, now, waitingTotal, oldestAll), byQueue);
    }

    private static long oldestWaitMs(Queue q, long now) {
        for (Call c : q.members) {
            if (c.inStep != null) {
                return now - c.queuedAtMs;
            }
        }
        return 0;
    }

    private static QueueMetrics figures(String name, RollingStats s, long now, int waiting, long oldestMs) {
        long answered = s.total(now, RollingStats.ANSWERED);
        long answeredSl = s.total(now, RollingStats.ANSWERED_IN_SL);
        long abandoned = s.total(now, RollingStats.ABANDONED);
        long abandonedSl = s.total(now, RollingStats.ABANDONED_IN_SL);
        long exited = s.total(now, RollingStats.EXITED);
        long overflowed = s.total(now, RollingStats.OVERFLOWED);
        long waitMs = s.total(now, RollingStats.ANSWER_WAIT_MS);
        return new QueueMetrics(name, answered, answeredSl, abandoned, abandonedSl, exited, overflowed,
                Duration.ofMillis(answered == 0 ? 0 : waitMs / answered), ratio(answeredSl, answered, 1.0),
                ratio(answeredSl + abandonedSl, answered + abandoned, 1.0), ratio(abandoned, answered + abandoned, 0.0),
                ratio(answered, answered + abandoned + exited, 1.0), waiting, Duration.ofMillis(oldestMs));
    }

    private static double ratio(long part, long whole, double whenEmpty) {
        return whole == 0 ? whenEmpty : part / (double) whole;
    }

    private void record(Queue q, long now, int field, long value) {
        q.stats.add(now, field, value);
        overall.add(now, field, value);
    }

    // ================================================================== time

    @Override
    public Optional<Instant> nextDeadline() {
        Timer next = timers.peek();
        return next == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next.atMs));
    }

    @Override
    public void tick() {
        long now = clock.millis();
        List<Call> relaxed = new ArrayList<>();
        List<Agent> resumed = new ArrayList<>();
        deferred = relaxed;
        // state changes first, routing after: calls relaxed and agents resumed at the same instant then meet in score
        // order rather than in the order their timers happened to be armed
        for (Timer t = timers.peek(); t != null && t.atMs <= now; t = timers.peek()) {
            timers.poll();
            t.cancelled = true;
            switch (t.kind) {
                case Timer.CALL -> callTimer((Call) t.target, now, relaxed);
                case Timer.AGENT -> agentTimer((Agent) t.target, now, resumed);
                case Timer.QUEUE_OPEN -> openTimer((Queue) t.target, now);
                case Timer.QUEUE_RESERVE -> updateReserves((Queue) t.target, now);
                case Timer.POOL -> poolTimer((SkillSlot) t.target, now);
                default -> throw new IllegalStateException("timer kind " + t.kind);
            }
        }
        deferred = null;
        // agents first: each takes the best call it may serve, relaxed ones included; what is left of the relaxed
        // calls then goes, best first, to agents that were ready before
        resumed.sort(BY_IDLE);
        for (Agent a : resumed) {
            routeAgent(a, now);
        }
        relaxed.sort(CALL_ORDER);
        for (Call c : relaxed) {
            if (calls.get(c.id) == c) {
                routeCall(c, now);
            }
        }
    }

    private Timer arm(int kind, Object target, long atMs) {
        Timer t = new Timer(kind, target, atMs, timerSequence++);
        timers.add(t, clock.millis());
        return t;
    }

    private static void cancel(Timer t) {
        if (t != null) {
            t.cancelled = true;
        }
    }

    private void armCallTimer(Call c) {
        cancel(c.timer);
        c.timer = null;
        Queue q = c.queue;
        long next = Long.MAX_VALUE;
        if (c.step + 1 < q.steps.length) {
            next = c.queuedAtMs + q.steps[c.step + 1].afterMs;
        }
        if (q.cfg.maxWait() != null && !c.maxWaitDue) {
            next = Math.min(next, c.queuedAtMs + q.cfg.maxWait().toMillis());
        }
        if (next != Long.MAX_VALUE) {
            c.timer = arm(Timer.CALL, c, next);
        }
    }

    private void callTimer(Call c, long now, List<Call> relaxed) {
        c.timer = null;
        Queue q = c.queue;
        long waited = now - c.queuedAtMs;
        if (q.cfg.maxWait() != null && waited >= q.cfg.maxWait().toMillis()) {
            if (c.offeredTo != null) {
                c.maxWaitDue = true;
            } else {
                detach(c);
                leave(c, q, now, AcdEvent.ExitReason.MAX_WAIT, q.cfg.maxWaitTarget(), 0);
                updateReserves(q, now);
                return;
            }
        }
        int step = q.stepFor(waited);
        if (step != c.step) {
            boolean waiting = c.inStep != null;
            if (waiting) {
                c.inStep.calls.remove(c);
            }
            c.step = step;
            if (waiting) {
                c.inStep = q.steps[step];
                c.inStep.calls.add(c);
            }
            listener.event(new AcdEvent.CallRelaxed(Instant.ofEpochMilli(now), c.id, q.name, step));
        }
        armCallTimer(c);
        relaxed.add(c);
    }

    private void agentTimer(Agent a, long now, List<Agent> resumed) {
        a.timer = null;
        if (a.state == AgentState.WRAP_UP) {
            handled(a, now);
        } else if (a.state != AgentState.NOT_READY) {
            return;
        }
        move(a, AgentState.READY, null, null, now, -1);
        resumed.add(a);
    }

    private void armOpenTimer(Queue q, long now) {
        q.openTimer = q.cfg.open().nextChange(Instant.ofEpochMilli(now))
                .map(at -> arm(Timer.QUEUE_OPEN, q, wakeMillis(at, now))).orElse(null);
    }

    private void openTimer(Queue q, long now) {
        boolean open = q.cfg.open().isOn(Instant.ofEpochMilli(now));
        if (open != q.open) {
            q.open = open;
            listener.event(new AcdEvent.QueueOpenChanged(Instant.ofEpochMilli(now), q.name, open));
            if (!open) {
                closeQueue(q, now);
            }
        }
        armOpenTimer(q, now);
    }

    /** Every call waiting in a queue that closed leaves for the closed target; calls ringing an agent stay. */
    private void closeQueue(Queue q, long now) {
        for (Call c : new ArrayList<>(q.members)) {
            if (c.inStep != null) {
                detach(c);
                leave(c, q, now, AcdEvent.ExitReason.CLOSED, q.cfg.closedTarget(), 0);
            }
        }
        updateReserves(q, now);
    }

    private void armPoolTimer(SkillSlot slot, long now) {
        slot.poolTimer = slot.pool.nextChange(Instant.ofEpochMilli(now))
                .map(at -> arm(Timer.POOL, slot, wakeMillis(at, now))).orElse(null);
    }

    /**
     * The engine's clock counts milliseconds: a schedule change inside a millisecond is acted on at the next one (so
     * the schedule already reads changed), and never at or before {@code now} (which would wake it again at once).
     */
    private static long wakeMillis(Instant change, long now) {
        long ms = change.toEpochMilli() + (change.getNano() % 1_000_000 == 0 ? 0 : 1);
        return Math.max(ms, now + 1);
    }

    private void poolTimer(SkillSlot slot, long now) {
        setPool(slot, slot.pool.isOn(Instant.ofEpochMilli(now)), now);
        armPoolTimer(slot, now);
    }

    private void setPool(SkillSlot slot, boolean on, long now) {
        if (slot.poolOn == on) {
            return;
        }
        slot.poolOn = on;
        listener.event(new AcdEvent.PoolChanged(Instant.ofEpochMilli(now), slot.name, on));
        if (on) {
            routeReadyWithSkill(slot.id, 1, now);
        }
    }

    // ================================================================== reserves

    private void updateReserves(Queue q, long now) {
        if (q.reserveOn.length == 0) {
            return;
        }
        cancel(q.reserveTimer);
        q.reserveTimer = null;
        long oldestQueuedAt = Long.MAX_VALUE;
        for (Call c : q.members) {
            if (c.inStep != null) {
                oldestQueuedAt = c.queuedAtMs;
                break;
            }
        }
        long oldest = oldestQueuedAt == Long.MAX_VALUE ? 0 : now - oldestQueuedAt;
        long armAt = Long.MAX_VALUE;
        List<ReserveRule> rules = q.cfg.reserves();
        for (int i = 0; i < rules.size(); i++) {
            ReserveRule r = rules.get(i);
            long measure = r.basis() == ReserveRule.Basis.OLDEST_WAIT ? oldest
                    : Math.round(q.waiting * intervalMs(q));
            if (!q.reserveOn[i] && measure > r.activateAbove().toMillis()) {
                q.reserveOn[i] = true;
                listener.event(new AcdEvent.ReserveChanged(Instant.ofEpochMilli(now), q.name, r.skill(), true));
                routeReadyWithSkill(skillId(r.skill()), r.minLevel(), now);
            } else if (q.reserveOn[i] && measure <= r.deactivateAtOrBelow().toMillis()) {
                q.reserveOn[i] = false;
                listener.event(new AcdEvent.ReserveChanged(Instant.ofEpochMilli(now), q.name, r.skill(), false));
            }
            if (!q.reserveOn[i] && r.basis() == ReserveRule.Basis.OLDEST_WAIT
                    && oldestQueuedAt != Long.MAX_VALUE) {
                armAt = Math.min(armAt, oldestQueuedAt + r.activateAbove().toMillis() + 1);
            }
        }
        if (armAt != Long.MAX_VALUE) {
            q.reserveTimer = arm(Timer.QUEUE_RESERVE, q, armAt);
        }
    }

    // ================================================================== routing

    private static boolean routable(Agent a) {
        return a.state == AgentState.READY && !a.otherCall;
    }

    /**
     * A freed agent takes the best waiting call it may serve; callbacks met on the way fall due. An agent still ready
     * afterwards is (put) in the ready index.
     */
    private void routeAgent(Agent a, long now) {
        while (routable(a)) {
            Call c = bestCallFor(a);
            if (c == null) {
                break;
            }
            if (c.callback) {
                callbackDue(c, now);
                continue;
            }
            offer(c, a, now);
            return;
        }
        if (routable(a) && !a.indexed) {
            index(a);
        }
    }

    private Call bestCallFor(Agent a) {
        if (a.candidatesVersion != configVersion) {
            a.candidates = candidatesOf(a);
            a.candidatesVersion = configVersion;
        }
        Call best = null;
        for (AltRef ref : a.candidates) {
            CallHeap heap = ref.step.calls;
            if (heap.isEmpty() || !ref.slot.poolOn
                    || (ref.alt.reserve >= 0 && !ref.queue.reserveOn[ref.alt.reserve])) {
                continue;
            }
            if (best == null || heap.firstBefore(best)) {
                best = heap.first();
            }
        }
        return best;
    }

    /** Every (queue, step, requirement) the agent's levels meet, whatever the gates (pools, reserves) say now. */
    private AltRef[] candidatesOf(Agent a) {
        List<AltRef> mine = new ArrayList<>();
        for (int i = 0; i < a.skill.length; i++) {
            for (AltRef ref : skills.get(a.skill[i]).refs) {
                if (a.level[i] >= ref.alt.minLevel) {
                    mine.add(ref);
                }
            }
        }
        return mine.toArray(new AltRef[0]);
    }

    private void routeCall(Call c, long now) {
        if (c.inStep == null) {
            return;
        }
        Agent a = bestAgentFor(c);
        if (a == null) {
            return;
        }
        if (c.callback) {
            callbackDue(c, now);
        } else {
            offer(c, a, now);
        }
    }

    private void callbackDue(Call c, long now) {
        Queue q = c.queue;
        detach(c);
        calls.remove(c.id);
        record(q, now, RollingStats.EXITED, 1);
        listener.event(new AcdEvent.CallbackDue(Instant.ofEpochMilli(now), c.id, q.name, c.request.caller(),
                c.request.data(), Duration.ofMillis(now - c.enteredMs)));
        updateReserves(q, now);
    }

    private boolean open(Alt alt, Queue q) {
        return skills.get(alt.skill).poolOn && (alt.reserve < 0 || q.reserveOn[alt.reserve]);
    }

    private Agent bestAgentFor(Call c) {
        Queue q = c.queue;
        Alt[] alts = q.steps[c.step].alts;
        return switch (q.cfg.strategy()) {
            case LONGEST_IDLE -> firstInOrder(q, alts, ORDER_IDLE);
            case FEWEST_CALLS -> firstInOrder(q, alts, ORDER_CALLS);
            case LEAST_TALK_TIME -> firstInOrder(q, alts, ORDER_TALK);
            case LINEAR -> firstInOrder(q, alts, ORDER_ORDINAL);
            case ROUND_ROBIN_MEMORY -> nextAfter(q, alts);
            case MOST_SKILLED -> byLevel(q, alts, true);
            case LEAST_SKILLED -> byLevel(q, alts, false);
            case RANDOM -> randomPick(q, alts, false);
            case WEIGHTED_RANDOM -> randomPick(q, alts, true);
        };
    }

    private Agent firstInOrder(Queue q, Alt[] alts, int order) {
        if (order == ORDER_ORDINAL) {
            Agent best = null;
            for (Alt alt : alts) {
                if (!open(alt, q)) {
                    continue;
                }
                Bucket[] levels = skills.get(alt.skill).levels;
                for (int l = alt.minLevel; l <= MAX_LEVEL; l++) {
                    Bucket b = levels[l];
                    if (b != null && b.size > 0 && (best == null || b.ordinalFirst.ordinal < best.ordinal)) {
                        best = b.ordinalFirst;
                    }
                }
            }
            return best;
        }
        AgentHeap best = null;
        for (Alt alt : alts) {
            if (!open(alt, q)) {
                continue;
            }
            Bucket[] levels = skills.get(alt.skill).levels;
            for (int l = alt.minLevel; l <= MAX_LEVEL; l++) {
                Bucket b = levels[l];
                if (b != null && b.size > 0 && (best == null || b.heaps[order].firstBefore(best))) {
                    best = b.heaps[order];
                }
            }
        }
        return best == null ? null : best.first();
    }

    private Agent nextAfter(Queue q, Alt[] alts) {
        Agent probe = q.rrProbe;
        if (probe == null || probe.ordinal != q.rrLast) {
            probe = new Agent(q.rrLast, 0);
            q.rrProbe = probe;
        }
        Agent after = null;
        Agent first = null;
        for (Alt alt : alts) {
            if (!open(alt, q)) {
                continue;
            }
            Bucket[] levels = skills.get(alt.skill).levels;
            for (int l = alt.minLevel; l <= MAX_LEVEL; l++) {
                Bucket b = levels[l];
                if (b != null && b.size > 0) {
                    TreeSet<Agent> set = b.ordinal;
                    Agent h = set.higher(probe);
                    if (h != null && (after == null || h.ordinal < after.ordinal)) {
                        after = h;
                    }
                    Agent f = b.ordinalFirst;
                    if (first == null || f.ordinal < first.ordinal) {
                        first = f;
                    }
                }
            }
        }
        return after != null ? after : first;
    }

    private Agent byLevel(Queue q, Alt[] alts, boolean highest) {
        AgentHeap best = null;
        int bestLevel = 0;
        for (Alt alt : alts) {
            if (!open(alt, q)) {
                continue;
            }
            Bucket[] levels = skills.get(alt.skill).levels;
            for (int i = 0; i <= MAX_LEVEL - alt.minLevel; i++) {
                int l = highest ? MAX_LEVEL - i : alt.minLevel + i;
                Bucket b = levels[l];
                if (b != null && b.size > 0) {
                    AgentHeap head = b.heaps[ORDER_IDLE];
                    boolean better = best == null || (highest ? l > bestLevel : l < bestLevel)
                            || (l == bestLevel && head.firstBefore(best));
                    if (better) {
                        best = head;
                        bestLevel = l;
                    }
                    break;
                }
            }
        }
        return best == null ? null : best.first();
    }

    private Agent randomPick(Queue q, Alt[] alts, boolean weighted) {
        long total = 0;
        for (Alt alt : alts) {
            if (open(alt, q)) {
                Bucket[] levels = skills.get(alt.skill).levels;
                for (int l = alt.minLevel; l <= MAX_LEVEL; l++) {
                    if (levels[l] != null) {
                        total += (long) levels[l].size * (weighted ? l : 1);
                    }
                }
            }
        }
        if (total == 0) {
            return null;
        }
        long pick = random.nextLong(total);
        for (Alt alt : alts) {
            if (open(alt, q)) {
                Bucket[] levels = skills.get(alt.skill).levels;
                for (int l = alt.minLevel; l <= MAX_LEVEL; l++) {
                    Bucket b = levels[l];
                    if (b == null) {
                        continue;
                    }
                    long w = (long) b.size * (weighted ? l : 1);
                    if (pick < w) {
                        return b.arr[(int) (pick / (weighted ? l : 1))];
                    }
                    pick -= w;
                }
            }
        }
        throw new IllegalStateException("random pick ran past the total");
    }

    private void offer(Call c, Agent a, long now) {
        Queue q = c.queue;
        c.inStep.calls.remove(c);
        c.inStep = null;
        q.waiting--;
        waitingTotal--;
        c.offeredTo = a.profile.id();
        c.attempts++;
        q.rrLast = a.ordinal;
        move(a, AgentState.OFFERED, null, c.id, now, -1);
        listener.offer(new Offer(c.id, a.profile.id(), a.profile.extension(), c.attempts));
    }

    /** After a change that may make many agents eligible at once: each ready holder of the skill takes a call. */
    private void routeReadyWithSkill(int skill, int minLevel, long now) {
        List<Agent> ready = new ArrayList<>();
        Bucket[] levels = skills.get(skill).levels;
        for (int l = minLevel; l <= MAX_LEVEL; l++) {
            Bucket b = levels[l];
            for (int i = 0; b != null && i < b.size; i++) {
                ready.add(b.arr[i]);
            }
        }
        ready.sort(BY_IDLE);
        for (Agent a : ready) {
            routeAgent(a, now);
        }
    }

    private void routeAllReady(long now) {
        List<Agent> ready = new ArrayList<>();
        for (Agent a : agentList) {
            if (routable(a)) {
                ready.add(a);
            }
        }
        ready.sort(BY_IDLE);
        for (Agent a : ready) {
            routeAgent(a, now);
        }
    }

    // ================================================================== agent state

    private void move(Agent a, AgentState to, String reason, String callId, long now, long resumesAtMs) {
        move(a, to, reason, callId, now, resumesAtMs, true);
    }

    /**
     * Changes an agent's state and tells the listener. With {@code index} false a ready agent is left out of the
     * ready index: the caller routes it first and indexes it only if it is still ready (most freed agents take a
     * call at once, and then the index is never touched).
     */
    private void move(Agent a, AgentState to, String reason, String callId, long now, long resumesAtMs,
            boolean index) {
        AgentState from = a.state;
        if (a.indexed) {
            unindex(a);
        }
        if (from == AgentState.NOT_READY && (to != AgentState.NOT_READY || !Objects.equals(reason, a.reason))) {
            PauseSession s = new PauseSession(a.profile.id(), a.reason, Instant.ofEpochMilli(a.sinceMs),
                    Instant.ofEpochMilli(now));
            if (a.pauses == null) {
                a.pauses = new ArrayDeque<>();
            }
            if (a.pauses.size() == MAX_PAUSES_KEPT) {
                a.pauses.removeFirst();
            }
            a.pauses.addLast(s);
            listener.event(new AcdEvent.PauseEnded(s.end(), s));
        }
        a.state = to;
        a.reason = reason;
        a.callId = callId;
        a.sinceMs = now;
        if (to == AgentState.READY && from != AgentState.OFFERED) {
            // an offer that never connected (caller gone, delivery failed) does not restart the agent's idle time
            a.idleSinceMs = now;
        }
        cancel(a.timer);
        a.timer = resumesAtMs < 0 ? null : arm(Timer.AGENT, a, resumesAtMs);
        if (index && routable(a)) {
            index(a);
        }
        listener.agentChanged(a.status(), from);
    }

    private void maintain(int order) {
        if (maintained[order]) {
            return;
        }
        maintained[order] = true;
        for (SkillSlot slot : skills) {
            for (Bucket b : slot.levels) {
                if (b != null) {
                    b.maintain(order);
                }
            }
        }
    }

    private static int orderOf(Strategy s) {
        return switch (s) {
            case FEWEST_CALLS -> ORDER_CALLS;
            case LEAST_TALK_TIME -> ORDER_TALK;
            case LINEAR, ROUND_ROBIN_MEMORY -> ORDER_ORDINAL;
            default -> ORDER_IDLE;
        };
    }

    private void index(Agent a) {
        a.indexed = true;
        a.indexGen++;
        for (int i = 0; i < a.skill.length; i++) {
            SkillSlot slot = skills.get(a.skill[i]);
            Bucket b = slot.levels[a.level[i]];
            if (b == null) {
                b = new Bucket(maintained);
                slot.levels[a.level[i]] = b;
            }
            if (b.size == b.arr.length) {
                b.arr = java.util.Arrays.copyOf(b.arr, b.size * 2);
            }
            a.pos[i] = b.size;
            b.arr[b.size++] = a;
            for (int o = 0; o < ORDER_ORDINAL; o++) {
                if (b.heaps[o] != null) {
                    b.heaps[o].add(a);
                }
            }
            if (b.ordinal != null) {
                b.ordinal.add(a);
                if (b.ordinalFirst == null || a.ordinal < b.ordinalFirst.ordinal) {
                    b.ordinalFirst = a;
                }
            }
        }
    }

    private void unindex(Agent a) {
        a.indexed = false;
        a.indexGen++;
        for (int i = 0; i < a.skill.length; i++) {
            int skill = a.skill[i];
            Bucket b = skills.get(skill).levels[a.level[i]];
            Agent last = b.arr[--b.size];
            b.arr[a.pos[i]] = last;
            b.arr[b.size] = null;
            if (last != a) {
                for (int j = 0; j < last.skill.length; j++) {
                    if (last.skill[j] == skill) {
                        last.pos[j] = a.pos[i];
                        break;
                    }
                }
            }
            for (int o = 0; o < ORDER_ORDINAL; o++) {
                if (b.heaps[o] != null) {
                    b.heaps[o].removed();
                }
            }
            if (b.ordinal != null) {
                b.ordinal.remove(a);
                if (b.ordinalFirst == a) {
                    b.ordinalFirst = b.ordinal.isEmpty() ? null : b.ordinal.first();
                }
            }
        }
    }

    private void staff(Agent a, int delta) {
        for (int i = 0; i < a.skill.length; i++) {
            skills.get(a.skill[i]).staffed[a.level[i]] += delta;
        }
    }

    // ================================================================== calls in queues

    /** Puts a call into {@code q} at the step its wait in the queue has reached, with a fresh score key. */
    private void attach(Call c, Queue q, long now) {
        c.queue = q;
        c.key = c.arrivalMs - q.cfg.boost().toMillis()
                - c.request.priority() * settings.priorityBoost().toMillis();
        c.step = q.stepFor(now - c.queuedAtMs);
        q.members.add(c);
        if (c.offeredTo == null) {
            c.inStep = q.steps[c.step];
            c.inStep.calls.add(c);
            q.waiting++;
            waitingTotal++;
        }
        armCallTimer(c);
    }

    /** Takes a call out of its queue's structures (it may be attached again, elsewhere). */
    private void detach(Call c) {
        Queue q = c.queue;
        if (c.inStep != null) {
            c.inStep.calls.remove(c);
            c.inStep = null;
            q.waiting--;
            waitingTotal--;
        }
        q.members.remove(c);
        cancel(c.timer);
        c.timer = null;
    }

    private void rebuildRefs() {
        configVersion++;
        for (SkillSlot slot : skills) {
            slot.refs.clear();
        }
        for (Queue q : queues.values()) {
            for (Step step : q.steps) {
                for (Alt alt : step.alts) {
                    skills.get(alt.skill).refs.add(new AltRef(q, step, alt, skills.get(alt.skill)));
                }
            }
        }
    }

    int skillId(String name) {
        Integer id = skillIds.get(name);
        if (id != null) {
            return id;
        }
        int fresh = skills.size();
        skillIds.put(name, fresh);
        skills.add(new SkillSlot(fresh, name));
        return fresh;
    }

    private Agent agent0(String agentId) {
        Agent a = agents.get(agentId);
        if (a == null) {
            throw new AcdException(AcdException.Kind.UNKNOWN_AGENT, "unknown agent " + agentId);
        }
        return a;
    }

    private Call offeredCall(String callId, String agentId) {
        Call c = calls.get(callId);
        if (c == null) {
            throw new AcdException(AcdException.Kind.UNKNOWN_CALL, "call " + callId + " is not queued");
        }
        if (!agentId.equals(c.offeredTo)) {
            throw new AcdException(AcdException.Kind.ILLEGAL_STATE,
                    "call " + callId + " is not offered to agent " + agentId);
        }
        return c;
    }

    private static void require(Agent a, AgentState... allowed) {
        for (AgentState s : allowed) {
            if (a.state == s) {
                return;
            }
        }
        throw new AcdException(AcdException.Kind.ILLEGAL_STATE,
                "agent " + a.profile.id() + " is " + a.state.wireName());
    }

    // ================================================================== self-check (tests)

    /**
     * Verifies the engine's internal consistency and the no-idle-match rule; throws {@link IllegalStateException}
     * describing the first violation. O(agents × calls): for tests only.
     */
    void checkInvariants() {
        int waiting = 0;
        for (Queue q : queues.values()) {
            int inSteps = 0;
            for (Step s : q.steps) {
                inSteps += s.calls.size();
                for (Call c : s.calls) {
                    check(c.inStep == s && c.queue == q && c.offeredTo == null && q.members.contains(c),
                            "call " + c.id + " misplaced");
                    check(q.steps[c.step] == s, "call " + c.id + " in the wrong step");
                }
            }
            check(inSteps == q.waiting, "queue " + q.name + " waiting count " + q.waiting + " vs " + inSteps);
            waiting += inSteps;
        }
        check(waiting == waitingTotal, "total waiting " + waitingTotal + " vs " + waiting);
        Map<String, Integer> offersPerAgent = new HashMap<>();
        for (Call c : calls.values()) {
            check(c.queue.members.contains(c), "call " + c.id + " not a member of its queue");
            if (c.offeredTo != null) {
                check(c.inStep == null, "offered call " + c.id + " still waiting");
                Agent a = agents.get(c.offeredTo);
                check(a.state == AgentState.OFFERED && c.id.equals(a.callId),
                        "call " + c.id + " offered to " + c.offeredTo + " who is " + a.state);
                offersPerAgent.merge(c.offeredTo, 1, Integer::sum);
            } else {
                check(c.inStep != null, "call " + c.id + " neither waiting nor offered");
            }
        }
        offersPerAgent.forEach((agent, n) -> check(n == 1, "agent " + agent + " holds " + n + " offers"));
        for (Agent a : agentList) {
            check(a.indexed == routable(a), "agent " + a.profile.id() + " index flag wrong");
            if (a.state == AgentState.OFFERED) {
                Call c = calls.get(a.callId);
                check(c != null && a.profile.id().equals(c.offeredTo), "agent " + a.profile.id() + " offer lost");
            }
            if (!routable(a)) {
                continue;
            }
            for (Call c : calls.values()) {
                check(c.inStep == null || !qualifies(a, c),
                        "agent " + a.profile.id() + " is ready while call " + c.id + " it qualifies for waits");
            }
        }
    }

    /** Whether the agent meets a requirement in force for the call (its step, open pools and reserves). */
    boolean qualifies(Agent a, Call c) {
        for (Alt alt : c.queue.steps[c.step].alts) {
            if (open(alt, c.queue) && a.levelOf(alt.skill) >= alt.minLevel) {
                return true;
            }
        }
        return false;
    }

    /** Test view: whether the agent qualifies for the call under the requirements in force now. */
    boolean qualifies(String agentId, String callId) {
        return qualifies(agents.get(agentId), calls.get(callId));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    // ================================================================== internal state

    private static final class SkillSlot {
        final int id;
        final String name;
        final Bucket[] levels = new Bucket[MAX_LEVEL + 1];
        final int[] staffed = new int[MAX_LEVEL + 1];
        final List<AltRef> refs = new ArrayList<>();
        Schedule pool = Schedule.ALWAYS;
        boolean poolOn = true;
        Timer poolTimer;

        SkillSlot(int id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    /** The ready agents with one skill at one level, in the orderings the configured strategies need. */
    private static final class Bucket {
        Agent[] arr = new Agent[4];
        int size;
        final AgentHeap[] heaps = new AgentHeap[ORDER_ORDINAL];
        /** Definition order, for round robin (needs "the next after") and linear; null unless a queue uses them. */
        TreeSet<Agent> ordinal;
        Agent ordinalFirst;

        Bucket(boolean[] maintained) {
            for (int o = 0; o < maintained.length; o++) {
                if (maintained[o]) {
                    maintain(o);
                }
            }
        }

        void maintain(int order) {
            if (order == ORDER_ORDINAL) {
                if (ordinal == null) {
                    ordinal = new TreeSet<>(BY_ORDINAL);
                    for (int i = 0; i < size; i++) {
                        ordinal.add(arr[i]);
                    }
                    ordinalFirst = ordinal.isEmpty() ? null : ordinal.first();
                }
            } else if (heaps[order] == null) {
                heaps[order] = new AgentHeap(order);
                for (int i = 0; i < size; i++) {
                    heaps[order].add(arr[i]);
                }
            }
        }
    }

    static final class Agent {
        final int ordinal;
        AgentProfile profile;
        int[] skill;
        int[] level;
        int[] pos;
        AgentState state = AgentState.LOGGED_OUT;
        String reason;
        String callId;
        long sinceMs;
        long idleSinceMs;
        long answeredCalls;
        long talkMs;
        long talkStartMs;
        int noAnswers;
        boolean otherCall;
        boolean indexed;
        /** Moves on whenever the agent enters or leaves the ready index; entries of older generations are dead. */
        int indexGen;
        Timer timer;
        Queue lastQueue;
        ArrayDeque<PauseSession> pauses;
        AltRef[] candidates;
        long candidatesVersion = -1;

        Agent(int ordinal, long now) {
            this.ordinal = ordinal;
            this.sinceMs = now;
            this.idleSinceMs = now;
        }

        int levelOf(int skillId) {
            for (int i = 0; i < skill.length; i++) {
                if (skill[i] == skillId) {
                    return level[i];
                }
            }
            return 0;
        }

        AgentStatus status() {
            return new AgentStatus(profile, state, reason, Instant.ofEpochMilli(sinceMs), callId, otherCall,
                    timer == null ? null : Instant.ofEpochMilli(timer.atMs));
        }
    }

    static final class Queue {
        final String name;
        QueueConfig cfg;
        Step[] steps;
        boolean[] reserveOn = new boolean[0];
        /** Every call of the queue (waiting and ringing), oldest entry first. */
        final TreeSet<Call> members = new TreeSet<>(BY_QUEUED_AT);
        int waiting;
        int rrLast = -1;
        Agent rrProbe;
        boolean open = true;
        Timer openTimer;
        Timer reserveTimer;
        double intervalMs = -1;
        long lastAnswerMs = -1;
        double ahtMs;
        final RollingStats stats = new RollingStats();

        Queue(String name, double ahtMs) {
            this.name = name;
            this.ahtMs = ahtMs;
        }

        void build(SkillAcd engine) {
            List<ReserveRule> reserves = cfg.reserves();
            boolean[] on = new boolean[reserves.size()];
            System.arraycopy(reserveOn, 0, on, 0, Math.min(on.length, reserveOn.length));
            reserveOn = on;
            List<RelaxationStep> config = cfg.steps();
            steps = new Step[config.size()];
            for (int s = 0; s < steps.length; s++) {
                List<Alt> alts = new ArrayList<>();
                for (SkillRequirement r : config.get(s).anyOf()) {
                    alts.add(new Alt(engine.skillId(r.skill()), r.minLevel(), -1));
                }
                for (int i = 0; i < reserves.size(); i++) {
                    alts.add(new Alt(engine.skillId(reserves.get(i).skill()), reserves.get(i).minLevel(), i));
                }
                steps[s] = new Step(config.get(s).after().toMillis(), alts.toArray(new Alt[0]));
            }
        }

        int stepFor(long waitedMs) {
            int s = 0;
            while (s + 1 < steps.length && steps[s + 1].afterMs <= waitedMs) {
                s++;
            }
            return s;
        }
    }

    static final class Step {
        final long afterMs;
        final Alt[] alts;
        final CallHeap calls = new CallHeap();

        Step(long afterMs, Alt[] alts) {
            this.afterMs = afterMs;
            this.alts = alts;
        }
    }

    /** One way to qualify at a step; {@code reserve} ≥ 0 when it only counts while that reserve is on. */
    record Alt(int skill, int minLevel, int reserve) {
    }

    private record AltRef(Queue queue, Step step, Alt alt, SkillSlot slot) {
    }

    static final class Call {
        final String id;
        final CallRequest request;
        long seq;
        /** Arrival that fixes the call's place (the first arrival of a caller who resumed an abandoned place). */
        long arrivalMs;
        /** When this call entered the engine: waits in metrics count from here. */
        final long enteredMs;
        /** When the call entered its current queue: relaxation and max wait count from here. */
        long queuedAtMs;
        long key;
        Queue queue;
        int step;
        Step inStep;
        /** The heap holding the call's live entry (null when none) and the entry's generation (see CallHeap). */
        CallHeap heap;
        int heapGen;
        String offeredTo;
        int attempts;
        boolean callback;
        boolean maxWaitDue;
        Timer timer;

        Call(CallRequest request, long seq, long now) {
            this.id = request.callId();
            this.request = request;
            this.seq = seq;
            this.arrivalMs = now;
            this.enteredMs = now;
            this.queuedAtMs = now;
        }
    }

    private record Rejoin(long arrivalMs, long seq, long expiresMs) {
    }

    static final class Timer {
        static final int CALL = 0;
        static final int AGENT = 1;
        static final int QUEUE_OPEN = 2;
        static final int QUEUE_RESERVE = 3;
        static final int POOL = 4;

        final int kind;
        final Object target;
        final long atMs;
        final long seq;
        boolean cancelled;

        Timer(int kind, Object target, long atMs, long seq) {
            this.kind = kind;
            this.target = target;
            this.atMs = atMs;
            this.seq = seq;
        }
    }
}
