package org.hotlinecti.acd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Runs a sequence of owner actions against a {@link SkillAcd} and checks, after every action and inside every
 * callback, the rules the engine promises — against an independent model built only from what the owner sees:
 * <ul>
 *   <li>an agent never holds two offers; a call is never offered to two agents at once;</li>
 *   <li>a call is never lost: it is in the engine until exactly one outcome (answered, abandoned, exited, callback
 *       due) and never after;</li>
 *   <li>the offered call is the best by score among the waiting calls the agent qualifies for; equal scores leave in
 *       arrival order;</li>
 *   <li>an agent is only offered a call it qualifies for under the relaxation step in force (computed by the model
 *       from the time the call has waited in its queue);</li>
 *   <li>the metrics snapshot equals a brute-force recomputation over the model's outcome log;</li>
 *   <li>the engine's own consistency check (indexes, no ready agent left with a call it could take).</li>
 * </ul>
 */
final class ScenarioChecker implements AcdListener {

    /** One thing the owner does. Indexes pick among agents or calls modulo their number. */
    sealed interface Op {
    }

    record Login(int agent) implements Op {
    }

    record Ready(int agent) implements Op {
    }

    record Pause(int agent) implements Op {
    }

    record Logout(int agent) implements Op {
    }

    record OtherCall(int agent) implements Op {
    }

    record Reskill(int agent, int skill, int level) implements Op {
    }

    record Enqueue(int queue, int priority) implements Op {
    }

    record Answer(int pick) implements Op {
    }

    record Fail(int pick, OfferFailure failure) implements Op {
    }

    record Withdraw(int pick) implements Op {
    }

    record Abandon(int pick) implements Op {
    }

    record Callback(int pick) implements Op {
    }

    record EndTalk(int pick, boolean wrapUpNow) implements Op {
    }

    record Advance(int millis) implements Op {
    }

    static final String[] SKILLS = {"s0", "s1", "s2"};
    static final int AGENTS = 6;
    private static final long SL_MS = 15_000;

    private final EngineFixture f = new EngineFixture();
    private final SkillAcd acd;
    private final Map<String, QueueConfig> queueConfigs = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> profiles = new HashMap<>();
    private final Map<String, boolean[]> reserveOn = new HashMap<>();
    private final Map<String, ModelCall> calls = new LinkedHashMap<>();
    private final Map<String, String> offerByAgent = new HashMap<>();
    private final Map<String, String> offerByCall = new HashMap<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private int nextCall;

    private static final class ModelCall {
        final String id;
        final long seq;
        final long arrivalMs;
        final int priority;
        String queue;
        long queuedAtMs;
        boolean callback;
        boolean done;
        boolean maxWaitDue;

        ModelCall(String id, long seq, long arrivalMs, int priority, String queue) {
            this.id = id;
            this.seq = seq;
            this.arrivalMs = arrivalMs;
            this.priority = priority;
            this.queue = queue;
            this.queuedAtMs = arrivalMs;
        }
    }

    private record Outcome(long atMs, String queue, int field, long waitMs) {
    }

