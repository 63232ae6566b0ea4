package org.hotlinecti.acd;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** An engine on a fake clock, driven the way the CTI's call loop drives it: wake-ups exactly at its deadlines. */
class EngineFixture {

    static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");

    final FakeClock clock = new FakeClock(T0);
    final Recorder rec = new Recorder();
    SkillAcd acd = new SkillAcd(clock, new SplittableRandom(7), AcdSettings.defaults(), rec);

    void settings(AcdSettings s) {
        acd.updateSettings(s);
    }

    /** Defines, logs in and readies an agent with skills given as name, level, name, level ... then 1 s passes. */
    void readyAgent(String id, Object... skillLevels) {
        defineAgent(id, skillLevels);
        acd.login(id);
        acd.ready(id);
        advance(1);
    }

    void defineAgent(String id, Object... skillLevels) {
        Map<String, Integer> skills = new LinkedHashMap<>();
        for (int i = 0; i < skillLevels.length; i += 2) {
            skills.put((String) skillLevels[i], (Integer) skillLevels[i + 1]);
        }
        acd.defineAgent(new AgentProfile(id, "agent " + id, "ext" + id, skills));
    }

    void loggedIn(String id, Object... skillLevels) {
        defineAgent(id, skillLevels);
        acd.login(id);
    }

    static CallRequest call(String id, String skill, int level, int priority) {
        return new CallRequest(id, new SkillRequirement(skill, level), priority);
    }

    void enqueue(String id, String queue) {
        acd.enqueue(CallRequest.toQueue(id, queue, 0));
    }

    /** Moves the clock forward, waking the engine at each deadline on the way (as the call loop does). */
    void advance(double seconds) {
        Instant target = clock.instant().plusMillis(Math.round(seconds * 1000));
        while (true) {
            Optional<Instant> next = acd.nextDeadline();
            if (next.isEmpty() || next.get().isAfter(target)) {
                break;
            }
            if (next.get().isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), next.get()));
            }
            acd.tick();
        }
        clock.advance(Duration.between(clock.instant(), target));
        acd.checkInvariants();
    }

    AgentStatus agent(String id) {
        return acd.agent(id).orElseThrow();
    }

    /** Answers the call's current offer, ends the talk and finishes wrap-up: the agent is ready again. */
    void serve(String callId, String agentId) {
        acd.answered(callId, agentId);
        acd.callEnded(agentId);
        acd.wrapUpDone(agentId);
    }

    static RelaxationStep step(int afterSeconds, String skill, int level) {
        return new RelaxationStep(Duration.ofSeconds(afterSeconds), List.of(new SkillRequirement(skill, level)));
    }

    static QueueConfig queue(String name, Strategy strategy, RelaxationStep... steps) {
        return QueueConfig.simple(name, new SkillRequirement("x", 1), strategy, Duration.ofSeconds(60))
                .withSteps(List.of(steps));
    }
}
