package org.hotlinecti.acd;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A queue: a routing target with its skill requirements, strategy and exits. Defined (and redefined live) with
 * {@link AcdEngine#defineQueue}.
 *
 * @param name           unique name; calls name it in {@link CallRequest#queue()}
 * @param steps          skill relaxation over the time waited in this queue; the first step starts at zero
 * @param strategy       how a ready agent is chosen for a call
 * @param boost          added to the score of every call of this queue (a department line that must not starve)
 * @param wrapUpMax      the longest wrap-up after a call of this queue; the agent is made ready then
 * @param maxWait        the longest wait in this queue (null: none); then the call goes to {@code maxWaitTarget}
 * @param maxWaitTarget  where calls go at max wait (required when {@code maxWait} is set)
 * @param diversion      diversion at arrival (null: none)
 * @param open           opening hours (null: always open); a call arriving while closed, and every call waiting
 *                       when it closes, goes to {@code closedTarget}
 * @param closedTarget   where calls go while the queue is closed
 * @param reserves       reserve agents switched on by the service objective
 * @param rejoinWindow   an abandoned caller (same {@link CallRequest#caller()}) who calls this queue again within
 *                       this time resumes the old place (zero: off)
 */
public record QueueConfig(String name, List<RelaxationStep> steps, Strategy strategy, Duration boost,
        Duration wrapUpMax, Duration maxWait, ExitTarget maxWaitTarget, Diversion diversion, Schedule open,
        ExitTarget closedTarget, List<ReserveRule> reserves, Duration rejoinWindow) {

    public QueueConfig {
        Objects.requireNonNull(name, "name");
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !steps.get(0).after().isZero()) {
            throw new IllegalArgumentException("queue " + name + ": the first relaxation step must start at 0 s");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).after().compareTo(steps.get(i - 1).after()) <= 0) {
                throw new IllegalArgumentException("queue " + name + ": relaxation steps must start later and later");
            }
        }
        strategy = strategy == null ? Strategy.LONGEST_IDLE : strategy;
        boost = boost == null ? Duration.ZERO : boost;
        Objects.requireNonNull(wrapUpMax, "wrapUpMax");
        if (maxWait != null && maxWaitTarget == null) {
            throw new IllegalArgumentException("queue " + name + ": max_wait needs a max_wait_target");
        }
        if (maxWait != null && maxWait.compareTo(Duration.ZERO) <= 0) {
            throw new IllegalArgumentException("queue " + name + ": max_wait must be positive");
        }
        open = open == null ? Schedule.ALWAYS : open;
        closedTarget = closedTarget == null ? ExitTarget.VOICEMAIL : closedTarget;
        reserves = List.copyOf(reserves == null ? List.of() : reserves);
        rejoinWindow = rejoinWindow == null ? Duration.ZERO : rejoinWindow;
        if (name.equals(targetQueue(maxWaitTarget)) || name.equals(targetQueue(closedTarget))
                || (diversion != null && name.equals(targetQueue(diversion.target())))) {
            throw new IllegalArgumentException("queue " + name + ": an exit cannot lead back into the same queue");
        }
    }

    private static String targetQueue(ExitTarget t) {
        return t == null ? null : t.queue();
    }

    /** A plain queue: one requirement, the given strategy, no exits. */
    public static QueueConfig simple(String name, SkillRequirement requirement, Strategy strategy,
            Duration wrapUpMax) {
        return new QueueConfig(name, List.of(RelaxationStep.of(requirement)), strategy, Duration.ZERO, wrapUpMax,
                null, null, null, null, null, List.of(), Duration.ZERO);
    }

    public QueueConfig withSteps(List<RelaxationStep> newSteps) {
        return new QueueConfig(name, newSteps, strategy, boost, wrapUpMax, maxWait, maxWaitTarget, diversion, open,
                closedTarget, reserves, rejoinWindow);
    }

    public QueueConfig withStrategy(Strategy s) {
        return new QueueConfig(name, steps, s, boost, wrapUpMax, maxWait, maxWaitTarget, diversion, open,
                closedTarget, reserves, rejoinWindow);
    }

    public QueueConfig withBoost(Duration b) {
        return new QueueConfig(name, steps, strategy, b, wrapUpMax, maxWait, maxWaitTarget, diversion, open,
                closedTarget, reserves, rejoinWindow);
    }

    public QueueConfig withMaxWait(Duration wait, ExitTarget target) {
        return new QueueConfig(name, steps, strategy, boost, wrapUpMax, wait, target, diversion, open,
                closedTarget, reserves, rejoinWindow);
    }

    public QueueConfig withDiversion(Diversion d) {
        return new QueueConfig(name, steps, strategy, boost, wrapUpMax, maxWait, maxWaitTarget, d, open,
                closedTarget, reserves, rejoinWindow);
    }

    public QueueConfig withOpen(Schedule schedule, ExitTarget whenClosed) {
        return new QueueConfig(name, steps, strategy, boost, wrapUpMax, maxWait, maxWaitTarget, diversion, schedule,
                whenClosed, reserves, rejoinWindow);
    }

    public QueueConfig withReserves(List<ReserveRule> r) {
        return new QueueConfig(name, steps, strategy, boost, wrapUpMax, maxWait, maxWaitTarget, diversion, open,
                closedTarget, r, rejoinWindow);
    }

    public QueueConfig withRejoinWindow(Duration w) {
        return new QueueConfig(name, steps, strategy, boost, wrapUpMax, maxWait, maxWaitTarget, diversion, open,
                closedTarget, reserves, w);
    }

    public QueueConfig withWrapUpMax(Duration w) {
        return new QueueConfig(name, steps, strategy, boost, w, maxWait, maxWaitTarget, diversion, open,
                closedTarget, reserves, rejoinWindow);
    }
}
