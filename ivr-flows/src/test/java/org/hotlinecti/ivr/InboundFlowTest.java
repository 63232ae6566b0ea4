package org.hotlinecti.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundFlowTest {

    private static final DepartmentLine MARKET = new DepartmentLine("12315", "12315 市场监管投诉举报热线",
            "市场监督管理局", "market", 3, 0, null, Map.of());
    private static final DepartmentLine MAIN = new DepartmentLine("12345", "12345 政务服务便民热线", "市12345热线中心",
            "general", 1, 0, null,
            Map.of("1", new MenuChoice("涉企服务", "enterprise", 2), "2", new MenuChoice("方言", "dialect", 0)));

    private final InboundFlow flow = new InboundFlow();

    @Test
    void aLineWithoutMenuWelcomesAndRoutesByItsSkillAtOnce() {
        FakeChannel caller = new FakeChannel();

        IvrOutcome outcome = flow.run(caller, MARKET).toCompletableFuture().join();

        assertThat(caller.log).containsExactly("answer", "play:hotline/welcome-12315", "set:CTI_LINE=12315",
                "set:CTI_SKILL=market");
        assertThat(outcome).isEqualTo(new IvrOutcome.Route(
                new RoutingRequest(MARKET, "market", 3, 0, java.util.List.of("welcome", "queue:market"))));
    }

    @Test
    void aMenuKeyChangesSkillAndPriority() {
        FakeChannel caller = new FakeChannel().typing("1");

        IvrOutcome.Route route = (IvrOutcome.Route) flow.run(caller, MAIN).toCompletableFuture().join();

        assertThat(caller.log).contains("play:hotline/welcome-12345:12");
        assertThat(route.request().skill()).isEqualTo("enterprise");
        assertThat(route.request().priority()).isEqualTo(2);
        assertThat(route.ivrPath()).containsExactly("welcome", "menu:1 涉企服务", "queue:enterprise");
    }

    @Test
    void withoutAKeyTheCallerIsQueuedAsSoonAsTheWelcomeEnds() {
        FakeChannel caller = new FakeChannel().typing("7");
        IvrOutcome.Route route = (IvrOutcome.Route) flow.run(caller, MAIN).toCompletableFuture().join();

        assertThat(route.request().skill()).isEqualTo("general");
        assertThat(route.ivrPath()).containsExactly("welcome", "queue:general");
        assertThat(caller.log).noneMatch(entry -> entry.startsWith("read:"));
    }

    @Test
    void aCallerWhoHangsUpDuringTheWelcomeEndsTheFlowWithThePathSoFar() {
        FakeChannel caller = new FakeChannel().hangingUpAfter(1);

        IvrOutcome outcome = flow.run(caller, MAIN).toCompletableFuture().join();

        assertThat(outcome).isEqualTo(new IvrOutcome.CallerHungUp(java.util.List.of("welcome")));
        assertThat(caller.log).containsExactly("answer", "hungup-at:play:hotline/welcome-12345:12");
    }
}
