package org.hotlinecti.cti.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.api.CtiRequestException;
import org.hotlinecti.cti.api.CtiRequestException.Kind;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebServerRestTest extends WebServerFixture {

    @Test
    void statusIsTheStatusSourcesAnswerInSnakeCase() throws Exception {
        HttpResponse<String> response = get("/api/status");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode status = json(response);
        assertThat(status.get("started_at").asText()).isEqualTo("2026-11-22T08:00:00+08:00");
        assertThat(status.get("ami_connected").asBoolean()).isTrue();
        assertThat(status.get("asterisk_version").asText()).isEqualTo("22.5.2");
        assertThat(status.get("active_calls").asInt()).isEqualTo(3);
        assertThat(status.get("waiting_calls").asInt()).isEqualTo(1);
        assertThat(status.get("agents_by_state").get("talking").asInt()).isEqualTo(2);
        assertThat(status.get("tickets_written").asLong()).isEqualTo(42);
    }

    @Test
    void agentsAreAListOfAgentViews() throws Exception {
        HttpResponse<String> response = get("/api/agents");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(2);
        JsonNode first = list.get(0);
        assertThat(first.get("id").asText()).isEqualTo("1001");
        assertThat(first.get("name").asText()).isEqualTo("张三");
        assertThat(first.get("extension").asText()).isEqualTo("81001");
        assertThat(first.get("skills").get("market").asInt()).isEqualTo(8);
        assertThat(first.get("state").asText()).isEqualTo("logged_out");
        assertThat(first.get("since").asText()).isEqualTo("2026-11-22T09:00:00+08:00");
        assertThat(first.has("call_linked_id")).isTrue();
        assertThat(first.get("call_linked_id").isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"login, not_ready", "ready, ready", "logout, logged_out"})
    void agentCommandsAnswerWithTheNewView(String command, String state) throws Exception {
        HttpResponse<String> response = post("/api/agents/1001/" + command, "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("state").asText()).isEqualTo(state);
        assertThat(agents.calls).containsExactly(command + " 1001");
    }

    @Test
    void pauseForwardsTheReason() throws Exception {
        HttpResponse<String> response = post("/api/agents/1002/pause", "{\"reason\":\"break\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("reason").asText()).isEqualTo("break");
        assertThat(agents.calls).containsExactly("pause 1002 break");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "{\"reason\":\"\"}", "{\"reason\":7}", "[]", "not json",
            "{\"reason\":\"123456789012345678901234567890123\"}"})
    void pauseWithoutAUsableReasonIs400(String body) throws Exception {
        HttpResponse<String> response = post("/api/agents/1002/pause", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).containsAnyOf("reason", "request body");
        assertThat(agents.calls).isEmpty();
    }

    @Test
    void reasonOf32CharactersIsAccepted() throws Exception {
        String reason = "a".repeat(32);

        assertThat(post("/api/agents/1002/pause", "{\"reason\":\"" + reason + "\"}").statusCode()).isEqualTo(200);
        assertThat(agents.calls).containsExactly("pause 1002 " + reason);
    }

    @ParameterizedTest
    @CsvSource({"NOT_FOUND, 404", "CONFLICT, 409", "INVALID, 400"})
    void refusedCommandsMapToTheirStatus(Kind kind, int status) throws Exception {
        agents.failNext(new CtiRequestException(kind, "坐席正在通话，不能登出"));

        HttpResponse<String> response = post("/api/agents/1001/logout", "");

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).get("error").asText()).isEqualTo("坐席正在通话，不能登出");
    }

    @Test
    void unknownAgentIs404() throws Exception {
        HttpResponse<String> response = post("/api/agents/9999/login", "");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("no agent 9999");
    }

    @Test
    void anUnexpectedFailureIs500WithoutDetail() throws Exception {
        agents.failNext(new IllegalStateException("secret internals"));
        HttpResponse<String> failed = post("/api/agents/1001/login", "");
        agents.throwNext(new NullPointerException("thrown, not failed"));
        HttpResponse<String> thrown = post("/api/agents/1001/ready", "");

        for (HttpResponse<String> response : List.of(failed, thrown)) {
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("{\"error\":\"internal error\"}");
        }
    }

    @Test
    void ticketsAreListedNewestFirstAndFlat() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T02:00:00Z");
        Ticket older = saveTicket("L1", "13800001111", "12315", "1001", Disposition.ANSWERED, t0);
        Ticket newer = saveTicket("L2", "13900002222", "12345", null, Disposition.ABANDONED, t0.plusSeconds(60));

        HttpResponse<String> response = get("/api/tickets");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = json(response).get("tickets");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("number").asText()).isEqualTo(newer.number());
        JsonNode t = list.get(1);
        assertThat(t.get("number").asText()).isEqualTo(older.number());
        assertThat(t.get("linked_id").asText()).isEqualTo("L1");
        assertThat(t.get("draft_id").asText()).isEqualTo("draft-L1");
        assertThat(t.get("caller").asText()).isEqualTo("13800001111");
        assertThat(t.get("line").asText()).isEqualTo("12315");
        assertThat(t.get("line_name").asText()).isEqualTo("12315 热线");
        assertThat(t.get("ivr_path").toString()).isEqualTo("[\"welcome\",\"queue\"]");
        assertThat(t.get("disposition").asText()).isEqualTo("answered");
        assertThat(t.get("end_stage").asText()).isEqualTo("survey");
        assertThat(t.get("agent").asText()).isEqualTo("1001");
        assertThat(t.get("ended_at").asText()).isEqualTo("2026-11-22T10:00:00+08:00");
        assertThat(t.get("queue_wait_seconds").asLong()).isEqualTo(30);
        assertThat(t.get("survey_score").asInt()).isEqualTo(4);
        assertThat(t.get("form").get("summary").asText()).isEqualTo("测试");
        assertThat(t.get("created_at").asText()).isEqualTo("2026-11-22T20:00:00+08:00");
        assertThat(t.has("call")).isFalse();
        assertThat(list.get(0).get("answered_at").isNull()).isTrue();
        assertThat(tickets.callsOnEventLoop).hasValue(0);
    }

    @Test
    void ticketsAreFilteredAndPaged() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T02:00:00Z");
        Ticket a = saveTicket("L1", "13800001111", "12315", "1001", Disposition.ANSWERED, t0);
        Ticket b = saveTicket("L2", "13800001111", "12345", "1002", Disposition.ANSWERED, t0.plusSeconds(1));
        Ticket c = saveTicket("L3", "13900002222", "12315", null, Disposition.ABANDONED, t0.plusSeconds(2));

        assertThat(numbers("/api/tickets?caller=13800001111")).containsExactly(b.number(), a.number());
        assertThat(numbers("/api/tickets?line=12315")).containsExactly(c.number(), a.number());
        assertThat(numbers("/api/tickets?agent=1002")).containsExactly(b.number());
        assertThat(numbers("/api/tickets?disposition=abandoned")).containsExactly(c.number());
        assertThat(numbers("/api/tickets?caller=&line=&limit=2&offset=0")).containsExactly(c.number(), b.number());
        assertThat(numbers("/api/tickets?limit=2&offset=2")).containsExactly(a.number());
        assertThat(numbers("/api/tickets?number=" + b.number())).containsExactly(b.number());
        assertThat(numbers("/api/tickets?from=" + t0.plusSeconds(1) + "&to=2026-11-22T10:00:02%2B08:00"))
                .containsExactly(b.number());
        assertThat(tickets.callsOnEventLoop).hasValue(0);
    }

    @ParameterizedTest
    @CsvSource({"limit=abc, limit", "limit=0, limit", "limit=501, limit", "offset=-1, offset",
            "offset=x, offset", "disposition=ANSWERED, disposition", "disposition=lost, disposition",
            "from=yesterday, from", "to=2026-11-22, to",
            "from=2026-11-22T00:00:00Z&to=2026-11-22T00:00:00%2B08:00, to"})
    void badListParametersAre400NamingTheParameter(String query, String parameter) throws Exception {
        HttpResponse<String> response = get("/api/tickets?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).startsWith(parameter + " must be");
    }

    @Test
    void aTicketIsFoundByNumber() throws Exception {
        Ticket saved = saveTicket("L1", "13800001111", "12315", "1001", Disposition.ANSWERED,
                Instant.parse("2026-11-22T02:00:00Z"));

        HttpResponse<String> response = get("/api/tickets/" + saved.number());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("linked_id").asText()).isEqualTo("L1");
        assertThat(tickets.callsOnEventLoop).hasValue(0);
    }

    @Test
    void aTicketsLedgerIsServedAndAStoreWithoutJournalSaysSo() throws Exception {
        Ticket saved = saveTicket("L1", "13800001111", "12315", "1001", Disposition.ANSWERED,
                Instant.parse("2026-11-22T02:00:00Z"));

        HttpResponse<String> ledger = get("/api/tickets/" + saved.number() + "/ledger");
        assertThat(ledger.statusCode()).isEqualTo(200);
        assertThat(json(ledger).get("linked_id").asText()).isEqualTo("L1");
        assertThat(json(ledger).get("events").isArray()).isTrue();
        assertThat(get("/api/tickets/20261122-9999999/ledger").statusCode()).isEqualTo(404);

        HttpResponse<String> journal = get("/api/journal");
        assertThat(journal.statusCode()).isEqualTo(404);
        assertThat(json(journal).get("error").asText()).isEqualTo("no ticket journal");
        assertThat(tickets.callsOnEventLoop).hasValue(0);
    }

    @Test
    void anUnknownTicketIs404() throws Exception {
        HttpResponse<String> response = get("/api/tickets/20261122-9999999");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("no ticket 20261122-9999999");
    }

    @Test
    void aBrokenStoreIs500() throws Exception {
        database.close();

        HttpResponse<String> response = get("/api/tickets");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).get("error").asText()).isEqualTo("internal error");
    }

    @Test
    void aFormIsSubmittedForTheAgent() throws Exception {
        HttpResponse<String> response = put("/api/tickets/drafts/d-1/form?agent=1001",
                "{\"fields\":{\"category\":\"投诉\",\"summary\":\"路灯不亮\"}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("id").asText()).isEqualTo("1001");
        assertThat(agents.calls).containsExactly("form 1001 d-1 {category=投诉, summary=路灯不亮}");
    }

    @Test
    void aFormAtTheLimitsIsAccepted() throws Exception {
        StringBuilder fields = new StringBuilder("{\"fields\":{");
        for (int i = 0; i < 50; i++) {
            fields.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"").append("汉".repeat(4000))
                    .append('"');
        }
        fields.append("}}");

        assertThat(put("/api/tickets/drafts/d-1/form?agent=1001", fields.toString()).statusCode()).isEqualTo(200);
    }

    @Test
    void badFormsAre400() throws Exception {
        StringBuilder tooMany = new StringBuilder("{\"fields\":{");
        for (int i = 0; i < 51; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"x\"");
        }
        tooMany.append("}}");
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"?agent=1001", "{}", "fields is required"},
                new String[] {"?agent=1001", "{\"fields\":[]}", "fields must be a JSON object"},
                new String[] {"?agent=1001", "{\"fields\":{\"n\":1}}", "field n must be a string"},
                new String[] {"?agent=1001", "{\"fields\":{\"n\":null}}", "field n must be a string"},
                new String[] {"?agent=1001", "{\"fields\":{\"n\":\"" + "x".repeat(4001) + "\"}}",
                        "field n is longer than 4000 characters"},
                new String[] {"?agent=1001", tooMany.toString(), "fields has 51 entries"},
                new String[] {"", "{\"fields\":{}}", "query parameter agent is required"},
                new String[] {"?agent=1001", "{\"fields\":", "request body is malformed JSON"}));
        for (String[] c : cases) {
            HttpResponse<String> response = put("/api/tickets/drafts/d-1/form" + c[0], c[1]);

            assertThat(response.statusCode()).as(c[2]).isEqualTo(400);
            assertThat(json(response).get("error").asText()).as(c[2]).startsWith(c[2]);
        }
        assertThat(agents.calls).isEmpty();
    }

    @Test
    void aBodyLargerThanTheLimitIs413() throws Exception {
        HttpResponse<String> response = put("/api/tickets/drafts/d-1/form?agent=1001",
                "{\"fields\":{\"n\":\"" + "x".repeat(1024 * 1024) + "\"}}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).startsWith("request body larger than");
    }

    @Test
    void unknownPathsAndMethodsGetJsonErrors() throws Exception {
        HttpResponse<String> missing = get("/api/nothing-here");
        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(uri("/api/status")).DELETE());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("not found");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod).get("error").asText()).isEqualTo("method not allowed");
    }

    @Test
    void thePageIsServedAsUtf8Html() throws Exception {
        HttpResponse<String> page = get("/");
        HttpResponse<String> script = get("/app.js");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow().toLowerCase())
                .startsWith("text/html").contains("charset=utf-8");
        assertThat(page.body()).contains("<title>12345 热线 CTI — 实时监控</title>");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
        assertThat(script.body()).contains("/ws/monitor").doesNotContain("innerHTML");
    }

    @Test
    void aWebSocketEndpointAskedForByPlainHttpIs400() throws Exception {
        HttpResponse<String> response = get("/ws/monitor");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains("WebSocket");
    }

    @Test
    void aTakenPortGivesAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            WebServer second = new WebServer(vertx, "127.0.0.1", taken.getLocalPort(), agents, tickets,
                    () -> CompletableFuture.completedFuture(STATUS), blocking);

            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": address already in use");
        }
    }

    @Test
    void startingOnAnEventLoopIsRefused() throws Exception {
        WebServer other = new WebServer(vertx, "127.0.0.1", 0, agents, tickets,
                () -> CompletableFuture.completedFuture(STATUS), blocking);
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                other.start();
                refused.complete(null);
            } catch (IllegalStateException e) {
                refused.complete(e);
            }
        });

        assertThat(refused.get(5, TimeUnit.SECONDS)).hasMessageContaining("event loop");
    }

    private List<String> numbers(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        List<String> numbers = new ArrayList<>();
        json(response).get("tickets").forEach(t -> numbers.add(t.get("number").asText()));
        return numbers;
    }
}
