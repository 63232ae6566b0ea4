package org.hotlinecti.cti.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What an agent's desktop (or the REST API on its behalf) can ask. Every stage completes with the agent's new view,
 * or fails with {@link CtiRequestException} naming the problem (unknown agent, action not allowed in this state ...).
 */
public interface AgentCommands {

    /** Logs the agent in; the agent starts not ready (reason {@code login}) until {@link #ready}. */
    CompletionStage<AgentView> login(String agentId);

    /** The agent is ready for calls. Allowed when logged in and not on a call; ends wrap-up early. */
    CompletionStage<AgentView> ready(String agentId);

    /** The agent takes a break ({@code reason} such as {@code break}, {@code meeting}); no new calls are offered. */
    CompletionStage<AgentView> notReady(String agentId, String reason);

    /** Logs the agent out. Not allowed while offered or talking. */
    CompletionStage<AgentView> logout(String agentId);

    /**
     * Saves the agent's ticket form for the call that popped with {@code draftId}. During wrap-up this ends the
     * wrap-up: the agent becomes ready. A form may arrive before or after the call's ticket row exists; it is never
     * lost either way.
     */
    CompletionStage<AgentView> submitForm(String agentId, String draftId, Map<String, String> fields);

    /** Every configured agent. */
    CompletionStage<List<AgentView>> agents();
}
