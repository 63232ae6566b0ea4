package org.hotlinecti.cti.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A reading WebSocket test client: keeps every message it receives and how the server closed it. */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    volatile Integer closeCode;
    volatile String closeReason;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static WsClient connect(HttpClient http, URI uri) throws Exception {
        WsClient client = new WsClient();
        client.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, client).get(5, TimeUnit.SECONDS);
        return client;
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /** Sends one message as several frames. */
    void sendInFrames(String... parts) throws Exception {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).get(5, TimeUnit.SECONDS);
        }
    }

    /** Waits for the first message (from the start) that matches, and returns it. */
    JsonNode await(Predicate<JsonNode> match) {
        return WebServerFixture.eventually().until(() -> find(match), Optional::isPresent).orElseThrow();
    }

    JsonNode awaitType(String type) {
        return await(m -> type.equals(m.path("type").asText()));
    }

    Optional<JsonNode> find(Predicate<JsonNode> match) {
        return received.stream().filter(match).findFirst();
    }

    List<JsonNode> ofType(String type) {
        return received.stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    void awaitClosed() {
        WebServerFixture.eventually().until(() -> closeCode != null);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                received.add(MAPPER.readTree(text));
            } catch (Exception e) {
                received.add(MAPPER.createObjectNode().put("type", "not-json").put("text", text));
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode = statusCode;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeReason = String.valueOf(error);
        closeCode = -1;
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        if (socket != null) {
            socket.abort();
        }
    }
}
