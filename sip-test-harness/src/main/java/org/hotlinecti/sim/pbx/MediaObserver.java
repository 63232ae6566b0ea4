package org.hotlinecti.sim.pbx;

/**
 * What a caller would hear, for simulated callers that react to prompts (a person presses keys when asked, not at a
 * fixed time). Keyed by the SIP Call-ID of the caller's inbound leg. Called on the channel's thread; must not block.
 */
public interface MediaObserver {

    /** A prompt started playing to the caller; {@code escapeDigits} are the keys that would interrupt it. */
    default void promptStarted(String sipCallId, String file, String escapeDigits) {
    }

    /** The PBX now waits for the caller's digits (GET DATA after its prompt, WAIT FOR DIGIT, menus). */
    default void digitsRequested(String sipCallId) {
    }

    /** The caller is on music on hold (waiting in queue). */
    default void musicOnHold(String sipCallId) {
    }

    /** The caller was connected to an agent. */
    default void bridged(String sipCallId, String agentChannel) {
    }
}
