package org.hotlinecti.acd;

import java.util.List;
import java.util.Optional;

/**
 * The routing engine: agents, waiting calls, and the decision which agent gets which call.
 *
 * <p>Contract every implementation honours:
 * <ul>
 *   <li><b>No I/O, no threads, no clock of its own.</b> Time comes from the {@link java.time.Clock} given at
 *       construction. Not thread-safe: the owner calls it from one thread (the CTI's call loop).</li>
 *   <li><b>Event-driven.</b> A decision is made inside the call that makes it possible: {@link #enqueue} offers the
 *       new call if an agent is ready; {@link #ready}, {@link #wrapUpDone} and every transition that returns an agent
 *       to {@link AgentState#READY} offer that agent the best waiting call it can serve. Nothing is polled.</li>
 *   <li><b>One offer at a time.</b> An agent holds at most one offer; a call is offered to at most one agent at a
 *       time. An offer is resolved by exactly one of {@link #answered}, {@link #offerFailed},
 *       {@link #offerWithdrawn} or {@link #abandon}.</li>
 *   <li><b>A call keeps its place.</b> A call whose offer failed or was withdrawn goes back to the queue with its
 *       original arrival time, so it is at the head among calls of its priority.</li>
 *   <li>Transitions the agent's state forbids throw {@link AcdException}; the engine state is unchanged then.</li>
 * </ul>
 */
public interface AcdEngine {

    /** Adds an agent (logged out) or updates a known agent's profile; skill changes apply to the next decision. */
    void defineAgent(AgentProfile profile);

    /** Logs an agent in: {@link AgentState#NOT_READY} with reason {@code login}. Allowed when logged out. */
    AgentStatus login(String agentId);

    /** Makes an agent ready (allowed from not ready and wrap-up); may offer it a call at once. */
    AgentStatus ready(String agentId);

    /** Takes a break with a reason (allowed from ready, not ready and wrap-up). */
    AgentStatus notReady(String agentId, String reason);

    /** Logs an agent out (not while offered or talking). */
    AgentStatus logout(String agentId);

    /** Queues a call; offers it at once when a suitable agent is ready. A known call id is an error. */
    void enqueue(CallRequest call);

    /** The offered agent answered: the agent is talking and the call leaves the engine. */
    void answered(String callId, String agentId);

    /** The offered agent did not take the call: the agent becomes not ready (reason from {@code failure}) and the
     * call returns to the queue at its place, then goes to the next suitable ready agent if there is one. */
    void offerFailed(String callId, String agentId, OfferFailure failure);

    /** The offer could not be delivered for a reason that is not the agent's fault: the agent is ready again and the
     * call returns to the queue at its place. */
    void offerWithdrawn(String callId, String agentId);

    /** The caller hung up: the call leaves the queue; an agent it was offered to becomes ready again.
     * Unknown (already answered or removed) calls are ignored, because hang-ups race with answers. */
    void abandon(String callId);

    /** The talking agent's call ended: the agent enters wrap-up (后处理). */
    void callEnded(String agentId);

    /** Wrap-up finished (ticket saved, or the wrap-up cap reached): the agent is ready. */
    AgentStatus wrapUpDone(String agentId);

    Optional<AgentStatus> agent(String agentId);

    /** Every known agent, in definition order. */
    List<AgentStatus> agents();

    /** Number of calls waiting (not counting calls currently offered). */
    int waitingCount();

    /** Whether the call is known to the engine (waiting or offered). */
    boolean isQueued(String callId);
}
