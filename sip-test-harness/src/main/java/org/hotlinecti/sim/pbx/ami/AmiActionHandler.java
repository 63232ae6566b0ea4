package org.hotlinecti.sim.pbx.ami;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The PBX core's side of AMI: it executes the actions that touch channels. The {@link AmiServer} itself answers the
 * session-level actions (Login, Challenge, Logoff, Ping, Events, CoreSettings, CoreStatus) and passes every other
 * action of a logged-in session here.
 */
@FunctionalInterface
public interface AmiActionHandler {

    /**
     * Executes one action.
     *
     * @param action the action as received ({@code Action}, {@code ActionID} and the rest, in order)
     * @return the messages to write back to this session, in order, completed when they are known: the response
     *     first ({@code Response: Success|Error}), then, for list actions, the list events and the {@code ...Complete}
     *     event. The {@link AmiServer} adds the {@code ActionID} of {@code action} to each of them (right after
     *     {@code Response:} or {@code Event:}) when it is present and the handler did not add it. Unknown actions
     *     complete with the {@code Invalid/unknown command} error Asterisk gives.
     */
    CompletionStage<List<AmiMessage>> handle(AmiMessage action);
}
