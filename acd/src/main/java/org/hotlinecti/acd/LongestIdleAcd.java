package org.hotlinecti.acd;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The walking skeleton's engine: a call goes to the ready agent with the required skill who has been idle longest;
 * a freed agent takes the best waiting call it can serve (highest priority, then earliest arrival).
 *
 * <p>Linear scans over agents and calls: correct and simple, not fast. The full engine (strategies, relaxation,
 * reserves, indexes) replaces it behind {@link AcdEngine}.
 */
public final class LongestIdleAcd implements AcdEngine {

    private static final Comparator<Waiting> QUEUE_ORDER = Comparator
            .comparingInt((Waiting w) -> -w.request.priority())
            .thenComparing(w -> w.arrivedAt)
            .thenComparingLong(w -> w.sequence);

    private final Clock clock;
    private final AcdListener listener;
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Map<String, Waiting> calls = new LinkedHashMap<>();
    private long sequence;

    public LongestIdleAcd(Clock clock, AcdListener listener) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void defineAgent(AgentProfile profile) {
        Agent known = agents.get(profile.id());
        if (known == null) {
            agents.put(profile.id(), new Agent(profile, clock.instant()));
            return;
        }
        known.profile = profile;
        if (known.state == AgentState.READY) {
            offerBestCallTo(known);
        }
    }

    @Override
    public AgentStatus login(String agentId) {
        Agent agent = agent0(agentId);
        require(agent, AgentState.LOGGED_OUT);
        move(agent, AgentState.NOT_READY, "login", null);
        return agent.status();
    }

    @Override
    public AgentStatus ready(String agentId) {
        Agent agent = agent0(agentId);
        require(agent, AgentState.NOT_READY, AgentState.WRAP_UP, AgentState.READY);
        if (agent.state != AgentState.READY) {
            move(agent, AgentState.READY, null, null);
            offerBestCallTo(agent);
        }
        return agent.status();
    }

    @Override
    public AgentStatus notReady(String agentId, String reason) {
        Agent agent = agent0(agentId);
        require(agent, AgentState.READY, AgentState.NOT_READY, AgentState.WRAP_UP);
        move(agent, AgentState.NOT_READY, Objects.requireNonNull(reason, "reason"), null);
        return agent.status();
    }

    @Override
    public AgentStatus logout(String agentId) {
        Agent agent = agent0(agentId);
        require(agent, AgentState.READY, AgentState.NOT_READY, AgentState.WRAP_UP, AgentState.LOGGED_OUT);
        move(agent, AgentState.LOGGED_OUT, null, null);
        return agent.status();
    }

    @Override
    public void enqueue(CallRequest request) {
        if (calls.containsKey(request.callId())) {
            throw new AcdException(AcdException.Kind.ILLEGAL_STATE, "call " + request.callId() + " is already queued");
        }
        Waiting call = new Waiting(request, clock.instant(), sequence++);
        calls.put(request.callId(), call);
        Agent agent = longestIdleFor(request.requirement());
        if (agent != null) {
            offer(call, agent);
        }
    }

    @Override
    public void answered(String callId, String agentId) {
        Waiting call = offeredCall(callId, agentId);
        calls.remove(callId);
        move(agents.get(agentId), AgentState.TALKING, null, call.request.callId());
    }

    @Override
    public void offerFailed(String callId, String agentId, OfferFailure failure) {
        Waiting call = offeredCall(callId, agentId);
        call.offeredTo = null;
        move(agents.get(agentId), AgentState.NOT_READY, failure.reason(), null);
        routeCall(call);
    }

    @Override
    public void offerWithdrawn(String callId, String agentId) {
        Waiting call = offeredCall(callId, agentId);
        call.offeredTo = null;
        Agent agent = agents.get(agentId);
        move(agent, AgentState.READY, null, null);
        routeCall(call);
        if (agent.state == AgentState.READY) {
            offerBestCallTo(agent);
        }
    }

    @Override
    public void abandon(String callId) {
        Waiting call = calls.remove(callId);
        if (call == null || call.offeredTo == null) {
            return;
        }
        Agent agent = agents.get(call.offeredTo);
        move(agent, AgentState.READY, null, null);
        offerBestCallTo(agent);
    }

    @Override
    public void callEnded(String agentId) {
        Agent agent = agent0(agentId);
        require(agent, AgentState.TALKING);
        move(agent, AgentState.WRAP_UP, null, agent.callId);
    }

