package org.hotlinecti.sim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.CtiServer;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.asterisk.AmiLoginRefusedException;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.config.CtiConfig;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.sim.pbx.SimEndpoint;
import org.hotlinecti.sim.pbx.SimPbx;
import org.hotlinecti.sim.pbx.SimPbxConfig;
import org.hotlinecti.sim.sip.PhoneBehaviour;
import org.hotlinecti.sim.sip.SipPhoneStack;
import org.hotlinecti.sim.sip.TrunkCaller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CTI starts while Asterisk is down: HTTP serves, /api/status says the AMI session is connecting and why; once
 * the PBX appears the session comes up and a call goes through end to end. A wrong AMI secret, by contrast, stops the
 * start with a one-line error.
 */
class AmiStartupEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "late-pbx-secret-4711";

    @TempDir
    Path data;

    private CtiServer cti;
    private SimPbx pbx;
    private SipPhoneStack phones;
    private SimAgent agent;
    private ScheduledExecutorService timers;

    @AfterEach
    void tearDown() {
        ClosingSteps.run(List.of(
                new ClosingSteps.Step("agent", () -> {
                    if (agent != null) {
                        agent.close();
                    }
                }),
                new ClosingSteps.Step("timers", () -> {
                    if (timers != null) {
                        timers.shutdownNow();
                    }
                }),
                new ClosingSteps.Step("phones", () -> {
                    if (phones != null) {
                        phones.close();
                    }
                }),
                new ClosingSteps.Step("CTI", () -> {
                    if (cti != null) {
                        cti.close();
                    }
                }),
                new ClosingSteps.Step("PBX", () -> {
                    if (pbx != null) {
                        pbx.close();
                    }
                })));
    }

    @Test
    void theCtiStartsWithoutAsteriskAndTakesCallsOnceItAppears() throws Exception {
        int amiPort = freePort();
        cti = CtiServer.start(config(amiPort, SECRET), Clock.systemUTC());
        List<Ticket> tickets = new CopyOnWriteArrayList<>();
        cti.addDesktopObserver(new TicketCollector(tickets));
        HttpClient http = HttpClient.newHttpClient();

        JsonNode down = status(http);
        assertThat(down.get("ami_connected").asBoolean()).isFalse();
        assertThat(down.get("ami").get("state").asText()).isEqualTo("connecting");
        assertThat(down.get("ami").get("last_error").asText()).contains("cannot reach AMI at 127.0.0.1:" + amiPort);
        assertThat(down.get("agi").get("listening").asBoolean()).isTrue();

        pbx = SimPbx.start(SimPbxConfig.builder().amiPort(amiPort).amiUser("cti", SECRET)
                .promptDuration(Duration.ofMillis(200))
                .endpoint(SimEndpoint.agent("1001", "坐席1001", "pw-1001", null)).build());
        pbx.setGlobal("CTI_AGI", "127.0.0.1:" + cti.agiPort());
        await().atMost(Duration.ofSeconds(10)).until(() -> status(http).get("ami").get("state").asText()
                .equals("connected"));
        JsonNode up = status(http);
        assertThat(up.get("ami_connected").asBoolean()).isTrue();
        assertThat(up.get("ami").get("reconnects").asLong()).isEqualTo(1);

        phones = SipPhoneStack.start("late-pbx");
        timers = Executors.newScheduledThreadPool(1);
        agent = SimAgent.start(new AgentSpec("1001", "坐席1001", "1001", Map.of("general", 9),
                PhoneBehaviour.answerAfter(Duration.ofMillis(200)), null, Duration.ofMillis(200),
                true), phones.newAgentPhone("agent1001", "pw-1001", pbx.host(), pbx.sipPort()), http, cti.baseUrl(),
                timers, Duration.ofSeconds(10));
        agent.reached("ready").get(10, TimeUnit.SECONDS);
        TrunkCaller caller = phones.newCaller("13800001111", null, pbx.host(), pbx.sipPort());
        caller.dial("12345").get(10, TimeUnit.SECONDS);
        agent.reached("talking").get(20, TimeUnit.SECONDS);
        caller.hangup().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> tickets.size() == 1);
        Ticket ticket = tickets.get(0);
        assertThat(ticket.call().caller()).isEqualTo("13800001111");
        assertThat(ticket.call().agent()).isEqualTo("1001");
        assertThat(ticket.call().disposition().wireName()).isEqualTo("answered");
    }

    @Test
    void aWrongSecretStopsTheStartWithOneLine() throws Exception {
        pbx = SimPbx.start(SimPbxConfig.builder().amiUser("cti", SECRET).build());

        assertThatThrownBy(() -> cti = CtiServer.start(config(pbx.amiPort(), "not-the-secret-0815"),
                Clock.systemUTC()))
                .isInstanceOf(AmiLoginRefusedException.class)
                .hasMessage("AMI login to 127.0.0.1:" + pbx.amiPort() + " as 'cti' failed: Authentication failed");
    }

    private CtiConfig config(int amiPort, String secret) throws Exception {
        ConfigLoader loader = new ConfigLoader(name -> null);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode ami = root.putObject("asterisk").putObject("ami");
        ami.put("host", "127.0.0.1").put("port", amiPort).put("username", "cti").put("secret", secret)
                .put("connect_timeout", "3s").put("reconnect_max_delay", "300ms");
        ((ObjectNode) root.get("asterisk")).put("recording_dir", data.resolve("recordings").toString());
        root.putObject("agi").put("bind", "127.0.0.1").put("port", 0);
        root.putObject("http").put("bind", "127.0.0.1").put("port", 0);
        root.putObject("database").put("url", "").put("data_dir", data.toString());
        ObjectNode a = root.putArray("agents").addObject().put("id", "1001").put("name", "坐席1001")
                .put("extension", "1001");
        a.putObject("skills").put("general", 9);
        return loader.load(List.of(loader.overlay("test", root)));
    }

    private JsonNode status(HttpClient http) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cti.baseUrl() + "/api/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Keeps every saved ticket. */
    private record TicketCollector(List<Ticket> tickets) implements DesktopGateway {
        @Override
        public void screenPop(ScreenPop pop) {
        }

        @Override
        public void agentChanged(AgentView agent) {
        }

        @Override
        public void ticketSaved(Ticket ticket) {
            tickets.add(ticket);
        }
    }
}
