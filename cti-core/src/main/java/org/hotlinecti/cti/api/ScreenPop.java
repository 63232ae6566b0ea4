package org.hotlinecti.cti.api;

import java.time.Instant;
import java.util.List;

/**
 * The ticket form prefill pushed to an agent's desktop when the agent answers (弹屏).
 *
 * @param agent          the agent who answered
 * @param draftId        the id the agent's form is saved under (see {@link AgentCommands#submitForm})
 * @param linkedId       the call's Linkedid
 * @param caller         the caller's number (shown in full to the agent, who needs it)
 * @param line           the number dialled
 * @param lineName       the line's name
 * @param department     the line's department
 * @param skill          the skill the call was routed by
 * @param ivrPath        the IVR steps, in order
 * @param waitSeconds    seconds the caller waited in queue
 * @param answeredAt     when the agent answered
 * @param earlierTickets the caller's most recent earlier tickets, newest first (may be empty)
 */
public record ScreenPop(String agent, String draftId, String linkedId, String caller, String line, String lineName,
        String department, String skill, List<String> ivrPath, long waitSeconds, Instant answeredAt,
        List<TicketBrief> earlierTickets) {

    public ScreenPop {
        ivrPath = List.copyOf(ivrPath);
        earlierTickets = List.copyOf(earlierTickets);
    }

    /** One line of the caller's history on the screen-pop. */
    public record TicketBrief(String number, String line, String disposition, String agent, Instant endedAt,
            String summary) {
    }
}
