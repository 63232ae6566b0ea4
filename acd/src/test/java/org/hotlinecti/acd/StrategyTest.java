package org.hotlinecti.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StrategyTest extends EngineFixture {

    @AfterEach
    void consistent() {
        acd.checkInvariants();
    }

    /** Four ready agents defined in order a, b, c, d (so idle longest: a). */
    private void fourAgents(Strategy strategy) {
        acd.defineQueue(queue("q", strategy, step(0, "general", 2)));
        readyAgent("a", "general", 3);
        readyAgent("b", "general", 9);
        readyAgent("c", "general", 2);
        readyAgent("d", "general", 6);
    }

    private String route(String callId) {
        enqueue(callId, "q");
        return rec.offers.get(rec.offers.size() - 1).agentId();
    }

    @Test
    void longestIdle() {
        fourAgents(Strategy.LONGEST_IDLE);
        assertThat(route("c1")).isEqualTo("a");
        serve("c1", "a");
        assertThat(route("c2")).isEqualTo("b");
    }

    @Test
    void mostSkilledAndLeastSkilled() {
        fourAgents(Strategy.MOST_SKILLED);
        assertThat(route("c1")).isEqualTo("b");
        acd.defineQueue(queue("q", Strategy.LEAST_SKILLED, step(0, "general", 2)));
        assertThat(route("c2")).isEqualTo("c");
    }

    @Test
    void linearAlwaysTakesTheFirstInDefinitionOrder() {
        fourAgents(Strategy.LINEAR);
        assertThat(route("c1")).isEqualTo("a");
        serve("c1", "a");
        assertThat(route("c2")).isEqualTo("a");
    }

    @Test
    void roundRobinMemoryContinuesAfterTheLastServedAndWraps() {
        fourAgents(Strategy.ROUND_ROBIN_MEMORY);
        assertThat(route("c1")).isEqualTo("a");
        serve("c1", "a");
        assertThat(route("c2")).isEqualTo("b");
        serve("c2", "b");
        assertThat(route("c3")).isEqualTo("c");
        serve("c3", "c");
        assertThat(route("c4")).isEqualTo("d");
        serve("c4", "d");
        assertThat(route("c5")).isEqualTo("a");
    }

    @Test
    void fewestCalls() {
        fourAgents(Strategy.FEWEST_CALLS);
        assertThat(route("c1")).isEqualTo("a");
        serve("c1", "a");
        advance(1);
        assertThat(route("c2")).isEqualTo("b");
        serve("c2", "b");
        assertThat(route("c3")).isEqualTo("c");
        serve("c3", "c");
        assertThat(route("c4")).isEqualTo("d");
        serve("c4", "d");
        // everyone has one call now: the longest idle of them (a) is next
        assertThat(route("c5")).isEqualTo("a");
    }

    @Test
    void leastTalkTime() {
        fourAgents(Strategy.LEAST_TALK_TIME);
        for (String agent : new String[] {"a", "b", "c", "d"}) {
            String id = "talk-" + agent;
            enqueue(id, "q");
            acd.answered(id, agent);
            advance(agent.equals("c") ? 5 : 50);
            acd.callEnded(agent);
            acd.wrapUpDone(agent);
        }
        assertThat(route("next")).isEqualTo("c");
    }

    @Test
    void randomIsUniformOverQualifiedAgentsAndReproducibleWithASeed() {
        fourAgents(Strategy.RANDOM);
        readyAgent("low", "general", 1);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            String agent = route("r" + i);
            counts.merge(agent, 1, Integer::sum);
            acd.offerWithdrawn("r" + i, agent);
            acd.abandon("r" + i);
        }
        assertThat(counts).doesNotContainKey("low").containsOnlyKeys("a", "b", "c", "d");
        counts.values().forEach(n -> assertThat(n).isBetween(850, 1150));
    }

    @Test
    void weightedRandomFavoursHigherLevels() {
        fourAgents(Strategy.WEIGHTED_RANDOM);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20000; i++) {
            String agent = route("r" + i);
            counts.merge(agent, 1, Integer::sum);
            acd.abandon("r" + i);
        }
        // weights 3, 9, 2, 6 of 20
        assertThat(counts.get("b") / 20000.0).isBetween(0.42, 0.48);
        assertThat(counts.get("c") / 20000.0).isBetween(0.08, 0.12);
        assertThat(counts.get("d") / 20000.0).isBetween(0.27, 0.33);
    }

    @Test
    void agentsBusyOnANonQueueCallAreSkipped() {
        fourAgents(Strategy.LONGEST_IDLE);
        acd.onOtherCall("a", true);
        assertThat(agent("a").onOtherCall()).isTrue();
        assertThat(route("c1")).isEqualTo("b");
        enqueue("c2", "q");
        enqueue("c3", "q");
        enqueue("c4", "q");
        assertThat(rec.offeredAgents()).containsExactly("b", "c", "d");
        acd.onOtherCall("a", false);
        assertThat(rec.offeredAgents()).containsExactly("b", "c", "d", "a");
    }
}
