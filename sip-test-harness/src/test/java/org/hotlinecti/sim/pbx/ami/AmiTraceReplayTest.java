package org.hotlinecti.sim.pbx.ami;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays every recorded AMI connection against the server and checks that the client receives the same bytes as
 * it did from Asterisk 22, message by message. The test plays the PBX core: it publishes the recorded events (with
 * the clock set to their recorded Timestamp) and its action handler answers with the recorded responses; the server
 * itself produces the banner, login, FullyBooted, security events, Ping, CoreSettings, CoreStatus, Logoff and
 * Shutdown. Only values that differ between any two connections are masked (session pointer, ports, the security
 * events' own wall-clock fields).
 */
class AmiTraceReplayTest {

    private AmiServer server;
    private final List<AmiTestClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        for (AmiTestClient c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"01-answered-call", "02-abandon-in-queue", "03-agent-no-answer", "04-agent-busy",
            "05-mixmonitor", "06-voicemail", "07-caller-hangup-during-agi", "08-originate-and-bridge",
            "09-ami-reconnect-and-restart", "11-redirect-during-agi"})
    void reproducesTheRecordedConnection(String flow) throws Exception {
        replay(flow, "ami.log", "actions.log", null);
    }

    @Test
    void reproducesMiscActionsIncludingTheSecurityEventsOfABadLogin() throws Exception {
        replay("10-misc-actions", "ami.log", "actions.log", "actions-bad-login.log");
    }

    @Test
    void reproducesTheConnectionMadeWhileAsteriskWasStillBooting() throws Exception {
        replay("09-ami-reconnect-and-restart", "ami-after-restart.log", "actions-after-restart.log", null);
    }

    private void replay(String flow, String amiLog, String actionsLog, String badLoginActionsLog) throws Exception {
        String stream = Traces.text(flow, amiLog);
        int bannerEnd = stream.indexOf("\r\n") + 2;
        String banner = stream.substring(0, bannerEnd - 2);
        List<String> expected = TraceMessages.split(stream.substring(bannerEnd));
        List<AmiMessage> parsed = expected.stream().map(TraceMessages::parse).toList();

        Map<String, String> sentById = new HashMap<>();
        Map<String, List<AmiMessage>> repliesById = new HashMap<>();
        for (Traces.Block b : Traces.actionBlocks(flow, actionsLog)) {
            String id = TraceMessages.parse(b.raw()).getOrEmpty("ActionID");
            if (b.sent()) {
                sentById.put(id, b.raw());
            } else if (isResponse(TraceMessages.parse(b.raw()))
                    || TraceMessages.parse(b.raw()).get("Timestamp").isEmpty()) {
                // Responses and list events; events with a Timestamp (OriginateResponse) are published.
                repliesById.computeIfAbsent(id, k -> new ArrayList<>()).add(TraceMessages.parse(b.raw()));
            }
        }

        // Start the server so that the Uptime the client sees equals the recorded one.
        boolean bootedBeforeLogin = parsed.size() > 1 && parsed.get(1).getOrEmpty("Event").equals("FullyBooted")
                && parsed.get(1).get("Timestamp").isEmpty();
        AmiMessage uptimeSource = bootedBeforeLogin ? parsed.get(1) : parsed.stream()
                .filter(m -> m.getOrEmpty("Event").equals("FullyBooted")).findFirst().orElseThrow();
        Instant uptimeAt = TraceMessages.instant(bootedBeforeLogin
                ? firstWith(parsed, "SuccessfulAuth").getOrEmpty("Timestamp")
                : uptimeSource.getOrEmpty("Timestamp"));
        long uptime = Long.parseLong(uptimeSource.getOrEmpty("Uptime"));
        TestClock clock = new TestClock(uptimeAt.minusSeconds(uptime).minusMillis(500));

        AmiActionHandler handler = (action, reply) -> {
            List<AmiMessage> recorded = repliesById.get(action.getOrEmpty("ActionID"));
            reply.send(recorded != null ? recorded : List.of(AmiReplies.error("no recorded reply for " + action)));
        };
        server = new AmiServer(new AmiServerConfig("127.0.0.1", 0, List.of(AmiUser.all("cti", "cti-secret")), true,
                "22.10.1", clock).withAuthFailureDelay(Duration.ofMillis(100)), handler);
        server.start();
        if (bootedBeforeLogin) {
            server.setFullyBooted(true);
        }

        AmiTestClient client = connect();
        assertThat(client.banner()).isEqualTo(banner);

        Deque<String> badLoginActions = new ArrayDeque<>();
        AmiTestClient badClient = null;
        if (badLoginActionsLog != null) {
            for (Traces.Block b : Traces.actionBlocks(flow, badLoginActionsLog)) {
                if (b.sent()) {
                    badLoginActions.add(b.raw());
                }
            }
            badClient = connect();
        }

        for (int i = 0; i < parsed.size(); i++) {
            AmiMessage m = parsed.get(i);
            String event = m.getOrEmpty("Event");
            if (isResponse(m)) {
                String action = sentById.get(m.getOrEmpty("ActionID"));
                assertThat(action).as("recorded action for %s", m).isNotNull();
                nextTimestamp(parsed, i).ifPresent(clock::set);
                client.send(action);
            } else if ((m.get("ActionID").isPresent() && m.get("Timestamp").isEmpty())
                    || event.equals("SuccessfulAuth")
                    || event.equals("RequestBadFormat")
                    || (event.equals("FullyBooted") && m.get("Timestamp").isEmpty())) {
                // Produced by the server or the handler as a consequence of an action already sent.
                assertThat(event).isNotEmpty();
            } else if (event.equals("RequestNotAllowed") || event.equals("InvalidPassword")) {
                clock.set(TraceMessages.instant(m.getOrEmpty("Timestamp")));
                assertThat(badClient).as("second connection for %s", event).isNotNull();
                badClient.send(badLoginActions.poll());
            } else if (event.equals("FullyBooted")) {
                clock.set(TraceMessages.instant(m.getOrEmpty("Timestamp")));
                server.setFullyBooted(true);
            } else if (event.equals("Shutdown")) {
                clock.set(TraceMessages.instant(m.getOrEmpty("Timestamp")));
                server.shutdown(m.getOrEmpty("Restart").equals("True"));
            } else {
                clock.set(TraceMessages.instant(m.getOrEmpty("Timestamp")));
                server.publish(m);
            }
            assertThat(TraceMessages.normalize(client.nextRaw()))
                    .as("%s %s message #%d", flow, amiLog, i)
                    .isEqualTo(TraceMessages.normalize(expected.get(i)));
        }

        String last = parsed.get(parsed.size() - 1).getOrEmpty("Event");
        if (last.equals("Shutdown") || parsed.get(parsed.size() - 1).getOrEmpty("Response").equals("Goodbye")) {
            client.awaitClosedByServer(Duration.ofSeconds(5));
        }
        assertThat(client.hasPending()).as("unexpected extra messages: %s", client.receivedText()).isFalse();
        if (badClient != null) {
            assertThat(badLoginActions).isEmpty();
            badClient.awaitClosedByServer(Duration.ofSeconds(5));
            assertThat(new String(badClient.receivedBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(Traces.text(flow, "ami-bad-login.log"));
        }
    }

    private AmiTestClient connect() throws IOException {
        AmiTestClient c = AmiTestClient.connect(server.port());
        clients.add(c);
        return c;
    }

    private static boolean isResponse(AmiMessage m) {
        return !m.fields().isEmpty() && m.fields().get(0).getKey().equals("Response");
    }

    private static AmiMessage firstWith(List<AmiMessage> messages, String event) {
        return messages.stream().filter(m -> m.getOrEmpty("Event").equals(event)).findFirst().orElseThrow();
    }

    /** The Timestamp of the next message (from {@code from} on) that has one: what the step about to run yields. */
    private static Optional<Instant> nextTimestamp(List<AmiMessage> messages, int from) {
        for (int i = from; i < messages.size(); i++) {
            Optional<String> ts = messages.get(i).get("Timestamp");
            if (ts.isPresent()) {
                return Optional.of(TraceMessages.instant(ts.get()));
            }
        }
        return Optional.empty();
    }
}
