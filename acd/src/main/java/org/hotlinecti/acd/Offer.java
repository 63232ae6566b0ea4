package org.hotlinecti.acd;

/**
 * A routing decision: connect {@code callId} to {@code agentId}. The agent is {@link AgentState#OFFERED} until the
 * caller of the engine reports {@code answered}, {@code offerFailed}, {@code offerWithdrawn} or {@code abandon}.
 *
 * @param extension the agent's extension, for the PBX
 * @param attempt   1 for the call's first offer, 2 for the next after a failure ...
 */
public record Offer(String callId, String agentId, String extension, int attempt) {
}
