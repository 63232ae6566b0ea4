package org.hotlinecti.sim.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.sim.sip.PhoneBehaviour;
import org.hotlinecti.sim.world.AgentSpec;
import org.hotlinecti.sim.world.CallSpec;
import org.hotlinecti.sim.world.SimWorld;

/**
 * The demo: the CTI on its embedded defaults with the sim PBX, simulated agents and callers arriving at random (a
 * Poisson stream) on 12345 and merged department lines. Callers wait, talk, sometimes give up, sometimes hear the
 * survey when the agent ends the call first. After the run every caller still on the line hangs up, and the demo
 * waits for their tickets.
 */
public final class Demo {

    /** Lines callers dial, with their share of traffic and the skill that serves them. */
    private static final List<DemoLine> LINES = List.of(
            new DemoLine("12345", "general", 50),
            new DemoLine("12315", "market", 20),
            new DemoLine("12333", "social_security", 15),
            new DemoLine("12369", "environment", 15));
    private static final Duration DRAIN = Duration.ofSeconds(20);
    private static final Duration TICKET_WAIT = Duration.ofSeconds(20);

    private record DemoLine(String number, String skill, int weight) {
    }

    /**
     * @param duration       how long calls keep arriving
     * @param agents         how many agents are on duty
     * @param callsPerMinute mean arrival rate
     * @param httpPort       the web port for the monitor page (0 to pick)
     * @param dataDir        where the embedded database lives
     * @param seed           random seed, so a run can be repeated
     */
    public record Options(Duration duration, int agents, double callsPerMinute, int httpPort, Path dataDir,
            long seed) {
    }

    private final Options options;
    private final PrintStream out;
    private final Random random;

    public Demo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed());
    }

    public DemoSummary run() throws Exception {
        if (options.agents() < 1) {
            throw new IllegalArgumentException("--agents must be at least 1");
        }
        if (options.callsPerMinute() <= 0) {
            throw new IllegalArgumentException("--calls-per-minute must be positive");
        }
        ConfigLoader loader = new ConfigLoader(name -> null);
        SimWorld.Options worldOptions = new SimWorld.Options(List.of(), agents(), Clock.systemUTC(),
                options.dataDir(), options.httpPort(), Duration.ofMillis(1500));
        try (SimWorld world = SimWorld.start(worldOptions, loader)) {
            Instant began = Instant.now();
            String base = world.cti().baseUrl();
            out.println("hotline demo: " + options.agents() + " agents, ~" + options.callsPerMinute()
                    + " calls/min on " + String.join(", ", LINES.stream().map(DemoLine::number).toList())
                    + " for " + options.duration().toSeconds() + " s");
            out.println("  live monitor (screen-pops, tickets): " + base + "/");
            out.println("  tickets (REST):                      " + base + "/api/tickets");
            out.println("  status  (REST):                      " + base + "/api/status");
            out.println("  queues  (REST, wallboard):           " + base + "/api/queues");
            out.flush();

            long end = System.nanoTime() + options.duration().toNanos();
            int placed = 0;
            long next = System.nanoTime();
            while (true) {
                next += Math.round(-Math.log(1 - random.nextDouble()) * 60_000_000_000L / options.callsPerMinute());
                if (next >= end) {
                    break;
                }
                sleepUntil(next);
                world.placeCall(randomCall(placed++));
            }
            sleepUntil(end);
            if (!world.awaitCallsEnded(DRAIN)) {
                world.hangUpAll();
                world.awaitCallsEnded(Duration.ofSeconds(10));
            }
            int ended = (int) world.callers().stream().filter(c -> c.ended().isDone()).count();
            world.awaitTickets(ended, TICKET_WAIT);
            List<Ticket> mine = world.tickets().stream().filter(t -> !t.createdAt().isBefore(began)).toList();
            Map<Disposition, Integer> by = new LinkedHashMap<>();
            for (Ticket t : mine) {
                by.merge(t.call().disposition(), 1, Integer::sum);
            }
            return new DemoSummary(placed, by.getOrDefault(Disposition.ANSWERED, 0),
                    by.getOrDefault(Disposition.ABANDONED, 0), by.getOrDefault(Disposition.VOICEMAIL, 0),
                    mine.size(), ended, world.readyToRing());
        }
    }

    private List<AgentSpec> agents() {
        List<AgentSpec> specs = new ArrayList<>();
        for (int i = 0; i < options.agents(); i++) {
            String id = String.valueOf(1001 + i);
            Map<String, Integer> skills = new LinkedHashMap<>();
            skills.put("general", 5 + random.nextInt(5));
            // every department line has agents who serve it: each agent covers one, in turn
            DemoLine dept = LINES.get(1 + i % (LINES.size() - 1));
            skills.put(dept.skill(), 5 + random.nextInt(5));
            Duration answer = Duration.ofMillis(800 + random.nextInt(2200));
            // about one agent in four tends to end calls first, so callers hear the survey
            Duration hangUpFirst = i % 4 == 3 ? Duration.ofSeconds(6 + random.nextInt(6)) : null;
            specs.add(new AgentSpec(id, "坐席" + id, id, skills, PhoneBehaviour.answerAfter(answer), hangUpFirst,
                    Duration.ofSeconds(1 + random.nextInt(3)), true));
        }
        return specs;
    }

    private CallSpec randomCall(int n) {
        int pick = random.nextInt(100);
        DemoLine line = LINES.get(0);
        for (DemoLine l : LINES) {
            if (pick < l.weight()) {
                line = l;
                break;
            }
            pick -= l.weight();
        }
        String from = "13" + (5 + random.nextInt(5)) + String.format("%08d", random.nextInt(100_000_000));
        Duration talk = Duration.ofSeconds(4 + random.nextInt(12));
        Duration patience = Duration.ofSeconds(8 + random.nextInt(35));
        String survey = String.valueOf(new int[] {1, 1, 1, 2, 2, 3, 4, 5}[random.nextInt(8)]);
        return new CallSpec(from, line.number(), Duration.ZERO, List.of(), talk, patience, survey);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
