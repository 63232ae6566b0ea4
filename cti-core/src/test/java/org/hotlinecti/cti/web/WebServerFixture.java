package org.hotlinecti.cti.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotlinecti.cti.api.CtiStatus;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.DbSettings;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A started {@link WebServer} on 127.0.0.1 with fake agents, a real ticket store on H2, and clients for it. */
abstract class WebServerFixture {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final CtiStatus STATUS = new CtiStatus(Instant.parse("2026-11-22T00:00:00Z"), true, "22.5.2", 3, 1,
            Map.of("ready", 1, "talking", 2), 42);
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Waits up to 10 s, looking every 10 ms: WebSocket messages arrive within milliseconds. */
    static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10));
    }

    @TempDir
    Path dataDir;

    Vertx vertx;
    Database database;
    ThreadRecordingTicketStore tickets;
    FakeAgentCommands agents;
    ExecutorService blocking;
    WebServer server;
    HttpClient http;

    @BeforeEach
    void startServer() {
        vertx = Vertx.vertx();
        database = Database.open(new DbSettings(Database.defaultH2Url(dataDir), "sa", "", 4));
        tickets = new ThreadRecordingTicketStore(new JdbcTicketStore(database.dataSource(),
                Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), SHANGHAI), SHANGHAI));
        agents = new FakeAgentCommands();
        AtomicInteger n = new AtomicInteger();
        blocking = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "test-blocking-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server = new WebServer(vertx, "127.0.0.1", 0, agents, tickets,
                () -> CompletableFuture.completedFuture(STATUS), new FixedRoutingViews(), blocking);
        server.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        blocking.shutdownNow();
        database.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    HttpResponse<String> put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    WsClient ws(String path) throws Exception {
        return WsClient.connect(http, URI.create(server.baseUrl().replace("http:", "ws:") + path));
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    Ticket saveTicket(String linkedId, String caller, String line, String agent, Disposition disposition,
            Instant endedAt) {
        CallSummary call = new CallSummary(linkedId, agent == null ? null : "draft-" + linkedId, caller, line,
                line + " 热线", "市场监管局", "market", List.of("welcome", "queue"), disposition,
                agent == null ? CallStage.QUEUED : CallStage.SURVEY, agent == null ? "caller" : "agent", agent,
                endedAt.minusSeconds(300), endedAt.minusSeconds(280), agent == null ? null : endedAt.minusSeconds(250),
                endedAt, 30, agent == null ? 0 : 240, agent == null ? null : 4, agent == null);
        return tickets.saveCallEnded(call, Map.of("summary", "测试"));
    }
}
