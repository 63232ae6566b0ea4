package org.hotlinecti.sim.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
import org.hotlinecti.sim.world.ExternalSpec;
import org.hotlinecti.sim.world.SimWorld;

/**
 * The demo: the CTI on its embedded defaults with the sim PBX, simulated agents and callers arriving at random (a
 * Poisson stream) on 12345 and the department lines in each merger mode: merged lines (with the "merged into 12345"
 * notice), a parallel line with its own greeting and priority, sub-centre lines (one sub-centre answers, one is
 * busy and falls back to the 12345 pool), and a line that is out of hours while the demo runs, where callers leave
 * voicemail. Callers wait, talk, sometimes give up, sometimes hear the survey when the agent ends the call first.
 * After the run every caller still on the line hangs up, and the demo waits for their tickets.
 */
public final class Demo {

    /** Lines callers dial, with their share of traffic and the skill of the agents who serve them (null: none). */
    private static final List<DemoLine> LINES = List.of(
            new DemoLine("12345", "general", 40),
            new DemoLine("12315", "market", 15),
            new DemoLine("12333", "social_security", 12),
            new DemoLine("12369", "environment", 10),
            new DemoLine("12366", null, 8),
            new DemoLine("12329", null, 7),
            new DemoLine("12351", null, 8));
    private static final Duration DRAIN = Duration.ofSeconds(20);
    private static final Duration TICKET_WAIT = Duration.ofSeconds(20);
    private static final ZoneId CENTRE_ZONE = ZoneId.of("Asia/Shanghai");

    private record DemoLine(String number, String skill, int weight) {
    }

    /**
     * The demo's lines (config {@code lines:} replaces the reference list): the reference lines plus a busy
     * sub-centre (12329) and a line whose hours are closed now (12351, hours {@code demo-closed}: one hour half a day
     * away), so that every mode and the out-of-hours voicemail show up whenever the demo runs.
     */
    static String linesOverlay(Instant now) {
        int from = (now.atZone(CENTRE_ZONE).getHour() + 12) % 24;
        String window = String.format("%02d:00-%02d:00", from, from + 1);
        return """
                lines:
                  - {number: "12345", name: 12345政务服务便民热线, department: 市政务服务便民热线中心, skill: general}
                  - {number: "12315", name: 12315市场监管投诉举报热线, department: 市市场监督管理局, skill: market,
                     merged_notice: hotline/merged-12315}
                  - {number: "12369", name: 12369环保举报热线, department: 市生态环境局, skill: environment,
                     merged_notice: hotline/merged-12369}
                  - {number: "12333", name: 12333人力资源和社会保障服务热线, department: 市人力资源和社会保障局,
                     skill: social_security, mode: parallel, priority: 2}
                  - {number: "12366", name: 12366纳税缴费服务热线, department: 国家税务总局市税务局, skill: tax,
                     mode: sub_centre, sub_centre: {number: "87012366", answer_timeout: 10s}}
                  - {number: "12329", name: 12329住房公积金热线, department: 市住房公积金管理中心, skill: housing_fund,
                     mode: sub_centre, sub_centre: {number: "87012329", answer_timeout: 5s}}
                  - {number: "12351", name: 12351职工维权服务热线, department: 市总工会, skill: labour,
                     mode: parallel, hours: demo-closed}
                ivr:
                  hours:
                    demo-closed: {workdays: ["%1$s"], weekends: ["%1$s"], holidays: ["%1$s"]}
                """.formatted(window);
    }

    /** The sub-centres behind the carrier trunk: 12366's answers, 12329's is busy. */
    private static List<ExternalSpec> externals() {
        return List.of(
                new ExternalSpec("87012366", null, PhoneBehaviour.answerAfter(Duration.ofSeconds(1)), null),
                new ExternalSpec("87012329", null, PhoneBehaviour.busy(), null));
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
        ConfigLoader.Overlay lines = loader.overlay("the demo's lines",
                new ObjectMapper(new YAMLFactory()).readTree(linesOverlay(Instant.now())));
        SimWorld.Options worldOptions = new SimWorld.Options(List.of(lines), agents(), Clock.systemUTC(),
                options.dataDir(), options.httpPort(), Duration.ofMillis(1500), externals());
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
                    by.getOrDefault(Disposition.TRANSFERRED, 0),
                    by.getOrDefault(Disposition.ENDED_BY_IVR, 0) + by.getOrDefault(Disposition.FAILED, 0),
                    mine.size(), ended, world.readyToRing());
        }
    }

    private List<AgentSpec> agents() {
        List<AgentSpec> specs = new ArrayList<>();
        for (int i = 0; i < options.agents(); i++) {
            String id = String.valueOf(1001 + i);
            Map<String, Integer> skills = new LinkedHashMap<>();
            skills.put("general", 5 + random.nextInt(5));
            // every staffed department line has agents who serve it: each agent covers one, in turn
            List<DemoLine> staffed = LINES.stream().filter(l -> l.skill() != null && !l.number().equals("12345"))
                    .toList();
            DemoLine dept = staffed.get(i % staffed.size());
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