    /**
     * @param levels the agents' levels in s0, s1, s2 (0 = skill absent), AGENTS × 3 values 0..10
     */
    ScenarioChecker(Strategy strategy, List<Integer> levels) {
        f.acd = new SkillAcd(f.clock, new SplittableRandom(11), AcdSettings.defaults()
                .withPriorityBoost(Duration.ofSeconds(20))
                .withBackoff(new BackoffPolicy(Duration.ofSeconds(5), Duration.ofSeconds(3), null, null, 3)), this);
        acd = f.acd;
        define(EngineFixture.queue("q0", strategy, EngineFixture.step(0, "s0", 7), EngineFixture.step(10, "s0", 4),
                EngineFixture.step(30, "s1", 1)).withMaxWait(Duration.ofSeconds(120), ExitTarget.VOICEMAIL));
        define(EngineFixture.queue("q1", strategy, EngineFixture.step(0, "s1", 5), EngineFixture.step(20, "s1", 1))
                .withBoost(Duration.ofSeconds(15)).withReserves(List.of(new ReserveRule("s2", 1,
                        ReserveRule.Basis.OLDEST_WAIT, Duration.ofSeconds(40), Duration.ofSeconds(10)))));
        define(EngineFixture.queue("q2", strategy, EngineFixture.step(0, "s2", 1))
                .withMaxWait(Duration.ofSeconds(60), ExitTarget.queue("q0")));
        for (int a = 0; a < AGENTS; a++) {
            Map<String, Integer> skills = new HashMap<>();
            for (int s = 0; s < SKILLS.length; s++) {
                int level = levels.get((a * SKILLS.length + s) % levels.size());
                if (level > 0) {
                    skills.put(SKILLS[s], level);
                }
            }
            profile("a" + a, skills);
        }
    }

    private void define(QueueConfig q) {
        queueConfigs.put(q.name(), q);
        reserveOn.put(q.name(), new boolean[q.reserves().size()]);
        acd.defineQueue(q);
    }

    private void profile(String id, Map<String, Integer> skills) {
        profiles.put(id, Map.copyOf(skills));
        acd.defineAgent(new AgentProfile(id, id, id, skills));
    }

    void run(List<Op> ops) {
        int i = 0;
        for (Op op : ops) {
            try {
                apply(op);
                afterEach();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("step " + i + " " + op + " at +" + (f.clock.millis()
                        - EngineFixture.T0.toEpochMilli()) + " ms: " + e.getMessage(), e);
            }
            i++;
        }
        f.advance(24 * 3600);
        afterEach();
    }

    // ------------------------------------------------------------------ actions

    private void apply(Op op) {
        long now = f.clock.millis();
        if (op instanceof Login l) {
            String id = agentId(l.agent());
            if (state(id) == AgentState.LOGGED_OUT) {
                acd.login(id);
            }
        } else if (op instanceof Ready r) {
            String id = agentId(r.agent());
            AgentState s = state(id);
            if (s == AgentState.NOT_READY || s == AgentState.WRAP_UP || s == AgentState.READY) {
                acd.ready(id);
            }
        } else if (op instanceof Pause p) {
            String id = agentId(p.agent());
            AgentState s = state(id);
            if (s == AgentState.NOT_READY || s == AgentState.WRAP_UP || s == AgentState.READY) {
                acd.notReady(id, "break");
            }
        } else if (op instanceof Logout l) {
            String id = agentId(l.agent());
            AgentState s = state(id);
            if (s != AgentState.OFFERED && s != AgentState.TALKING) {
                acd.logout(id);
            }
        } else if (op instanceof OtherCall o) {
            String id = agentId(o.agent());
            acd.onOtherCall(id, !acd.agent(id).orElseThrow().onOtherCall());
        } else if (op instanceof Reskill r) {
            String id = agentId(r.agent());
            Map<String, Integer> skills = new HashMap<>(profiles.get(id));
            if (r.level() == 0) {
                skills.remove(SKILLS[r.skill()]);
            } else {
                skills.put(SKILLS[r.skill()], r.level());
            }
            profile(id, skills);
        } else if (op instanceof Enqueue e) {
            String id = "c" + nextCall;
            String queue = "q" + e.queue();
            calls.put(id, new ModelCall(id, nextCall, now, e.priority(), queue));
            nextCall++;
            acd.enqueue(CallRequest.toQueue(id, queue, e.priority()));
        } else if (op instanceof Answer a) {
            pickOffer(a.pick()).ifPresent(callId -> acd.answered(callId, offerByCall.get(callId)));
        } else if (op instanceof Fail fl) {
            pickOffer(fl.pick()).ifPresent(callId -> acd.offerFailed(callId, clearOffer(callId), fl.failure()));
        } else if (op instanceof Withdraw w) {
            pickOffer(w.pick()).ifPresent(callId -> acd.offerWithdrawn(callId, clearOffer(callId)));
        } else if (op instanceof Abandon a) {
            pickLive(a.pick()).ifPresent(callId -> {
                if (!calls.get(callId).callback) {
                    clearOffer(callId);
                }
                acd.abandon(callId);
            });
        } else if (op instanceof Callback c) {
            pickLive(c.pick()).ifPresent(callId -> {
                if (!offerByCall.containsKey(callId)) {
                    calls.get(callId).callback = true;
                    acd.requestCallback(callId);
                }
            });
        } else if (op instanceof EndTalk t) {
            String id = agentId(t.pick());
            if (state(id) == AgentState.TALKING) {
                acd.callEnded(id);
                if (t.wrapUpNow()) {
                    acd.wrapUpDone(id);
                }
            }
        } else if (op instanceof Advance a) {
            f.advance(a.millis() / 1000.0);
        }
    }

