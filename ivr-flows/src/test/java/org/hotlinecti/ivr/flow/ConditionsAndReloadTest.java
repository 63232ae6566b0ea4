package org.hotlinecti.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import org.hotlinecti.ivr.FakeChannel;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.yaml.InvalidConfigException;
import org.hotlinecti.ivr.yaml.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConditionsAndReloadTest {

    private static final String CONDITIONS = """
            flows:
              main:
                start: check
                nodes:
                  check:
                    type: branch
                    cases:
                      - {if: {caller: ["0571XXXXXXXX"]}, next: local}
                      - {if: {data: {vip: "yes"}, line_mode: main}, next: vip}
                      - {if: {data: {ticket_no: "*"}}, next: known}
                      - {if: {day: holiday, line: ["12345"]}, next: holiday}
                      - {if: {hours_open: office, line_has: [pool_fallback]}, next: office}
                    otherwise: queue
                  local: {type: route, skill: local}
                  vip: {type: route, priority: 9}
                  known: {type: route, skill: followup}
                  holiday: {type: route, skill: holiday}
                  office: {type: route, skill: office}
                  queue: {type: route}
              merged: {start: q, nodes: {q: {type: route}}}
              parallel: {start: q, nodes: {q: {type: route}}}
              sub-centre: {start: q, nodes: {q: {type: route}}}
              survey: {start: q, nodes: {q: {type: route}}}
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private String skillFor(LocalDateTime at, String caller, Map<String, String> data) throws IOException {
        IvrConfig config = IvrConfig.load(IvrSources.defaults().withFlows(write("flows.yaml", CONDITIONS)),
                TestIvr.clock(at)).orElseThrow();
        FlowInterpreter interpreter = new FlowInterpreter(() -> config);
        IvrCall call = new IvrCall(config.lineDirectory().serving("12345"), caller, data);
        IvrOutcome outcome = interpreter.run(new FakeChannel(), call).toCompletableFuture().join();
        return ((IvrOutcome.Route) outcome).request().skill() + "/" + ((IvrOutcome.Route) outcome).request()
                .priority();
    }

    @Test
    void conditionsOnCallerDataCalendarLineAndHours() throws IOException {
        LocalDateTime mondayNight = TestIvr.MONDAY_9PM;
        assertThat(skillFor(mondayNight, "057188001234", Map.of())).isEqualTo("local/0");
        assertThat(skillFor(mondayNight, "13800001111", Map.of("vip", "yes"))).isEqualTo("general/9");
        assertThat(skillFor(mondayNight, "13800001111", Map.of("ticket_no", "20260302-0000001")))
                .isEqualTo("followup/0");
        assertThat(skillFor(LocalDateTime.of(2026, 10, 2, 21, 0), "13800001111", Map.of()))
                .isEqualTo("holiday/0");
        assertThat(skillFor(TestIvr.MONDAY_10AM, "13800001111", Map.of())).isEqualTo("office/0");
        assertThat(skillFor(mondayNight, "13800001111", Map.of())).isEqualTo("general/0");
    }

    @Test
    void aRunawayLoopThroughAMenuIsCutShortToAnAgent() throws IOException {
        Path flows = write("flows.yaml", CONDITIONS.replace("""
                  queue: {type: route}
            """, """
                  queue: {type: menu, prompt: invalid-key, keys: {"1": again}, no_input: again, retries: 0}
                  again: {type: play, prompts: goodbye, next: queue}
            """).replace("otherwise: queue", "otherwise: queue"));
        IvrConfig config = IvrConfig.load(IvrSources.defaults().withFlows(flows), TestIvr.clock(TestIvr.MONDAY_9PM))
                .orElseThrow();
        IvrOutcome outcome = new FlowInterpreter(() -> config)
                .run(new FakeChannel(), new IvrCall(config.lineDirectory().serving("12345"), "1"))
                .toCompletableFuture().join();

        assertThat(outcome).isInstanceOf(IvrOutcome.Route.class);
        assertThat(outcome.ivrPath()).last().isEqualTo("step-limit");
    }

    @Test
    void aBrokenReloadIsNotActivatedAndTheOldFlowsStay() throws IOException {
        Path flows = write("flows.yaml", CONDITIONS);
        IvrRegistry registry = IvrRegistry.load(IvrSources.defaults().withFlows(flows),
                TestIvr.clock(TestIvr.MONDAY_9PM));
        IvrConfig before = registry.current();

        Files.writeString(flows, CONDITIONS.replace("next: vip", "next: vipp"), StandardCharsets.UTF_8);
        IvrRegistry.ReloadResult broken = registry.reload();

        assertThat(broken.activated()).isFalse();
        assertThat(broken.errors()).extracting(Problem::toString).containsExactly(flows
                + ":9: error: flow main node check case: 'vipp' is not a node of flow main");
        assertThat(registry.current()).isSameAs(before);

        Files.writeString(flows, CONDITIONS.replace("vip: {type: route, priority: 9}",
                "vip: {type: route, priority: 8}"), StandardCharsets.UTF_8);
        IvrRegistry.ReloadResult fixed = registry.reload();

        assertThat(fixed.activated()).isTrue();
        assertThat(registry.current()).isNotSameAs(before);
        Node.Route vip = (Node.Route) registry.current().flows().flow("main").orElseThrow().node("vip");
        assertThat(vip.priority()).contains(8);
    }

    @Test
    void aLineThatNamesAMissingFlowIsAnError() throws IOException {
        Path flows = write("flows.yaml", CONDITIONS.replace("  sub-centre: {start: q, nodes: {q: {type: route}}}\n",
                ""));
        IvrConfig.Loaded loaded = IvrConfig.load(IvrSources.defaults().withFlows(flows),
                TestIvr.clock(TestIvr.MONDAY_9PM));

        assertThat(loaded.config()).isEmpty();
        assertThat(loaded.errors()).extracting(Problem::message).contains("line 12366: flow 'sub-centre' is not in "
                + "the flow set (flows: main, merged, parallel, survey)");
    }

    @Test
    void theFirstLoadMustBeValid() throws IOException {
        Path flows = write("flows.yaml", "flows: {}\nextra: 1\n");
        assertThatThrownBy(() -> IvrRegistry.load(IvrSources.defaults().withFlows(flows),
                TestIvr.clock(TestIvr.MONDAY_9PM)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(flows + ":2: error: flow file: unknown key 'extra'");
    }
}
