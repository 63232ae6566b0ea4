package org.hotlinecti.cti.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.hotlinecti.cti.api.AgentCommands;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CtiRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two WebSocket endpoints. {@code /ws/agents/{id}} is an agent's desktop: it receives that agent's state, screen-pops
 * and tickets and sends the agent's commands ({@code login}, {@code ready}, {@code pause}, {@code logout},
 * {@code form}), each answered by an {@code ack} or an {@code error}. {@code /ws/monitor} receives everything.
 */
final class DesktopSockets {

    private static final Logger LOG = LoggerFactory.getLogger(DesktopSockets.class);

    /** Close code for a desktop of an agent that is not configured (4000-4999 are for applications). */
    static final short UNKNOWN_AGENT = 4404;
    /** Close code when the agent list could not be read (RFC 6455 1011: internal error). */
    static final short INTERNAL_ERROR = 1011;
    private static final int MAX_ECHOED_TYPE_LENGTH = 32;

    private final DesktopHub hub;
    private final DesktopMessages messages;
    private final JsonCodec json;
    private final AgentCommands agents;

    DesktopSockets(DesktopHub hub, DesktopMessages messages, JsonCodec json, AgentCommands agents) {
        this.hub = hub;
        this.messages = messages;
        this.json = json;
        this.agents = agents;
    }

    /** Called on the socket's event loop right after the upgrade. */
    void openAgentDesktop(String agentId, ServerWebSocket socket, Context context) {
        DesktopConnection connection = new DesktopConnection(socket, context,
                "desktop of agent " + agentId + " at " + socket.remoteAddress());
        // Registered before the agent is looked up, so no change between the lookup and now is missed.
        hub.addDesktop(agentId, connection);
        socket.closeHandler(v -> hub.removeDesktop(agentId, connection));
        socket.exceptionHandler(e -> refused(connection, e));
        socket.textMessageHandler(text -> onCommand(agentId, connection, text));
        socket.binaryMessageHandler(data -> connection.send(
                messages.error(null, "binary messages are not understood: send JSON text")));
        call(agents::agents).whenComplete((all, failure) -> {
            if (failure != null) {
                ApiFailure.of(failure, "agent lookup for " + connection.label());
                connection.close(INTERNAL_ERROR, ApiFailure.INTERNAL_ERROR);
                return;
            }
            Optional<AgentView> agent = find(all, agentId);
            if (agent.isEmpty()) {
                LOG.info("Refusing {}: no such agent", connection.label());
                connection.close(UNKNOWN_AGENT, closeReason("unknown agent: " + agentId));
            } else {
                connection.sendAgentSnapshot(messages.agent(agent.get()));
            }
        });
    }

    void openMonitor(ServerWebSocket socket, Context context) {
        DesktopConnection connection = new DesktopConnection(socket, context, "monitor at " + socket.remoteAddress());
        hub.addMonitor(connection);
        socket.closeHandler(v -> hub.removeMonitor(connection));
        socket.exceptionHandler(e -> refused(connection, e));
        socket.textMessageHandler(text -> connection.send(
                messages.error(null, "the monitor feed takes no commands")));
    }

    /**
     * Vert.x reports a message over the size limit (and a broken connection) here; the client learns why its message
     * went unanswered if it is still there to read it.
     */
    private void refused(DesktopConnection connection, Throwable failure) {
        LOG.debug("{}: {}", connection.label(), failure.toString());
        connection.send(messages.error(null, "message refused: " + failure.getMessage()));
    }

    private void onCommand(String agentId, DesktopConnection connection, String text) {
        String request = null;
        CompletionStage<AgentView> outcome;
        try {
            JsonNode message = json.parse(text);
            JsonNode type = message.get("type");
            if (!message.isObject() || type == null || !type.isTextual()) {
                throw RequestValidation.invalid("a message must be a JSON object with a \"type\"");
            }
            request = type.textValue().length() <= MAX_ECHOED_TYPE_LENGTH ? type.textValue() : null;
            outcome = switch (type.textValue()) {
                case "login" -> call(() -> agents.login(agentId));
                case "ready" -> call(() -> agents.ready(agentId));
                case "logout" -> call(() -> agents.logout(agentId));
                case "pause" -> {
                    String reason = RequestValidation.pauseReason(message.get("reason"));
                    yield call(() -> agents.notReady(agentId, reason));
                }
                case "form" -> {
                    String draftId = RequestValidation.requiredText(message.get("draft_id"), "draft_id");
                    var fields = RequestValidation.formFields(message.get("fields"));
                    yield call(() -> agents.submitForm(agentId, draftId, fields));
                }
                default -> throw RequestValidation.invalid("unknown message type: " + abbreviate(type.textValue()));
            };
        } catch (IllegalArgumentException | CtiRequestException e) {
            connection.send(messages.error(request, e.getMessage()));
            return;
        }
        String answered = request;
        outcome.whenComplete((view, failure) -> connection.send(failure == null
                ? messages.ack(answered)
                : messages.error(answered, ApiFailure.of(failure, answered + " from " + connection.label())
                        .message())));
    }

    /** An AgentCommands call that throws instead of failing its stage is treated the same. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Optional<AgentView> find(List<AgentView> all, String agentId) {
        return all == null ? Optional.empty() : all.stream().filter(a -> agentId.equals(a.id())).findFirst();
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_ECHOED_TYPE_LENGTH ? text : text.substring(0, MAX_ECHOED_TYPE_LENGTH) + "…";
    }

    /** Close reasons are limited to 123 bytes of UTF-8. */
    private static String closeReason(String reason) {
        String r = reason;
        while (r.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
