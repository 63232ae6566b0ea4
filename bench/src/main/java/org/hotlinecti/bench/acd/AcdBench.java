package org.hotlinecti.bench.acd;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.hotlinecti.acd.AgentState;
import org.hotlinecti.bench.BenchReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./hotline bench acd}: latency of one routing decision of the skill engine, including the state update, in a
 * centre of 10,000 agents (4 of 64 skills each) with 10,000 calls waiting, against a naive linear scan.
 *
 * <p><b>Method.</b> HdrHistogram around single decisions, timed with {@link System#nanoTime()} (the timer's own cost,
 * some 20–30 ns, is included). The decision measured is the hard direction: an agent finishes wrap-up
 * ({@code wrapUpDone}) and the engine picks, over all queues it serves, the best of the 10,000 waiting calls and
 * offers it (agent state, indexes, the call's removal, the offer and state events). Between decisions, untimed, the
 * agent answers, its talk ends and a new call arrives, so the centre stays at 10,000 waiting calls. The baseline does
 * the same decision by scanning every waiting call. A second pair of figures times the other direction: a call
 * arriving while all agents are ready, engine vs. a scan over agents ({@code arrival_*}). {@code decisions_per_s} is
 * 1 s / mean decision latency on this one thread. {@code cycles_per_cpu_s} is the whole cycle (hang-up, decision,
 * answer, new call: four engine calls) per CPU second of the thread — CPU time, so a shared, loaded machine does not
 * count time the thread was not running. Memory: heap used after GC before and after creating N agents
 * (ready, so indexed) and N waiting calls.
 */
@Command(name = "acd", mixinStandardHelpOptions = true,
        description = "Routing decision latency and memory of the ACD engine vs. a naive scan.")
public final class AcdBench implements Callable<Integer> {

    @Option(names = "--quick", description = "Short run (a few seconds) for development.")
    boolean quick;

    @Option(names = "--agents", description = "Agents (default ${DEFAULT-VALUE}).")
    int agents = 10_000;

    @Option(names = "--skills", description = "Skills, one queue each (default ${DEFAULT-VALUE}).")
    int skills = 64;

    @Option(names = "--waiting", description = "Calls kept waiting (default ${DEFAULT-VALUE}).")
    int waiting = 10_000;

    @Override
    public Integer call() {
        int decisions = quick ? 200_000 : 2_000_000;
        int warmup = quick ? 100_000 : 1_000_000;
        int naiveDecisions = quick ? 3_000 : 30_000;

        long[] cpuNs = new long[1];
        Histogram engine = agentReadyDecisions(warmup, decisions, cpuNs);
        Histogram naive = naiveAgentReady(naiveDecisions / 2, naiveDecisions);
        Histogram arrival = callArrivalDecisions(warmup, decisions);
        Histogram naiveArrival = naiveCallArrival(naiveDecisions / 2, naiveDecisions);
        long bytesPerAgent = bytesPerAgent();
        long bytesPerCall = bytesPerCall(quick ? 20_000 : 100_000);

        new BenchReport()
                .put("decisions_per_s", Math.round(1e9 / engine.getMean()))
                .put("p50_ns", engine.getValueAtPercentile(50))
                .put("p99_ns", engine.getValueAtPercentile(99))
                .put("naive_p99_ns", naive.getValueAtPercentile(99))
                .put("ratio_vs_naive", naive.getValueAtPercentile(99) / (double) engine.getValueAtPercentile(99))
                .put("bytes_per_call", bytesPerCall)
                .put("bytes_per_agent", bytesPerAgent)
                .put("p999_ns", engine.getValueAtPercentile(99.9))
                .put("mean_ns", engine.getMean())
                .put("cycles_per_cpu_s", Math.round(decisions / (cpuNs[0] / 1e9)))
                .put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                .put("arrival_p50_ns", arrival.getValueAtPercentile(50))
                .put("arrival_p99_ns", arrival.getValueAtPercentile(99))
                .put("arrival_naive_p99_ns", naiveArrival.getValueAtPercentile(99))
                .put("agents", agents)
                .put("skills", skills)
                .put("waiting_calls", waiting)
                .put("decisions", decisions)
                .put("method", "HdrHistogram around single decisions (System.nanoTime)")
                .print(System.out);
        return 0;
    }

    private AcdWorld busyCentre() {
        AcdWorld w = new AcdWorld(agents, skills).addAgents();
        w.allReady();
        w.fillQueues(waiting);
        return w;
    }

    /** Also puts into {@code cpuNs[0]} the thread's CPU time over the measured part (decisions and bookkeeping). */
    private Histogram agentReadyDecisions(int warmup, int measured, long[] cpuNs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = 0;
        AcdWorld w = busyCentre();
        List<String> talking = w.talking();
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        int i = 0;
        for (int n = 0; n < warmup + measured; i++) {
            String agent = talking.get(i % talking.size());
            if (w.acd.agent(agent).orElseThrow().state() != AgentState.TALKING) {
                continue;
            }
            if (n == warmup && cpuStart == 0) {
                cpuStart = threads.getCurrentThreadCpuTime();
            }
            w.acd.callEnded(agent);
            w.clock.advanceMillis(1);
            w.tickIfDue();
            w.lastOfferCall = null;
            long t0 = System.nanoTime();
            w.acd.wrapUpDone(agent);
            long t1 = System.nanoTime();
            if (n >= warmup) {
                h.recordValue(t1 - t0);
            }
            n++;
            if (w.lastOfferCall != null) {
                w.acd.answered(w.lastOfferCall, agent);
            }
            topUp(w);
        }
        cpuNs[0] = threads.getCurrentThreadCpuTime() - cpuStart;
        if (w.acd.waitingCount() < waiting - 1) {
            throw new IllegalStateException("the centre drained: " + w.acd.waitingCount() + " waiting");
        }
        return h;
    }

    /** A new call arrives (an idle agent that qualifies takes it at once) until the queues are full again. */
    private void topUp(AcdWorld w) {
        while (w.acd.waitingCount() < waiting) {
            w.lastOfferCall = null;
            w.acd.enqueue(w.newCall());
            if (w.lastOfferCall != null) {
                w.acd.answered(w.lastOfferCall, w.lastOfferAgent);
            }
        }
    }

    private Histogram callArrivalDecisions(int warmup, int measured) {
        AcdWorld w = new AcdWorld(agents, skills).addAgents();
        w.allReady();
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        for (int n = 0; n < warmup + measured; n++) {
            w.clock.advanceMillis(1);
            w.tickIfDue();
            var call = w.newCall();
            w.lastOfferCall = null;
            long t0 = System.nanoTime();
            w.acd.enqueue(call);
            long t1 = System.nanoTime();
            if (n >= warmup) {
                h.recordValue(t1 - t0);
            }
            if (w.lastOfferCall != null) {
                String agent = w.lastOfferAgent;
                w.acd.answered(w.lastOfferCall, agent);
                w.acd.callEnded(agent);
                w.acd.wrapUpDone(agent);
            } else {
                w.acd.abandon(call.callId());
            }
        }
        return h;
    }

    private NaiveScanRouter.Call naiveCall(SplittableRandom r, long now, long seq) {
        int s = r.nextInt(skills);
        boolean relaxes = s % 2 == 1;
        int priority = r.nextInt(8) == 0 ? 1 : 0;
        return new NaiveScanRouter.Call(s, relaxes ? 5 : 1, 1, relaxes ? now + 30_000 : Long.MAX_VALUE,
                now - priority * 60_000L, seq);
    }

    private Histogram naiveAgentReady(int warmup, int measured) {
        AcdWorld w = new AcdWorld(agents, skills).addAgents();
        NaiveScanRouter naive = new NaiveScanRouter(w);
        SplittableRandom r = new SplittableRandom(42);
        long now = 0;
        long seq = 0;
        while (naive.waitingCount() < waiting) {
            naive.callArrives(naiveCall(r, now, seq++), now);
        }
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        for (int n = 0; n < warmup + measured; n++) {
            now++;
            int agent = r.nextInt(agents);
            long t0 = System.nanoTime();
            NaiveScanRouter.Call taken = naive.agentReady(agent, now);
            long t1 = System.nanoTime();
            if (n >= warmup) {
                h.recordValue(t1 - t0);
            }
            if (taken != null) {
                naive.callArrives(naiveCall(r, now, seq++), now);
            }
        }
        return h;
    }

    private Histogram naiveCallArrival(int warmup, int measured) {
        AcdWorld w = new AcdWorld(agents, skills).addAgents();
        NaiveScanRouter naive = new NaiveScanRouter(w);
        SplittableRandom r = new SplittableRandom(43);
        for (int a = 0; a < agents; a++) {
            naive.agentReady(a, 0);
        }
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        long now = 0;
        for (int n = 0; n < warmup + measured; n++) {
            now++;
            NaiveScanRouter.Call c = naiveCall(r, now, n);
            long t0 = System.nanoTime();
            int agent = naive.callArrives(c, now);
            long t1 = System.nanoTime();
            if (n >= warmup) {
                h.recordValue(t1 - t0);
            }
            if (agent >= 0) {
                naive.agentReady(agent, now);
            }
        }
        return h;
    }

    private long bytesPerAgent() {
        AcdWorld w = new AcdWorld(agents, skills);
        long before = heapUsedAfterGc();
        w.addAgents();
        w.allReady();
        long after = heapUsedAfterGc();
        keep(w);
        return Math.round((after - before) / (double) agents);
    }

    private long bytesPerCall(int n) {
        AcdWorld w = new AcdWorld(agents, skills).addAgents();
        long before = heapUsedAfterGc();
        for (int i = 0; i < n; i++) {
            w.acd.enqueue(w.newCall());
        }
        long after = heapUsedAfterGc();
        keep(w);
        return Math.round((after - before) / (double) n);
    }

    private static volatile Object sink;

    private static void keep(Object o) {
        sink = o;
        sink = null;
    }

    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
