package org.hotlinecti.acd;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The routing engine: agents, queues, waiting calls, and the decision which agent gets which call.
 *
 * <p>Contract every implementation honours:
 * <ul>
 *   <li><b>No I/O, no threads, no clock of its own.</b> Time comes from the {@link java.time.Clock} given at
 *       construction, randomness from an injected generator. Not thread-safe: the owner calls it from one thread
 *       (the CTI's call loop).</li>
 *   <li><b>Event-driven, and the owner drives time.</b> A decision is made inside the call that makes it possible:
 *       {@link #enqueue} offers the new call if an agent may take it; {@link #ready}, {@link #wrapUpDone} and every
 *       transition that returns an agent to {@link AgentState#READY} offer that agent the best waiting call it can
 *       serve. Things that happen because time passed (a relaxation step, max wait, a reserve threshold of the
 *       oldest call, a back-off or wrap-up cap expiring, a schedule opening or closing) happen in {@link #tick()}.
 *       After <em>every</em> call into the engine the owner asks {@link #nextDeadline()} and arranges one wake-up at
 *       that instant (replacing the previous one); at the wake-up it calls {@link #tick()}. Calling {@code tick}
 *       early or late is harmless: it does what is due at the clock's instant. Nothing is polled.</li>
 *   <li><b>No idle match.</b> When any public method returns, no ready agent qualifies for any waiting call (every
 *       possible offer has been made).</li>
 *   <li><b>One offer at a time.</b> An agent holds at most one offer; a call is offered to at most one agent at a
 *       time. An offer is resolved by exactly one of {@link #answered}, {@link #offerFailed},
 *       {@link #offerWithdrawn} or {@link #abandon}.</li>
 *   <li><b>Global order.</b> A freed agent takes, over all queues it may serve, the call with the highest score:
 *       time waited + the queue's boost + priority × {@link AcdSettings#priorityBoost()}; equal scores leave in
 *       arrival order. A call keeps its place (its score) when an offer fails or is withdrawn.</li>
 *   <li>Refused requests throw {@link AcdException}; the engine state is unchanged then.</li>
 * </ul>
 */
public interface AcdEngine {

    // ------------------------------------------------------------------ configuration (applies live)

    /** Adds an agent (logged out) or updates a known agent's profile; skill changes apply to the next decision. */
    void defineAgent(AgentProfile profile);

    /**
     * Adds or replaces a queue. Waiting calls of a replaced queue keep their place and move to the step their wait
     * has reached under the new steps; strategy, reserves and exits apply to the next decision.
     */
    void defineQueue(QueueConfig queue);

    /** The queues, in definition order (including those created on first use for a bare skill). */
    List<QueueConfig> queues();

    /**
     * Makes {@code skill} a time-boxed pool (领导接听日): agents holding the skill qualify through it only while the
     * schedule is on. {@link Schedule#ALWAYS} makes it a plain skill again.
     */
    void definePool(String skill, Schedule schedule);

    /** Replaces the engine-wide settings; a changed priority boost re-scores the waiting calls. */
    void updateSettings(AcdSettings settings);

    AcdSettings settings();

    // ------------------------------------------------------------------ agents

    /** Logs an agent in: {@link AgentState#NOT_READY} with reason {@code login}. Allowed when logged out. */
    AgentStatus login(String agentId);

    /** Makes an agent ready (allowed from not ready, wrap-up and ready); may offer it a call at once. */
    AgentStatus ready(String agentId);

    /** Takes a break with a reason (allowed from ready, not ready and wrap-up); starts a pause session. */
    AgentStatus notReady(String agentId, String reason);

    /** Logs an agent out (not while offered or talking). */
    AgentStatus logout(String agentId);

    /**
     * Marks an agent as on (or off) a call outside the queues: routing skips it meanwhile, whatever its state.
     * Clearing the flag of a ready agent may offer it a call at once.
     */
    AgentStatus onOtherCall(String agentId, boolean busy);

    /** The talking agent's call ended: the agent enters wrap-up (后处理), capped by the queue's wrap-up maximum. */
    void callEnded(String agentId);

    /** Wrap-up finished (ticket saved): the agent is ready. */
    AgentStatus wrapUpDone(String agentId);

    Optional<AgentStatus> agent(String agentId);

    /** Every known agent, in definition order. */
    List<AgentStatus> agents();

    /** The agent's finished pause sessions, oldest first (the most recent 100 are kept). */
    List<PauseSession> pauseSessions(String agentId);

    // ------------------------------------------------------------------ calls

    /**
     * Queues a call; offers it at once when a qualifying agent is ready. A call arriving at a closed queue, or
     * diverted by the queue's diversion rule, leaves at once (an event says where). A known call id is an error.
     */
    void enqueue(CallRequest call);

    /** The offered agent answered: the agent is talking and the call leaves the engine. */
    void answered(String callId, String agentId);

    /**
     * The offered agent did not take the call: the agent becomes not ready (reason from {@code failure}) for the
     * back-off of {@link AcdSettings#backoff()}; the call returns to its place and goes to the next qualifying ready
     * agent if there is one.
     */
    void offerFailed(String callId, String agentId, OfferFailure failure);

    /** The offer could not be delivered for a reason that is not the agent's fault: the agent is ready again and the
     * call returns to its place. */
    void offerWithdrawn(String callId, String agentId);

    /**
     * The caller hung up: the call leaves the queue; an agent it was offered to becomes ready again. Unknown
     * (already answered or removed) calls and calls held as callbacks are ignored, because hang-ups race with answers
     * and a callback caller hangs up on purpose.
     */
    void abandon(String callId);

    /**
     * Callback in queue: the caller will hang up but the call keeps its place. When it reaches the place where an
     * agent would take it, {@link AcdEvent.CallbackDue} is emitted and the call leaves; the agent stays free.
     * Allowed for a waiting call that is not being offered.
     */
    void requestCallback(String callId);

    /** Drops a call held as a callback (the task was created elsewhere or cancelled). Unknown ids are ignored. */
    void cancelCallback(String callId);

    /** Number of calls waiting (not counting calls currently offered). */
    int waitingCount();

    /** Whether the call is known to the engine (waiting, offered or held as a callback). */
    boolean isQueued(String callId);

    /**
     * Position and estimated wait of a waiting call. Position counts the calls of the same queue ahead of it by score
     * (O(queue length)). Estimated wait = position × the queue's observed answer interval: an exponentially
     * weighted average (α = 0.25) of the time between consecutive answers of the queue, measured only while calls
     * were waiting throughout the interval. Before such a measurement exists, the interval is the average handle
     * time (talk + wrap-up, same averaging, {@link AcdSettings#defaultAht()} at first) divided by the number of
     * logged-in agents that qualify at the first step (at least 1).
     */
    Optional<CallEstimate> estimate(String callId);

    /** SL, SL2, ASA, abandonment and connect rate per queue and overall; cheap (running totals). */
    MetricsSnapshot metrics();

    // ------------------------------------------------------------------ time

    /** The next instant {@link #tick()} has something to do, or empty when nothing is timed. */
    Optional<Instant> nextDeadline();

    /** Does everything due at the clock's instant: relaxation steps, exits, reserves, back-offs, schedules. */
    void tick();
}