    private static String agentId(int index) {
        return "a" + Math.floorMod(index, AGENTS);
    }

    private AgentState state(String id) {
        return acd.agent(id).orElseThrow().state();
    }

    private Optional<String> pickOffer(int pick) {
        List<String> offered = new ArrayList<>(offerByCall.keySet());
        offered.sort(null);
        return offered.isEmpty() ? Optional.empty() : Optional.of(offered.get(Math.floorMod(pick, offered.size())));
    }

    private Optional<String> pickLive(int pick) {
        List<String> live = calls.values().stream().filter(c -> !c.done).map(c -> c.id).toList();
        return live.isEmpty() ? Optional.empty() : Optional.of(live.get(Math.floorMod(pick, live.size())));
    }

    private String clearOffer(String callId) {
        String agent = offerByCall.remove(callId);
        if (agent != null) {
            offerByAgent.remove(agent);
        }
        return agent;
    }

    // ------------------------------------------------------------------ what the engine says

    @Override
    public void offer(Offer offer) {
        ModelCall c = calls.get(offer.callId());
        long now = f.clock.millis();
        check(c != null && !c.done, "offer of unknown or finished call " + offer.callId());
        check(!c.callback, "a callback call was offered to an agent: " + offer.callId());
        check(!offerByAgent.containsKey(offer.agentId()), "agent " + offer.agentId() + " got a second offer");
        check(!offerByCall.containsKey(offer.callId()), "call " + offer.callId() + " offered twice at once");
        check(qualifies(offer.agentId(), c, now), "agent " + offer.agentId() + " does not meet the step in force for "
                + offer.callId() + " after " + (now - c.queuedAtMs) + " ms in " + c.queue);
        for (ModelCall d : calls.values()) {
            if (d != c && !d.done && !offerByCall.containsKey(d.id) && qualifies(offer.agentId(), d, now)) {
                check(before(c, d), "agent " + offer.agentId() + " got " + c.id + " while better " + d.id + " waited");
            }
        }
        offerByAgent.put(offer.agentId(), offer.callId());
        offerByCall.put(offer.callId(), offer.agentId());
    }

    @Override
    public void agentChanged(AgentStatus agent, AgentState previous) {
        if (agent.state() != AgentState.OFFERED) {
            check(!offerByAgent.containsKey(agent.id()) || agent.state() == AgentState.TALKING
                    || agent.state() == previous, "agent " + agent.id() + " left its offer without an outcome");
        }
    }

