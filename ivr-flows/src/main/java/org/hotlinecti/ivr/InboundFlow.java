package org.hotlinecti.ivr;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The walking skeleton's inbound flow: the welcome (interruptible by the line's optional menu keys), then route to
 * an agent. The YAML flow interpreter replaces it; the behaviour (short, human fast, no menu unless configured, and a
 * menu never adds waiting) stays.
 */
public final class InboundFlow {

    /** Runs the flow for a caller on {@code line}; the stage never fails for a caller hang-up. */
    public CompletionStage<IvrOutcome> run(Channel channel, DepartmentLine line) {
        List<String> path = new ArrayList<>();
        CompletionStage<IvrOutcome> flow = channel.answer()
                .thenCompose(answered -> {
                    path.add("welcome");
                    return channel.play(line.welcomePrompt(), line.menuKeys());
                })
                .thenCompose(key -> {
                    MenuChoice choice = key == 0 ? null : line.menu().get(String.valueOf(key));
                    String skill = choice == null ? line.skill() : choice.skill();
                    int priority = choice == null ? line.priority() : Math.max(line.priority(), choice.priority());
                    if (choice != null) {
                        path.add("menu:" + key + " " + choice.label());
                    }
                    path.add("queue:" + skill);
                    return channel.setVariable("CTI_LINE", line.number())
                            .thenCompose(set -> channel.setVariable("CTI_SKILL", skill))
                            .thenApply(set -> new IvrOutcome.Route(
                                    new RoutingRequest(line, skill, line.minLevel(), priority, path)));
                });
        return Flows.endOnHangUp(flow, () -> new IvrOutcome.CallerHungUp(path));
    }
}
