package org.hotlinecti.cti.web;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.ticket.Ticket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is connected (agent desktops by agent id, monitors) and the fan-out of live updates to them. Each message is
 * encoded once on the caller's thread, then queued to every receiving connection's event loop.
 */
final class DesktopHub implements DesktopGateway {

    private static final Logger LOG = LoggerFactory.getLogger(DesktopHub.class);

    private final DesktopMessages messages;
    private final Map<String, Set<DesktopConnection>> desktops = new ConcurrentHashMap<>();
    private final Set<DesktopConnection> monitors = ConcurrentHashMap.newKeySet();

    DesktopHub(DesktopMessages messages) {
        this.messages = messages;
    }

    void addDesktop(String agentId, DesktopConnection connection) {
        desktops.compute(agentId, (id, set) -> {
            Set<DesktopConnection> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(connection);
            return result;
        });
    }

    void removeDesktop(String agentId, DesktopConnection connection) {
        desktops.computeIfPresent(agentId, (id, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    void addMonitor(DesktopConnection connection) {
        monitors.add(connection);
    }

    void removeMonitor(DesktopConnection connection) {
        monitors.remove(connection);
    }

    /** Open desktop and monitor connections. */
    int connectionCount() {
        return monitors.size() + desktops.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void screenPop(ScreenPop pop) {
        deliver("a screen-pop", () -> {
            String text = messages.screenPop(pop);
            forDesktops(pop.agent(), c -> c.send(text));
            monitors.forEach(c -> c.send(text));
        });
    }

    @Override
    public void agentChanged(AgentView agent) {
        deliver("an agent change", () -> {
            String text = messages.agent(agent);
            forDesktops(agent.id(), c -> c.sendAgentUpdate(text));
            monitors.forEach(c -> c.send(text));
        });
    }

    @Override
    public void ticketSaved(Ticket ticket) {
        deliver("a ticket", () -> {
            String text = messages.ticket(ticket);
            forDesktops(ticket.call().agent(), c -> c.send(text));
            monitors.forEach(c -> c.send(text));
        });
    }

    private void forDesktops(String agentId, Consumer<DesktopConnection> action) {
        if (agentId == null) {
            return;
        }
        Set<DesktopConnection> connections = desktops.get(agentId);
        if (connections != null) {
            connections.forEach(action);
        }
    }

    /** The call loop calls the gateway: whatever goes wrong here is logged, never thrown back at it. */
    private static void deliver(String what, Runnable delivery) {
        try {
            delivery.run();
        } catch (RuntimeException e) {
            LOG.error("Could not push {} to desktops", what, e);
        }
    }
}
