package org.hotlinecti.sim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.sim.sip.CallerState;
import org.hotlinecti.sim.sip.PhoneBehaviour;
import org.hotlinecti.sim.sip.PhoneCall;
import org.hotlinecti.sim.sip.PhoneState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real SIP calls through the sim PBX (executing deploy/asterisk/extensions.conf) and the real CTI (AMI + FastAGI),
 * asserted where a user would look: the ticket rows in the database, the screen-pops on the agents' desktops, and
 * each SIP actor's own final state.
 */
class EndToEndCallTest {

    @TempDir
    Path data;

    private SimWorld world;

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    private SimWorld start(List<AgentSpec> agents, String configYaml) throws Exception {
        ConfigLoader loader = new ConfigLoader(name -> null);
        List<ConfigLoader.Overlay> overlays = new ArrayList<>();
        if (configYaml != null) {
            overlays.add(loader.overlay("test",
                    new com.fasterxml.jackson.databind.ObjectMapper(
                            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(configYaml)));
        }
        world = SimWorld.start(new SimWorld.Options(overlays, agents, Clock.systemUTC(), data, 0,
                Duration.ofMillis(200)), loader);
        return world;
    }

    private static AgentSpec agent(String id, Map<String, Integer> skills, PhoneBehaviour phone, Duration hangUpAfter) {
        return new AgentSpec(id, "坐席" + id, id, skills, phone, hangUpAfter, Duration.ofMillis(300), true);
    }

    private List<Map<String, Object>> ticketRows() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(Database.defaultH2Url(data), "sa", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select * from tickets order by id")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void anAnsweredCallOnAMergedLineEndsWithOneTicketRowAndAScreenPop() throws Exception {
        start(List.of(agent("1001", Map.of("general", 9), PhoneBehaviour.answerAfter(Duration.ofMillis(500)), null),
                agent("1002", Map.of("market", 7), PhoneBehaviour.answerAfter(Duration.ofMillis(500)), null)), null);

        SimCaller call = world.placeCall(new CallSpec("13800001111", "12315", Duration.ZERO, List.of(),
                Duration.ofSeconds(2), null, null));

        assertThat(call.ended().get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CallerState.ENDED_BY_CALLER);
        await().atMost(Duration.ofSeconds(10)).until(() -> ticketRows().size() == 1);
        Map<String, Object> row = ticketRows().get(0);
        assertThat(row.get("caller")).isEqualTo("13800001111");
        assertThat(row.get("line")).isEqualTo("12315");
        assertThat(row.get("department")).isEqualTo("市市场监督管理局");
        assertThat(row.get("agent")).isEqualTo("1002");
        assertThat(row.get("disposition")).isEqualTo("answered");
        assertThat(row.get("ended_by")).isEqualTo("caller");
        assertThat((String) row.get("number")).matches("\\d{8}-\\d{7}");
        assertThat((String) row.get("linked_id")).matches("\\d+\\.\\d+");
        assertThat(row.get("answered_at")).isNotNull();
        assertThat(((Number) row.get("talk_seconds")).longValue()).isBetween(1L, 4L);

        SimAgent market = world.agents().get(1);
        List<JsonNode> pops = market.screenPops();
        assertThat(pops).hasSize(1);
        assertThat(pops.get(0).path("caller").asText()).isEqualTo("13800001111");
        assertThat(pops.get(0).path("line").asText()).isEqualTo("12315");
        assertThat(pops.get(0).path("department").asText()).isEqualTo("市市场监督管理局");
        assertThat(pops.get(0).path("draft_id").asText()).isEqualTo(row.get("draft_id"));
        assertThat(pops.get(0).has("wait_seconds")).isTrue();
        assertThat(world.agents().get(0).screenPops()).isEmpty();

        // the agent's phone asserts its own side: one call, answered, ended by the far end
        PhoneCall phoneCall = market.phone().history().get(0);
        assertThat(phoneCall.fromNumber()).isEqualTo("13800001111");
        assertThat(phoneCall.answeredAt()).isNotNull();
        assertThat(phoneCall.endReason()).isEqualTo(PhoneCall.EndReason.REMOTE_HANGUP);
        assertThat(market.phone().state()).isEqualTo(PhoneState.IDLE);

        // the desktop saves the form during wrap-up: the form lands on the row and the agent is ready again
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(ticketRows().get(0).get("form"))
                .contains("category"));
        await().until(() -> "ready".equals(market.state()));
    }

