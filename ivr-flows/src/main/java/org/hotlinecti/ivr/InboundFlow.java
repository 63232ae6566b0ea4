package org.hotlinecti.ivr;

import java.util.ArrayList;
import java.util.List;

/**
 * The walking skeleton's inbound flow: the welcome (interruptible by the line's optional menu keys), then route to
 * an agent. The YAML flow interpreter replaces it; the behaviour (short, human fast, no menu unless configured, and a
 * menu never adds waiting) stays.
 */
public final class InboundFlow {

    /** Runs the flow for a caller on {@code line}; never throws for a caller hang-up. */
    public IvrOutcome run(Channel channel, DepartmentLine line) {
        List<String> path = new ArrayList<>();
        try {
            channel.answer();
            path.add("welcome");
            char key = channel.play(line.welcomePrompt(), line.menuKeys());
            String skill = line.skill();
            int priority = line.priority();
            MenuChoice choice = key == 0 ? null : line.menu().get(String.valueOf(key));
            if (choice != null) {
                path.add("menu:" + key + " " + choice.label());
                skill = choice.skill();
                priority = Math.max(priority, choice.priority());
            }
            path.add("queue:" + skill);
            channel.setVariable("CTI_LINE", line.number());
            channel.setVariable("CTI_SKILL", skill);
            return new IvrOutcome.Route(new RoutingRequest(line, skill, line.minLevel(), priority, path));
        } catch (ChannelHungUpException e) {
            return new IvrOutcome.CallerHungUp(path);
        }
    }
}
