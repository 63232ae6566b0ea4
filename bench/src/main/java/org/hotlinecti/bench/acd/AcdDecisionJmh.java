package org.hotlinecti.bench.acd;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.acd.AgentState;
import org.hotlinecti.acd.AgentStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same decision as {@link AcdBench} under JMH (SampleTime): an agent of a 10,000-agent, 64-skill centre with
 * 10,000 waiting calls finishes wrap-up and is offered the best call. The hang-up before and the answer and new call
 * after run in per-invocation fixtures, outside the measurement. Not behind {@code ./hotline bench acd} (that one
 * uses HdrHistogram and prints the keys); run it with
 * {@code java -cp bench/target/hotline-bench.jar org.openjdk.jmh.Main AcdDecisionJmh}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AcdDecisionJmh {

    /** A busy centre and the agent about to be freed. */
    @State(Scope.Thread)
    public static class Centre {
        AcdWorld world;
        List<String> talking;
        int next;
        String agent;

        @Setup(Level.Trial)
        public void build() {
            world = new AcdWorld(10_000, 64).addAgents();
            world.allReady();
            world.fillQueues(10_000);
            talking = world.talking();
        }

        @Setup(Level.Invocation)
        public void hangUp() {
            do {
                agent = talking.get(next++ % talking.size());
            } while (world.acd.agent(agent).orElseThrow().state() != AgentState.TALKING);
            world.acd.callEnded(agent);
            world.clock.advanceMillis(1);
            world.tickIfDue();
            world.lastOfferCall = null;
        }

        @TearDown(Level.Invocation)
        public void answerAndRefill() {
            if (world.lastOfferCall != null) {
                world.acd.answered(world.lastOfferCall, agent);
            }
            while (world.acd.waitingCount() < 10_000) {
                world.lastOfferCall = null;
                world.acd.enqueue(world.newCall());
                if (world.lastOfferCall != null) {
                    world.acd.answered(world.lastOfferCall, world.lastOfferAgent);
                }
            }
        }
    }

    @Benchmark
    public AgentStatus agentFreedTakesBestCall(Centre c) {
        return c.world.acd.wrapUpDone(c.agent);
    }
}
