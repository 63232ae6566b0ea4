package org.hotlinecti.sim.pbx.ami;

import java.util.List;

/**
 * The PBX core's side of AMI: it executes the actions that touch channels. The {@link AmiServer} itself answers the
 * session-level actions (Login, Challenge, Logoff, Ping, Events, CoreSettings, CoreStatus) and passes every other
 * action of a logged-in session here.
 */
@FunctionalInterface
public interface AmiActionHandler {

    /**
     * Executes one action. Called on an action thread, never on an I/O thread, and one action per session at a time:
     * the session reads its next action only once this one has been answered.
     *
     * <p>The handler answers exactly once through {@code reply}, from any thread, at once or later (a synchronous
     * Originate answers when the call is answered). The answer takes its place in the session's stream at the moment
     * {@link Reply#send} is called: every event published after that call, from any thread, comes after it. So an
     * action that causes events replies first and acts second, as Asterisk's clients see it ({@code Redirect
     * successful} before the MusicOnHoldStop it causes). A handler that throws before answering fails the action.
     *
     * @param action the action as received ({@code Action}, {@code ActionID} and the rest, in order)
     */
    void handle(AmiMessage action, Reply reply);

    /** Where a handler sends its one answer. */
    interface Reply {

        /**
         * Answers with the response first ({@code Response: Success|Error}), then, for list actions, the list events
         * and the {@code ...Complete} event. The server adds the action's {@code ActionID} to each message (right after
         * its first line) when the action had one and the message does not. Unknown actions answer with
         * {@link AmiReplies#unknownAction}, the error Asterisk gives.
         */
        void send(List<AmiMessage> messages);

        /** Answers with one message. */
        default void send(AmiMessage response) {
            send(List.of(response));
        }

        /** Fails the action: {@code Response: Error} with the exception's message. */
        void fail(Throwable error);
    }
}
