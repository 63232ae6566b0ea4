package org.hotlinecti.cti.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CtiRequestException;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.junit.jupiter.api.Test;

class WebServerWebSocketTest extends WebServerFixture {

    private static ScreenPop pop(String agent, String draftId, int earlier, int summaryLength) {
        List<ScreenPop.TicketBrief> briefs = new ArrayList<>();
        for (int i = 0; i < earlier; i++) {
            briefs.add(new ScreenPop.TicketBrief("20261121-000000" + i, "12345", "answered", "1002",
                    Instant.parse("2026-11-21T02:00:00Z"), "反映" + "噪".repeat(summaryLength)));
        }
        return new ScreenPop(agent, draftId, "1763800000." + draftId, "13800001111", "12315",
                "12315 市场监管投诉举报热线", "市场监管局", "market", List.of("welcome", "menu:2"), 17,
                Instant.parse("2026-11-22T02:00:17Z"), briefs);
    }

    private WsClient desktop(String agentId) throws Exception {
        WsClient client = ws("/ws/agents/" + agentId);
        client.awaitType("agent");
        return client;
    }

    private WsClient monitor(int connectionsAfter) throws Exception {
        WsClient client = ws("/ws/monitor");
        eventually().until(() -> server.webSocketCount() == connectionsAfter);
        return client;
    }

    /** Something that reaches desktop 1002 after everything pushed before it. */
    private void markerFor1002(WsClient desktop1002, String state) {
        server.agentChanged(FakeAgentCommands.view("1002", "李四", state, null));
        desktop1002.await(m -> m.path("type").asText().equals("agent")
                && m.path("agent").path("state").asText().equals(state));
    }

    @Test
    void aDesktopGetsItsAgentOnConnect() throws Exception {
        try (WsClient desktop = ws("/ws/agents/1001")) {
            JsonNode message = desktop.awaitType("agent");

            assertThat(message.get("agent").get("id").asText()).isEqualTo("1001");
            assertThat(message.get("agent").get("state").asText()).isEqualTo("logged_out");
            assertThat(message.get("agent").get("since").asText()).isEqualTo("2026-11-22T09:00:00+08:00");
        }
    }

    @Test
    void anUnknownAgentIsClosedWith4404() throws Exception {
        try (WsClient desktop = ws("/ws/agents/9999")) {
            desktop.awaitClosed();

            assertThat(desktop.closeCode).isEqualTo(4404);
            assertThat(desktop.closeReason).isEqualTo("unknown agent: 9999");
            assertThat(desktop.received).isEmpty();
        }
        eventually().until(() -> server.webSocketCount() == 0);
    }

