package org.hotlinecti.bench.acd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.hotlinecti.acd.AcdListener;
import org.hotlinecti.acd.AcdSettings;
import org.hotlinecti.acd.AgentProfile;
import org.hotlinecti.acd.AgentState;
import org.hotlinecti.acd.AgentStatus;
import org.hotlinecti.acd.CallRequest;
import org.hotlinecti.acd.Offer;
import org.hotlinecti.acd.QueueConfig;
import org.hotlinecti.acd.RelaxationStep;
import org.hotlinecti.acd.SkillAcd;
import org.hotlinecti.acd.SkillRequirement;
import org.hotlinecti.acd.Strategy;

/**
 * The benchmark's centre: {@code agents} agents with 4 of {@code skills} skills each (levels 1..10), one queue per
 * skill (every other queue relaxes from level ≥ 5 to ≥ 1 after 30 s), longest-idle.
 */
final class AcdWorld implements AcdListener {

    static final int SKILLS_PER_AGENT = 4;

    final BenchClock clock = new BenchClock(1_767_225_600_000L);
    final SkillAcd acd;
    final int agents;
    final int skills;
    final int[][] agentSkills;
    final int[][] agentLevels;
    final SplittableRandom random = new SplittableRandom(42);
    String lastOfferCall;
    String lastOfferAgent;
    long offers;
    private long nextCall;

    /** Queues only; {@link #addAgents()} adds the agents (separately, so their memory can be measured). */
    AcdWorld(int agents, int skills) {
        this.agents = agents;
        this.skills = skills;
        this.acd = new SkillAcd(clock, new SplittableRandom(1), AcdSettings.defaults(), this);
        for (int s = 0; s < skills; s++) {
            List<RelaxationStep> steps = s % 2 == 0
                    ? List.of(RelaxationStep.of(new SkillRequirement(skill(s), 1)))
                    : List.of(RelaxationStep.of(new SkillRequirement(skill(s), 5)),
                            new RelaxationStep(Duration.ofSeconds(30), List.of(new SkillRequirement(skill(s), 1))));
            acd.defineQueue(QueueConfig.simple(queue(s), new SkillRequirement(skill(s), 1), Strategy.LONGEST_IDLE,
                    Duration.ofSeconds(60)).withSteps(steps));
        }
        agentSkills = new int[agents][SKILLS_PER_AGENT];
        agentLevels = new int[agents][SKILLS_PER_AGENT];
    }

    /** Defines the agents (logged out) with random distinct skills; the same seed gives the same centre. */
    AcdWorld addAgents() {
        for (int a = 0; a < agents; a++) {
            Map<String, Integer> profile = new TreeMap<>();
            int k = 0;
            while (k < SKILLS_PER_AGENT) {
                int s = random.nextInt(skills);
                if (!profile.containsKey(skill(s))) {
                    int level = 1 + random.nextInt(10);
                    profile.put(skill(s), level);
                    agentSkills[a][k] = s;
                    agentLevels[a][k] = level;
                    k++;
                }
            }
            acd.defineAgent(new AgentProfile(agentId(a), "agent " + a, "8" + a, profile));
        }
        return this;
    }

    static String skill(int s) {
        return "skill" + s;
    }

    static String queue(int s) {
        return "q" + s;
    }

    static String agentId(int a) {
        return "A" + a;
    }

    CallRequest newCall() {
        return CallRequest.toQueue("call-" + nextCall++, queue(random.nextInt(skills)), random.nextInt(8) == 0 ? 1 : 0);
    }

    /** Logs every agent in and makes it ready. */
    void allReady() {
        for (int a = 0; a < agents; a++) {
            acd.login(agentId(a));
            acd.ready(agentId(a));
        }
    }

    /** Keeps enqueueing (answering every offer at once) until {@code waiting} calls wait: all agents are busy. */
    void fillQueues(int waiting) {
        while (acd.waitingCount() < waiting) {
            lastOfferCall = null;
            acd.enqueue(newCall());
            if (lastOfferCall != null) {
                acd.answered(lastOfferCall, lastOfferAgent);
            }
        }
    }

    /** Agents talking now, for the benchmark to free one by one. */
    List<String> talking() {
        List<String> ids = new ArrayList<>();
        for (AgentStatus s : acd.agents()) {
            if (s.state() == AgentState.TALKING) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    /** Wakes the engine when its deadline has passed, as the CTI's call loop would. */
    void tickIfDue() {
        acd.nextDeadline().ifPresent(at -> {
            if (at.toEpochMilli() <= clock.millis()) {
                acd.tick();
            }
        });
    }

    @Override
    public void offer(Offer offer) {
        lastOfferCall = offer.callId();
        lastOfferAgent = offer.agentId();
        offers++;
    }

    @Override
    public void agentChanged(AgentStatus agent, AgentState previous) {
        // the CTI would push this to the desktop; the status object is built either way
    }
}
