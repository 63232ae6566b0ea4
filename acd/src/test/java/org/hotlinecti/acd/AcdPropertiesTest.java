package org.hotlinecti.acd;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based: random sequences of owner actions (jqwik generates and shrinks them) never break the engine's
 * promises; {@link ScenarioChecker} states and checks them.
 */
class AcdPropertiesTest {

    @Property(tries = 300)
    void randomEventSequencesKeepEveryRule(@ForAll Strategy strategy,
            @ForAll @Size(ScenarioChecker.AGENTS * 3) List<@IntRange(min = 0, max = 10) Integer> levels,
            @ForAll("ops") List<ScenarioChecker.Op> ops) {
        new ScenarioChecker(strategy, levels).run(ops);
    }

    @Provide
    Arbitrary<List<ScenarioChecker.Op>> ops() {
        Arbitrary<Integer> agent = Arbitraries.integers().between(0, ScenarioChecker.AGENTS - 1);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 50);
        Arbitrary<ScenarioChecker.Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, agent.map(ScenarioChecker.Login::new)),
                net.jqwik.api.Tuple.of(14, agent.map(ScenarioChecker.Ready::new)),
                net.jqwik.api.Tuple.of(4, agent.map(ScenarioChecker.Pause::new)),
                net.jqwik.api.Tuple.of(2, agent.map(ScenarioChecker.Logout::new)),
                net.jqwik.api.Tuple.of(2, agent.map(ScenarioChecker.OtherCall::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(agent, Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 10)).as(ScenarioChecker.Reskill::new)),
                net.jqwik.api.Tuple.of(16, Combinators.combine(Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 2)).as(ScenarioChecker.Enqueue::new)),
                net.jqwik.api.Tuple.of(10, pick.map(ScenarioChecker.Answer::new)),
                net.jqwik.api.Tuple.of(5, Combinators.combine(pick, Arbitraries.of(OfferFailure.class))
                        .as(ScenarioChecker.Fail::new)),
                net.jqwik.api.Tuple.of(2, pick.map(ScenarioChecker.Withdraw::new)),
                net.jqwik.api.Tuple.of(6, pick.map(ScenarioChecker.Abandon::new)),
                net.jqwik.api.Tuple.of(2, pick.map(ScenarioChecker.Callback::new)),
                net.jqwik.api.Tuple.of(10, Combinators.combine(agent, Arbitraries.of(true, false))
                        .as(ScenarioChecker.EndTalk::new)),
                net.jqwik.api.Tuple.of(17, Arbitraries.oneOf(Arbitraries.integers().between(0, 40_000),
                        Arbitraries.integers().between(0, 4 * 3600_000)).map(ScenarioChecker.Advance::new)));
        return op.list().ofMinSize(1).ofMaxSize(120);
    }
}