    @Test
    void noAnswerMovesTheCallToTheNextAgentAndRonaShowsOnTheFirstDesktop() throws Exception {
        start(List.of(agent("1001", Map.of("general", 9), PhoneBehaviour.noAnswer(), null),
                agent("1002", Map.of("general", 5), PhoneBehaviour.answerAfter(Duration.ofMillis(300)), null)),
                "acd: {ring_timeout: 2s}");
        // agents become ready in list order: 1001 has been idle longest, so it is offered the call first
        List<AgentView> views = world.cti().calls().agents().toCompletableFuture().get(5, TimeUnit.SECONDS);
        AgentView listedFirst = views.stream().filter(v -> v.id().equals("1001")).findFirst().orElseThrow();
        AgentView listedSecond = views.stream().filter(v -> v.id().equals("1002")).findFirst().orElseThrow();
        assertThat(List.of(listedFirst.state(), listedSecond.state())).containsOnly("ready");
        assertThat(listedFirst.since()).isBefore(listedSecond.since());

        SimCaller call = world.placeCall(new CallSpec("13900002222", "12345", Duration.ZERO, List.of(),
                Duration.ofSeconds(1), null, null));

        assertThat(call.ended().get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CallerState.ENDED_BY_CALLER);
        await().atMost(Duration.ofSeconds(10)).until(() -> ticketRows().size() == 1);
        assertThat(ticketRows().get(0).get("agent")).isEqualTo("1002");
        SimAgent first = world.agents().get(0);
        assertThat(first.phone().history()).extracting(PhoneCall::endReason)
                .containsExactly(PhoneCall.EndReason.CANCELLED);
        assertThat(first.state()).isEqualTo("not_ready");
        assertThat(first.desktop().received()).anyMatch(m -> "rona".equals(m.path("agent").path("reason").asText()));
        assertThat(first.screenPops()).isEmpty();
    }

    @Test
    void theAgentHangingUpFirstGivesTheCallerTheSurveyAndTheScoreLandsOnTheTicket() throws Exception {
        start(List.of(agent("1001", Map.of("social_security", 8), PhoneBehaviour.answerAfter(Duration.ofMillis(300)),
                Duration.ofSeconds(1))), null);

        SimCaller call = world.placeCall(new CallSpec("13500005555", "12333", Duration.ZERO, List.of(),
                Duration.ofSeconds(30), null, "2"));

        // after the survey the dialplan hangs the caller up
        assertThat(call.ended().get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CallerState.ENDED_BY_PBX);
        await().atMost(Duration.ofSeconds(10)).until(() -> ticketRows().size() == 1);
        Map<String, Object> row = ticketRows().get(0);
        assertThat(row.get("ended_by")).isEqualTo("agent");
        assertThat(row.get("end_stage")).isEqualTo("survey");
        assertThat(((Number) row.get("survey_score")).intValue()).isEqualTo(4);
    }

    @Test
    void everyCallOfABurstGetsExactlyOneTicket() throws Exception {
        start(List.of(agent("1001", Map.of("general", 9), PhoneBehaviour.answerAfter(Duration.ofMillis(200)), null),
                agent("1002", Map.of("general", 9), PhoneBehaviour.answerAfter(Duration.ofMillis(200)), null)), null);

        List<SimCaller> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // half of them give up quickly: abandoned in queue
            callers.add(world.placeCall(new CallSpec("1380000" + String.format("%04d", i), i % 2 == 0 ? "12345"
                    : "12369", Duration.ZERO, List.of(), Duration.ofMillis(500),
                    i % 2 == 0 ? null : Duration.ofSeconds(1), null)));
        }
        assertThat(world.awaitCallsEnded(Duration.ofSeconds(60))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> ticketRows().size() == 8);
        List<Map<String, Object>> rows = ticketRows();
        assertThat(rows).extracting(r -> r.get("caller")).doesNotHaveDuplicates();
        assertThat(rows).extracting(r -> r.get("linked_id")).doesNotHaveDuplicates();
        assertThat(rows).extracting(r -> r.get("disposition")).containsOnly("answered", "abandoned");
        assertThat(world.pbx().activeChannels()).isZero();
    }
}
