package org.hotlinecti.cti.api;

import org.hotlinecti.cti.ticket.Ticket;

/**
 * Pushes live updates to agent desktops and monitors. Implemented by the web layer (WebSocket); the call model calls
 * it. Methods never block and never throw: a desktop that is gone or slow loses only its own messages.
 */
public interface DesktopGateway {

    /** To the answering agent's desktop(s) and to every monitor. */
    void screenPop(ScreenPop pop);

    /** To the agent's desktop(s) and to every monitor. */
    void agentChanged(AgentView agent);

    /** To every monitor, and to the agent's desktop(s) when the ticket has an agent. */
    void ticketSaved(Ticket ticket);

    /** A gateway that drops everything; for tests and headless runs. */
    DesktopGateway NONE = new DesktopGateway() {
        @Override
        public void screenPop(ScreenPop pop) {
        }

        @Override
        public void agentChanged(AgentView agent) {
        }

        @Override
        public void ticketSaved(Ticket ticket) {
        }
    };
}
