package org.hotlinecti.cti.call;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.ticket.Ticket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends desktop updates to every attached gateway (the web server; observers in tests). Lets the call service exist
 * before the web server that needs it, and keeps one faulty gateway from hurting the others.
 */
public final class DesktopFanout implements DesktopGateway {

    private static final Logger LOG = LoggerFactory.getLogger(DesktopFanout.class);

    private final List<DesktopGateway> gateways = new CopyOnWriteArrayList<>();

    public void attach(DesktopGateway gateway) {
        gateways.add(gateway);
    }

    @Override
    public void screenPop(ScreenPop pop) {
        for (DesktopGateway g : gateways) {
            try {
                g.screenPop(pop);
            } catch (RuntimeException e) {
                LOG.warn("desktop gateway {} failed on a screen-pop", g, e);
            }
        }
    }

    @Override
    public void agentChanged(AgentView agent) {
        for (DesktopGateway g : gateways) {
            try {
                g.agentChanged(agent);
            } catch (RuntimeException e) {
                LOG.warn("desktop gateway {} failed on an agent change", g, e);
            }
        }
    }

    @Override
    public void ticketSaved(Ticket ticket) {
        for (DesktopGateway g : gateways) {
            try {
                g.ticketSaved(ticket);
            } catch (RuntimeException e) {
                LOG.warn("desktop gateway {} failed on a ticket", g, e);
            }
        }
    }
}
