package org.hotlinecti.sim.pbx.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asteriskjava.AsteriskVersion;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.asteriskjava.manager.response.PingResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Asterisk-Java's own ManagerConnection (MD5 challenge login, version probe, events, actions) against the server. */
class AsteriskJavaManagerCompatibilityTest {

    private final List<AmiMessage> handled = new CopyOnWriteArrayList<>();
    private AmiServer server;
    private ManagerConnection connection;

    @BeforeEach
    void setUp() throws Exception {
        server = new AmiServer(new AmiServerConfig("127.0.0.1", 0, List.of(AmiUser.all("cti", "cti-secret")), true,
                "22.10.1", Clock.systemUTC()), (action, reply) -> {
                    handled.add(action);
                    reply.send(action.getOrEmpty("Action").equalsIgnoreCase("Setvar")
                            ? AmiReplies.success("Variable Set")
                            : AmiReplies.unknownAction(action.getOrEmpty("Action")));
                });
        server.start();
        server.setFullyBooted(true);
    }

    @AfterEach
    void tearDown() {
        if (connection != null && connection.getState() == ManagerConnectionState.CONNECTED) {
            connection.logoff();
        }
        server.close();
    }

    @Test
    void managerConnectionLogsInReceivesEventsAndSendsActions() throws Exception {
        connection = new ManagerConnectionFactory("127.0.0.1", server.port(), "cti", "cti-secret")
                .createManagerConnection();
        List<ManagerEvent> events = new CopyOnWriteArrayList<>();
        connection.addEventListener(events::add);

        connection.login();

        assertThat(connection.getState()).isEqualTo(ManagerConnectionState.CONNECTED);
        assertThat(connection.getProtocolIdentifier()).isEqualTo("Asterisk Call Manager/11.0.0");
        // Asterisk-Java asks CoreSettings for the version and must recognise 22.
        assertThat(connection.getVersion()).isEqualTo(AsteriskVersion.ASTERISK_22);

        ManagerResponse pong = connection.sendAction(new PingAction());
        assertThat(pong).isInstanceOf(PingResponse.class);
        assertThat(((PingResponse) pong).getPing()).isEqualTo("Pong");
        assertThat(((PingResponse) pong).getTimestamp()).matches("\\d+\\.\\d{6}");

        String newchannel = TraceMessages.split(Traces.text("09-ami-reconnect-and-restart", "ami.log")).stream()
                .filter(m -> m.startsWith("Event: Newchannel\r\n")).findFirst().orElseThrow();
        server.publish(TraceMessages.parse(newchannel));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(NewChannelEvent.class::isInstance));
        NewChannelEvent e = (NewChannelEvent) events.stream().filter(NewChannelEvent.class::isInstance).findFirst()
                .orElseThrow();
        assertThat(e.getChannel()).isEqualTo("PJSIP/trunk-00000013");
        assertThat(e.getUniqueId()).isEqualTo("1795322487.21");
        assertThat(e.getCallerIdNum()).isEqualTo("sipp");
        assertThat(e.getChannelStateDesc()).isEqualTo("Ring");

        // Asterisk-Java writes "Action: SetVar": action names are case-insensitive, the handler must compare so.
        ManagerResponse set = connection.sendAction(new SetVarAction("PJSIP/trunk-00000013", "CTI_AGENT", "1001"));
        assertThat(set.getResponse()).isEqualTo("Success");
        assertThat(set.getMessage()).isEqualTo("Variable Set");
        assertThat(handled).anySatisfy(a -> assertThat(a.getOrEmpty("Variable")).isEqualTo("CTI_AGENT"));

        connection.logoff();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.sessionCount() == 0);
    }
}
