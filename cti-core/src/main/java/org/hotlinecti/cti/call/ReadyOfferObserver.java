package org.hotlinecti.cti.call;

/**
 * Told when an agent who just became ready while calls waited was offered one in the same step: the start of the
 * "agent ready → agent's phone ringing" latency the scenario runner measures (issue 3 asks p99 ≤ 20 ms through the
 * sim PBX). Called on the call loop, synchronously: implementations must only record and return.
 */
@FunctionalInterface
public interface ReadyOfferObserver {

    /**
     * @param agentId    the agent
     * @param extension  its phone's extension (the dialplan dials {@code PJSIP/agent<extension>})
     * @param callId     the call offered to it
     * @param readyNanos {@link System#nanoTime()} when the call loop began processing the ready (a ready command, a
     *                   saved form ending wrap-up, or the wrap-up cap)
     */
    void readyAgentOffered(String agentId, String extension, String callId, long readyNanos);
}
