package org.hotlinecti.ivr;

import java.util.ArrayList;
import java.util.List;

/**
 * The walking skeleton's inbound flow: welcome, then the line's optional menu, then route to an agent. The YAML flow
 * interpreter replaces it; the behaviour (short, human fast, no menu unless configured) stays.
 */
public final class InboundFlow {

    /** Runs the flow for a caller on {@code line}; never throws for a caller hang-up. */
    public IvrOutcome run(Channel channel, DepartmentLine line) {
        List<String> path = new ArrayList<>();
        try {
            channel.answer();
            path.add("welcome");
            channel.play(line.welcomePrompt(), "");
            String skill = line.skill();
            int priority = line.priority();
            if (!line.menu().isEmpty()) {
                DigitInput input = channel.readDigits(line.menuPrompt(), 1, line.menuTimeout());
                MenuChoice choice = line.menu().get(input.digits());
                if (choice != null) {
                    path.add("menu:" + input.digits() + " " + choice.label());
                    skill = choice.skill();
                    priority = Math.max(priority, choice.priority());
                } else {
                    path.add(input.isEmpty() ? "menu:timeout" : "menu:invalid " + input.digits());
                }
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
