package org.hotlinecti.acd;

/**
 * Receives the engine's decisions and state changes. Called synchronously from within the engine method that caused
 * them, on the caller's thread; implementations must not call back into the engine from these methods (post the
 * work instead).
 */
public interface AcdListener {

    /** Connect the call to the agent now. */
    void offer(Offer offer);

    /** An agent changed state (including reason-only changes and the on-other-call flag). */
    void agentChanged(AgentStatus agent, AgentState previous);

    /** Every other decision: queued, relaxed, answered, abandoned, overflowed, exited, callback due, reserve ... */
    default void event(AcdEvent event) {
    }
}
