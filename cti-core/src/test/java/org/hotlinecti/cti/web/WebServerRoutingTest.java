package org.hotlinecti.cti.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /api/queues} (wallboard) and {@code GET /api/callbacks} in the API's JSON. */
class WebServerRoutingTest extends WebServerFixture {

    @Test
    void queuesIsTheWallboardInSnakeCase() throws Exception {
        HttpResponse<String> response = get("/api/queues");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode board = json(response);
        assertThat(board.get("at").asText()).isEqualTo("2026-11-22T10:00:00+08:00");
        assertThat(board.get("service_level_seconds").asInt()).isEqualTo(15);
        assertThat(board.get("overall").get("service_level").asDouble()).isEqualTo(0.95);
        assertThat(board.get("overall").get("connect_rate").asDouble()).isEqualTo(0.9302);
        assertThat(board.get("overall").get("asa_ms").asLong()).isEqualTo(4_200);
        assertThat(board.get("queues").get(0).get("queue").asText()).isEqualTo("general");
        JsonNode waiting = board.get("waiting").get(0);
        assertThat(waiting.get("position").asInt()).isEqualTo(1);
        assertThat(waiting.get("estimated_wait_ms").asLong()).isEqualTo(12_000);
    }

    @Test
    void callbacksListsTheDueCallBacks() throws Exception {
        HttpResponse<String> response = get("/api/callbacks");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode task = json(response).get("callbacks").get(0);
        assertThat(task.get("call_id").asText()).isEqualTo("1795322295.3");
        assertThat(task.get("caller").asText()).isEqualTo("13800001111");
        assertThat(task.get("line").asText()).isEqualTo("12345");
        assertThat(task.get("due_at").asText()).isEqualTo("2026-11-22T10:10:00+08:00");
        assertThat(task.get("waited_seconds").asLong()).isEqualTo(95);
    }
}
