package org.hotlinecti.sim.pbx.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sim AMI's fault switches that the CTI's connection-health tests rely on: drop, hang, restart. */
class AmiServerFaultsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T04:41:26.919596Z");

    private final TestClock clock = new TestClock(T0);
    private final List<AmiTestClient> clients = new ArrayList<>();
    private AmiServer server;

    @BeforeEach
    void setUp() throws IOException {
        server = new AmiServer(new AmiServerConfig("127.0.0.1", 0, List.of(AmiUser.all("cti", "cti-secret")), true,
                "22.10.1", clock), (action, reply) -> reply.send(List.of(AmiReplies.success("ok"))));
        server.start();
        server.setFullyBooted(true);
    }

    @AfterEach
    void tearDown() throws IOException {
        for (AmiTestClient c : clients) {
            c.close();
        }
        server.close();
    }

    @Test
    void droppedConnectionsCloseWithoutAShutdownEvent() throws IOException {
        AmiTestClient c = loggedIn();

        server.dropConnections();

        c.awaitClosedByServer(Duration.ofSeconds(5));
        assertThat(c.receivedText()).doesNotContain("Event: Shutdown");
        assertThat(loggedIn().banner()).isEqualTo("Asterisk Call Manager/11.0.0");
    }

    @Test
    void anUnresponsiveServerAnswersNothingUntilItRecovers() throws IOException {
        AmiTestClient c = loggedIn();
        server.setUnresponsive(true);

        c.send("Action: Ping\r\nActionID: p1\r\n\r\n");
        server.publish(AmiMessage.builder().add("Event", "Newchannel").add("Privilege", "call,all").build());
        AmiTestClient late = connect();

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> !c.hasPending() && late.receivedText().isEmpty() && !c.closedByServer());

        server.setUnresponsive(false);
        c.send("Action: Ping\r\nActionID: p2\r\n\r\n");
        AmiMessage pong = c.nextWhere("ActionID", "p2");
        assertThat(pong.getOrEmpty("Ping")).isEqualTo("Pong");
    }

    @Test
    void aRestartSendsShutdownClosesAndComesBackWithAFreshUptime() throws IOException {
        clock.advance(Duration.ofSeconds(468));
        AmiTestClient before = loggedIn();

        server.shutdown(true);
        server.setFullyBooted(true);

        AmiMessage shutdown = before.nextWhere("Event", "Shutdown");
        assertThat(shutdown.getOrEmpty("Restart")).isEqualTo("True");
        assertThat(shutdown.getOrEmpty("Shutdown")).isEqualTo("Cleanly");
        before.awaitClosedByServer(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(1));
        AmiTestClient after = connect();
        after.send("Action: Login\r\nUsername: cti\r\nSecret: cti-secret\r\nEvents: on\r\nActionID: l\r\n\r\n");
        after.nextWhere("ActionID", "l");
        assertThat(after.nextWhere("Event", "FullyBooted").getOrEmpty("Uptime")).isEqualTo("1");
        assertThat(server.uptime()).isEqualTo(1);
    }

    private AmiTestClient connect() throws IOException {
        AmiTestClient c = AmiTestClient.connect(server.port());
        clients.add(c);
        return c;
    }

    private AmiTestClient loggedIn() throws IOException {
        AmiTestClient c = connect();
        c.login("cti", "cti-secret", "on");
        c.nextWhere("Event", "SuccessfulAuth");
        await().until(() -> server.loggedInCount() >= 1);
        return c;
    }
}
