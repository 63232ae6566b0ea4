package org.hotlinecti.acd;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A decision or state change of the engine besides offers and agent state changes (which have their own
 * {@link AcdListener} methods). Every event carries the instant the engine made it at.
 */
public sealed interface AcdEvent {

    Instant at();

    /** A call entered a queue (also after an overflow or diversion into it). */
    record CallQueued(Instant at, String callId, String queue, boolean resumedPlace) implements AcdEvent {
    }

    /** A waiting call moved to a later relaxation step: more agents qualify now. */
    record CallRelaxed(Instant at, String callId, String queue, int step) implements AcdEvent {
    }

    /** An offered agent answered: the call left the engine after {@code waited}. */
    record CallAnswered(Instant at, String callId, String queue, String agentId, Duration waited)
            implements AcdEvent {
    }

    /** The caller hung up while waiting (or ringing). */
    record CallAbandoned(Instant at, String callId, String queue, Duration waited) implements AcdEvent {
    }

    /** A call left its queue for another queue. */
    record CallOverflowed(Instant at, String callId, String fromQueue, String toQueue, ExitReason reason)
            implements AcdEvent {
    }

    /** A call left the engine to voicemail or a callback: the owner must route it there. */
    record CallExited(Instant at, String callId, String queue, ExitTarget target, ExitReason reason,
            Map<String, String> data) implements AcdEvent {
    }

    /**
     * A call that is waiting as a callback (the caller hung up keeping the place) reached the place where an agent
     * would have taken it: the owner creates the callback task. The call has left the engine. {@code caller} is
     * personal data (a phone number in the CTI): never log this event as a whole.
     */
    record CallbackDue(Instant at, String callId, String queue, String caller, Map<String, String> data,
            Duration waited) implements AcdEvent {
    }

    /** A reserve of a queue switched on or off. */
    record ReserveChanged(Instant at, String queue, String skill, boolean active) implements AcdEvent {
    }

    /** A time-boxed pool (a skill with a schedule) became active or inactive. */
    record PoolChanged(Instant at, String skill, boolean active) implements AcdEvent {
    }

    /** A queue opened or closed by its schedule. */
    record QueueOpenChanged(Instant at, String queue, boolean open) implements AcdEvent {
    }

    /** An agent's not-ready period ended. */
    record PauseEnded(Instant at, PauseSession session) implements AcdEvent {
    }

    /** Why a call left its queue. */
    enum ExitReason { MAX_WAIT, DIVERTED, CLOSED }
}