    @Override
    public void event(AcdEvent event) {
        long now = f.clock.millis();
        if (event instanceof AcdEvent.CallAnswered e) {
            check(e.agentId().equals(offerByCall.get(e.callId())), "answer of a call not offered to the agent");
            clearOffer(e.callId());
            finish(e.callId(), now, e.queue(), RollingStats.ANSWERED);
        } else if (event instanceof AcdEvent.CallAbandoned e) {
            finish(e.callId(), now, e.queue(), RollingStats.ABANDONED);
        } else if (event instanceof AcdEvent.CallExited e) {
            finish(e.callId(), now, e.queue(), RollingStats.EXITED);
        } else if (event instanceof AcdEvent.CallbackDue e) {
            check(calls.get(e.callId()).callback, "callback due for a call that never asked");
            finish(e.callId(), now, e.queue(), RollingStats.EXITED);
        } else if (event instanceof AcdEvent.CallOverflowed e) {
            ModelCall c = calls.get(e.callId());
            check(c.queue.equals(e.fromQueue()), "overflow from the wrong queue");
            c.queue = e.toQueue();
            c.queuedAtMs = now;
        } else if (event instanceof AcdEvent.ReserveChanged e) {
            List<ReserveRule> rules = queueConfigs.get(e.queue()).reserves();
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).skill().equals(e.skill())) {
                    reserveOn.get(e.queue())[i] = e.active();
                }
            }
        }
    }

    private void finish(String callId, long now, String queue, int field) {
        ModelCall c = calls.get(callId);
        check(c != null && !c.done, "second outcome for call " + callId);
        check(c.queue.equals(queue), "outcome of " + callId + " in " + queue + " but the call is in " + c.queue);
        check(!offerByCall.containsKey(callId), "call " + callId + " ended while still offered");
        c.done = true;
        outcomes.add(new Outcome(now, queue, field, now - c.arrivalMs));
    }

    // ------------------------------------------------------------------ the model's rules

    private boolean qualifies(String agentId, ModelCall c, long now) {
        QueueConfig q = queueConfigs.get(c.queue);
        long waited = now - c.queuedAtMs;
        RelaxationStep inForce = q.steps().get(0);
        for (RelaxationStep s : q.steps()) {
            if (s.after().toMillis() <= waited) {
                inForce = s;
            }
        }
        Map<String, Integer> skills = profiles.get(agentId);
        for (SkillRequirement r : inForce.anyOf()) {
            if (skills.getOrDefault(r.skill(), 0) >= r.minLevel()) {
                return true;
            }
        }
        for (int i = 0; i < q.reserves().size(); i++) {
            ReserveRule r = q.reserves().get(i);
            if (reserveOn.get(c.queue)[i] && skills.getOrDefault(r.skill(), 0) >= r.minLevel()) {
                return true;
            }
        }
        return false;
    }

    private long key(ModelCall c) {
        return c.arrivalMs - queueConfigs.get(c.queue).boost().toMillis()
                - c.priority * acd.settings().priorityBoost().toMillis();
    }

    /** Whether {@code c} ranks before {@code d}: higher score, or equal score and earlier arrival. */
    private boolean before(ModelCall c, ModelCall d) {
        return key(c) < key(d) || (key(c) == key(d) && c.seq < d.seq);
    }

    private void afterEach() {
        acd.checkInvariants();
        for (ModelCall c : calls.values()) {
            check(acd.isQueued(c.id) == !c.done, "call " + c.id + (c.done ? " ended but is still queued" : " lost"));
        }
        for (Map.Entry<String, String> e : offerByAgent.entrySet()) {
            AgentStatus a = acd.agent(e.getKey()).orElseThrow();
            check(a.state() == AgentState.OFFERED && e.getValue().equals(a.callId()),
                    "agent " + e.getKey() + " should hold the offer of " + e.getValue());
        }
        checkMetrics();
    }

    private void checkMetrics() {
        long now = f.clock.millis();
        MetricsSnapshot m = acd.metrics();
        compare(m.overall(), null, now);
        for (String q : queueConfigs.keySet()) {
            compare(m.queues().get(q), q, now);
        }
    }

    private void compare(QueueMetrics actual, String queue, long now) {
        long minute = Math.floorDiv(now, 60_000L);
        long answered = 0;
        long answeredSl = 0;
        long abandoned = 0;
        long abandonedSl = 0;
        long exited = 0;
        long waitSum = 0;
        for (Outcome o : outcomes) {
            if ((queue != null && !queue.equals(o.queue())) || Math.floorDiv(o.atMs(), 60_000L) <= minute - 1440) {
                continue;
            }
            switch (o.field()) {
                case RollingStats.ANSWERED -> {
                    answered++;
                    waitSum += o.waitMs();
                    answeredSl += o.waitMs() <= SL_MS ? 1 : 0;
                }
                case RollingStats.ABANDONED -> {
                    abandoned++;
                    abandonedSl += o.waitMs() <= SL_MS ? 1 : 0;
                }
                default -> exited++;
            }
        }
        String where = queue == null ? "overall" : queue;
        check(actual.answered() == answered && actual.answeredWithinSl() == answeredSl
                && actual.abandoned() == abandoned && actual.abandonedWithinSl() == abandonedSl
                && actual.exited() == exited, where + " counts " + actual + " vs answered " + answered + "/"
                + answeredSl + " abandoned " + abandoned + "/" + abandonedSl + " exited " + exited);
        check(actual.asa().equals(Duration.ofMillis(answered == 0 ? 0 : waitSum / answered)), where + " ASA");
        close(actual.serviceLevel(), answered == 0 ? 1.0 : answeredSl / (double) answered, where + " SL");
        close(actual.serviceLevel2(), answered + abandoned == 0 ? 1.0
                : (answeredSl + abandonedSl) / (double) (answered + abandoned), where + " SL2");
        close(actual.abandonRate(), answered + abandoned == 0 ? 0.0 : abandoned / (double) (answered + abandoned),
                where + " abandonment");
        close(actual.connectRate(), answered + abandoned + exited == 0 ? 1.0
                : answered / (double) (answered + abandoned + exited), where + " connect rate");
    }

    private static void close(double actual, double expected, String what) {
        check(Math.abs(actual - expected) < 1e-12, what + ": " + actual + " vs " + expected);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    /** How many calls the run created and how many were answered: lets tests see that runs did something. */
    int callsCreated() {
        return nextCall;
    }

    long answered() {
        return outcomes.stream().filter(o -> o.field() == RollingStats.ANSWERED).count();
    }

    Instant now() {
        return f.clock.instant();
    }

    // ------------------------------------------------------------------ a plain generator (no library)

    /** A random sequence of {@code n} actions, weighted towards what keeps calls flowing. */
    static List<Op> randomOps(SplittableRandom r, int n) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            Op op;
            if (k < 8) {
                op = new Login(r.nextInt(AGENTS));
            } else if (k < 22) {
                op = new Ready(r.nextInt(AGENTS));
            } else if (k < 26) {
                op = new Pause(r.nextInt(AGENTS));
            } else if (k < 28) {
                op = new Logout(r.nextInt(AGENTS));
            } else if (k < 30) {
                op = new OtherCall(r.nextInt(AGENTS));
            } else if (k < 32) {
                op = new Reskill(r.nextInt(AGENTS), r.nextInt(3), r.nextInt(11));
            } else if (k < 48) {
                op = new Enqueue(r.nextInt(3), r.nextInt(3) == 0 ? r.nextInt(3) : 0);
            } else if (k < 58) {
                op = new Answer(r.nextInt(1000));
            } else if (k < 63) {
                op = new Fail(r.nextInt(1000), OfferFailure.values()[r.nextInt(4)]);
            } else if (k < 65) {
                op = new Withdraw(r.nextInt(1000));
            } else if (k < 71) {
                op = new Abandon(r.nextInt(1000));
            } else if (k < 73) {
                op = new Callback(r.nextInt(1000));
            } else if (k < 83) {
                op = new EndTalk(r.nextInt(AGENTS), r.nextBoolean());
            } else {
                op = new Advance(r.nextInt(20) == 0 ? r.nextInt(4 * 3600_000) : r.nextInt(40_000));
            }
            ops.add(op);
        }
        return ops;
    }
}
