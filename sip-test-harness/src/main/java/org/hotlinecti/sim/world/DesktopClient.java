package org.hotlinecti.sim.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A simulated agent desktop: the same WebSocket conversation a browser desktop has with the CTI
 * ({@code /ws/agents/{id}}), so the scenario runner and the demo exercise the real desktop protocol.
 */
public final class DesktopClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String agentId;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private WebSocket socket;

    private DesktopClient(String agentId) {
        this.agentId = agentId;
    }

    /** Opens the desktop socket of {@code agentId} on the CTI at {@code baseUrl} (http://host:port). */
    public static DesktopClient connect(HttpClient http, String baseUrl, String agentId, Duration timeout) {
        DesktopClient client = new DesktopClient(agentId);
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws/agents/" + agentId);
        try {
            client.socket = http.newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(uri, client.new Listener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("agent " + agentId + ": cannot open desktop socket " + uri + ": "
                    + e.getMessage(), e);
        }
        return client;
    }

    public String agentId() {
        return agentId;
    }

    /** Called for every message from the CTI, on the socket's thread; must not block. */
    public void onMessage(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    /** Every message received so far, in order. */
    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** Screen-pops received so far. */
    public List<JsonNode> screenPops() {
        return received.stream().filter(m -> "screen_pop".equals(m.path("type").asText())).toList();
    }

    public CompletionStage<WebSocket> login() {
        return send(Map.of("type", "login"));
    }

    public CompletionStage<WebSocket> ready() {
        return send(Map.of("type", "ready"));
    }


    /** Saves the ticket form for a popped call (ends wrap-up). */
    public CompletionStage<WebSocket> submitForm(String draftId, Map<String, String> fields) {
        ObjectNode msg = JSON.createObjectNode().put("type", "form").put("draft_id", draftId);
        msg.set("fields", JSON.valueToTree(fields));
        return sendText(msg.toString());
    }

    private CompletionStage<WebSocket> send(Map<String, String> message) {
        return sendText(JSON.valueToTree(message).toString());
    }

    private synchronized CompletionStage<WebSocket> sendText(String text) {
        // WebSocket allows one outstanding send at a time: chain them
        CompletableFuture<WebSocket> next = pending.thenCompose(ws -> socket.sendText(text, true));
        pending = next.exceptionally(e -> socket);
        return next;
    }

    private CompletableFuture<WebSocket> pending = CompletableFuture.completedFuture(null);

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    received.add(message);
                    for (Consumer<JsonNode> l : listeners) {
                        l.accept(message);
                    }
                } catch (Exception e) {
                    received.add(JSON.createObjectNode().put("type", "unparseable").put("text", partial.toString()));
                } finally {
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