    @Override
    public AgentStatus wrapUpDone(String agentId) {
        Agent agent = agent0(agentId);
        require(agent, AgentState.WRAP_UP);
        move(agent, AgentState.READY, null, null);
        offerBestCallTo(agent);
        return agent.status();
    }

    @Override
    public Optional<AgentStatus> agent(String agentId) {
        return Optional.ofNullable(agents.get(agentId)).map(Agent::status);
    }

    @Override
    public List<AgentStatus> agents() {
        List<AgentStatus> all = new ArrayList<>(agents.size());
        agents.values().forEach(a -> all.add(a.status()));
        return all;
    }

    @Override
    public int waitingCount() {
        int n = 0;
        for (Waiting w : calls.values()) {
            if (w.offeredTo == null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean isQueued(String callId) {
        return calls.containsKey(callId);
    }

    private void routeCall(Waiting call) {
        Agent agent = longestIdleFor(call.request.requirement());
        if (agent != null) {
            offer(call, agent);
        }
    }

    private void offerBestCallTo(Agent agent) {
        Waiting best = null;
        for (Waiting w : calls.values()) {
            if (w.offeredTo == null && agent.profile.satisfies(w.request.requirement())
                    && (best == null || QUEUE_ORDER.compare(w, best) < 0)) {
                best = w;
            }
        }
        if (best != null) {
            offer(best, agent);
        }
    }

    private Agent longestIdleFor(SkillRequirement requirement) {
        Agent best = null;
        for (Agent a : agents.values()) {
            if (a.state == AgentState.READY && a.profile.satisfies(requirement)
                    && (best == null || a.idleSince.isBefore(best.idleSince))) {
                best = a;
            }
        }
        return best;
    }

    private void offer(Waiting call, Agent agent) {
        call.offeredTo = agent.profile.id();
        call.attempts++;
        move(agent, AgentState.OFFERED, null, call.request.callId());
        listener.offer(new Offer(call.request.callId(), agent.profile.id(), agent.profile.extension(), call.attempts));
    }

    private Waiting offeredCall(String callId, String agentId) {
        Waiting call = calls.get(callId);
        if (call == null) {
            throw new AcdException(AcdException.Kind.UNKNOWN_CALL, "call " + callId + " is not queued");
        }
        if (!agentId.equals(call.offeredTo)) {
            throw new AcdException(AcdException.Kind.ILLEGAL_STATE,
                    "call " + callId + " is not offered to agent " + agentId);
        }
        return call;
    }

    private Agent agent0(String agentId) {
        Agent agent = agents.get(agentId);
        if (agent == null) {
            throw new AcdException(AcdException.Kind.UNKNOWN_AGENT, "unknown agent " + agentId);
        }
        return agent;
    }

    private static void require(Agent agent, AgentState... allowed) {
        for (AgentState s : allowed) {
            if (agent.state == s) {
                return;
            }
        }
        throw new AcdException(AcdException.Kind.ILLEGAL_STATE,
                "agent " + agent.profile.id() + " is " + agent.state.wireName());
    }

    private void move(Agent agent, AgentState to, String reason, String callId) {
        AgentState from = agent.state;
        agent.state = to;
        agent.reason = reason;
        agent.callId = callId;
        agent.since = clock.instant();
        if (to == AgentState.READY && from != AgentState.OFFERED) {
            // an offer that never connected (caller gone, delivery failed) does not restart the agent's idle time
            agent.idleSince = agent.since;
        }
        listener.agentChanged(agent.status(), from);
    }

    private static final class Agent {
        AgentProfile profile;
        AgentState state = AgentState.LOGGED_OUT;
        String reason;
        String callId;
        Instant since;
        /** Start of the agent's current idle period: when it last became ready other than after an offer. */
        Instant idleSince;

        Agent(AgentProfile profile, Instant since) {
            this.profile = profile;
            this.since = since;
            this.idleSince = since;
        }

        AgentStatus status() {
            return new AgentStatus(profile, state, reason, since, callId);
        }
    }

    private static final class Waiting {
        final CallRequest request;
        final Instant arrivedAt;
        final long sequence;
        String offeredTo;
        int attempts;

        Waiting(CallRequest request, Instant arrivedAt, long sequence) {
            this.request = request;
            this.arrivedAt = arrivedAt;
            this.sequence = sequence;
        }
    }
}