    @Test
    void anUnknownEndpointRefusesTheUpgradeWith404() {
        assertThatThrownBy(() -> ws("/ws/elsewhere"))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(404));
    }

    @Test
    void anAgentIdIsPercentDecoded() throws Exception {
        agents.agents.put("坐席 7", FakeAgentCommands.view("坐席 7", "王五", "ready", null));
        try (WsClient desktop = ws("/ws/agents/%E5%9D%90%E5%B8%AD%207")) {
            assertThat(desktop.awaitType("agent").get("agent").get("id").asText()).isEqualTo("坐席 7");
        }
    }

    @Test
    void aScreenPopGoesToItsAgentAndTheMonitorsOnly() throws Exception {
        try (WsClient d1001 = desktop("1001"); WsClient d1002 = desktop("1002"); WsClient monitor = monitor(3)) {
            server.screenPop(pop("1001", "d-7", 1, 4));

            JsonNode pop = d1001.awaitType("screen_pop");
            assertThat(monitor.awaitType("screen_pop")).isEqualTo(pop);
            markerFor1002(d1002, "talking");
            assertThat(d1002.ofType("screen_pop")).isEmpty();

            assertThat(pop.get("agent").asText()).isEqualTo("1001");
            assertThat(pop.get("draft_id").asText()).isEqualTo("d-7");
            assertThat(pop.get("linked_id").asText()).isEqualTo("1763800000.d-7");
            assertThat(pop.get("caller").asText()).isEqualTo("13800001111");
            assertThat(pop.get("line").asText()).isEqualTo("12315");
            assertThat(pop.get("line_name").asText()).isEqualTo("12315 市场监管投诉举报热线");
            assertThat(pop.get("department").asText()).isEqualTo("市场监管局");
            assertThat(pop.get("skill").asText()).isEqualTo("market");
            assertThat(pop.get("ivr_path").toString()).isEqualTo("[\"welcome\",\"menu:2\"]");
            assertThat(pop.get("wait_seconds").asLong()).isEqualTo(17);
            assertThat(pop.get("answered_at").asText()).isEqualTo("2026-11-22T10:00:17+08:00");
            JsonNode earlier = pop.get("earlier_tickets").get(0);
            assertThat(earlier.get("number").asText()).isEqualTo("20261121-0000000");
            assertThat(earlier.get("disposition").asText()).isEqualTo("answered");
            assertThat(earlier.get("ended_at").asText()).isEqualTo("2026-11-21T10:00:00+08:00");
            assertThat(earlier.get("summary").asText()).isEqualTo("反映噪噪噪噪");
        }
    }

    @Test
    void anAgentChangeGoesToThatAgentsDesktopAndTheMonitors() throws Exception {
        try (WsClient d1001 = desktop("1001"); WsClient d1002 = desktop("1002"); WsClient monitor = monitor(3)) {
            AgentView paused = FakeAgentCommands.view("1001", "张三", "not_ready", "break");
            server.agentChanged(paused);

            JsonNode update = d1001.await(m -> m.path("agent").path("state").asText().equals("not_ready"));
            assertThat(update.get("agent").get("reason").asText()).isEqualTo("break");
            assertThat(monitor.awaitType("agent")).isEqualTo(update);
            markerFor1002(d1002, "talking");
            assertThat(d1002.ofType("agent")).allMatch(m -> m.get("agent").get("id").asText().equals("1002"));
        }
    }

    @Test
    void aSavedTicketGoesToItsAgentAndTheMonitors() throws Exception {
        try (WsClient d1001 = desktop("1001"); WsClient d1002 = desktop("1002"); WsClient monitor = monitor(3)) {
            Ticket ticket = saveTicket("L1", "13800001111", "12315", "1001", Disposition.ANSWERED,
                    Instant.parse("2026-11-22T02:00:00Z"));
            Ticket abandoned = saveTicket("L2", "13900002222", "12345", null, Disposition.ABANDONED,
                    Instant.parse("2026-11-22T02:01:00Z"));
            server.ticketSaved(ticket);
            server.ticketSaved(abandoned);

            JsonNode message = d1001.awaitType("ticket");
            assertThat(message.get("ticket").get("number").asText()).isEqualTo(ticket.number());
            assertThat(message.get("ticket").get("caller").asText()).isEqualTo("13800001111");
            assertThat(message.get("ticket").get("form").get("summary").asText()).isEqualTo("测试");
            eventually().until(() -> monitor.ofType("ticket").size() == 2);
            markerFor1002(d1002, "talking");
            assertThat(d1002.ofType("ticket")).isEmpty();
            assertThat(d1001.ofType("ticket")).hasSize(1);
        }
    }

    @Test
    void desktopCommandsAreForwardedAndAcknowledged() throws Exception {
        try (WsClient desktop = desktop("1001")) {
            String[][] commands = {
                    {"{\"type\":\"login\"}", "login", "login 1001"},
                    {"{\"type\":\"ready\"}", "ready", "ready 1001"},
                    {"{\"type\":\"pause\",\"reason\":\"meeting\"}", "pause", "pause 1001 meeting"},
                    {"{\"type\":\"form\",\"draft_id\":\"d-9\",\"fields\":{\"summary\":\"路灯不亮\"}}", "form",
                            "form 1001 d-9 {summary=路灯不亮}"},
                    {"{\"type\":\"logout\"}", "logout", "logout 1001"}};
            for (String[] c : commands) {
                desktop.send(c[0]);

                JsonNode ack = desktop.await(m -> m.path("type").asText().equals("ack")
                        && m.path("request").asText().equals(c[1]));
                assertThat(ack.toString()).isEqualTo("{\"type\":\"ack\",\"request\":\"" + c[1] + "\"}");
                assertThat(agents.calls).last().isEqualTo(c[2]);
            }
            assertThat(agents.calls).hasSize(commands.length);
        }
    }

    @Test
    void aRefusedCommandIsAnErrorMessage() throws Exception {
        try (WsClient desktop = desktop("1001")) {
            agents.failNext(new CtiRequestException(CtiRequestException.Kind.CONFLICT, "通话中不能登出"));
            desktop.send("{\"type\":\"logout\"}");

            JsonNode error = desktop.awaitType("error");
            assertThat(error.get("request").asText()).isEqualTo("logout");
            assertThat(error.get("error").asText()).isEqualTo("通话中不能登出");
        }
    }

    @Test
    void badMessagesGetErrorsAndTheConnectionStays() throws Exception {
        try (WsClient desktop = desktop("1001")) {
            String[][] bad = {
                    {"{not json", null, "malformed JSON"},
                    {"[1,2]", null, "a message must be a JSON object with a \"type\""},
                    {"{\"kind\":\"login\"}", null, "a message must be a JSON object with a \"type\""},
                    {"{\"type\":\"dance\"}", "dance", "unknown message type: dance"},
                    {"{\"type\":\"pause\"}", "pause", "reason is required"},
                    {"{\"type\":\"form\",\"fields\":{}}", "form", "draft_id is required"},
                    {"{\"type\":\"form\",\"draft_id\":\"d\",\"fields\":{\"a\":[1]}}", "form",
                            "field a must be a string"}};
            for (int i = 0; i < bad.length; i++) {
                String[] b = bad[i];
                desktop.send(b[0]);
                int count = i + 1;
                eventually().until(() -> desktop.ofType("error").size() == count);
                JsonNode error = desktop.ofType("error").get(i);
                assertThat(error.get("request").isNull()).as(b[0]).isEqualTo(b[1] == null);
                if (b[1] != null) {
                    assertThat(error.get("request").asText()).isEqualTo(b[1]);
                }
                assertThat(error.get("error").asText()).as(b[0]).startsWith(b[2]);
            }

            desktop.send("{\"type\":\"ready\"}");
            desktop.awaitType("ack");
            assertThat(desktop.closeCode).isNull();
            assertThat(agents.calls).containsExactly("ready 1001");
        }
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedAndTheConnectionStays() throws Exception {
        try (WsClient desktop = desktop("1001")) {
            String part = "x".repeat(600 * 1024);
            desktop.sendInFrames("{\"type\":\"form\",\"draft_id\":\"" + part, part, "\"}");

            assertThat(desktop.awaitType("error").get("error").asText()).startsWith("message refused:")
                    .contains("max message size");
            desktop.send("{\"type\":\"ready\"}");
            desktop.awaitType("ack");
            assertThat(agents.calls).containsExactly("ready 1001");
        }
    }

    @Test
    void theMonitorTakesNoCommands() throws Exception {
        try (WsClient monitor = monitor(1)) {
            monitor.send("{\"type\":\"login\"}");

            assertThat(monitor.awaitType("error").get("error").asText()).contains("no commands");
            assertThat(agents.calls).isEmpty();
        }
    }

    @Test
    void aClientThatDoesNotReadIsDisconnectedWhileOthersKeepReceiving() throws Exception {
        try (WsClient fast = monitor(1); Socket slow = openUnreadWebSocket("/ws/monitor")) {
            eventually().until(() -> server.webSocketCount() == 2);
            int sent = 0;
            // Each pop is about 13 kB; the slow client's unread bytes fill its socket buffers, then the server's queue.
            while (server.webSocketCount() == 2 && sent < 5_000) {
                fast.received.clear();
                for (int i = 0; i < 50; i++) {
                    server.screenPop(pop("1001", "s-" + sent++, 10, 400));
                }
                // The reading client keeps up, so only the other one can be behind.
                eventually().until(() -> fast.ofType("screen_pop").size() == 50);
            }

            assertThat(server.webSocketCount()).as("connections after %d pops", sent).isEqualTo(1);
            assertThat(drainsToTheEnd(slow)).isTrue();
            server.agentChanged(FakeAgentCommands.view("1002", "李四", "talking", null));
            fast.awaitType("agent");
            assertThat(fast.closeCode).isNull();
        }
    }

    @Test
    void theGatewayNeverThrows() throws Exception {
        try (WsClient monitor = monitor(1)) {
            assertThatCode(() -> {
                server.screenPop(null);
                server.agentChanged(null);
                server.ticketSaved(null);
            }).doesNotThrowAnyException();

            server.agentChanged(FakeAgentCommands.view("1001", "张三", "ready", null));
            monitor.awaitType("agent");
        }
    }

    /** Opens a WebSocket by hand and never reads past the handshake. */
    private Socket openUnreadWebSocket(String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
        return socket;
    }

    /** True when the server has closed the connection: reading reaches its end (or a reset) before a timeout. */
    private static boolean drainsToTheEnd(Socket socket) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        InputStream in = socket.getInputStream();
        try {
            while (in.read(buffer) >= 0) {
                // discard what was queued before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }
}
