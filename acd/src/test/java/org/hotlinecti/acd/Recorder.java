package org.hotlinecti.acd;

import java.util.ArrayList;
import java.util.List;

/** Records everything an engine tells its owner. */
final class Recorder implements AcdListener {

    final List<Offer> offers = new ArrayList<>();
    final List<AgentStatus> changes = new ArrayList<>();
    final List<AcdEvent> events = new ArrayList<>();

    @Override
    public void offer(Offer offer) {
        offers.add(offer);
    }

    @Override
    public void agentChanged(AgentStatus agent, AgentState previous) {
        changes.add(agent);
    }

    @Override
    public void event(AcdEvent event) {
        events.add(event);
    }

    <T extends AcdEvent> List<T> events(Class<T> type) {
        List<T> matching = new ArrayList<>();
        for (AcdEvent e : events) {
            if (type.isInstance(e)) {
                matching.add(type.cast(e));
            }
        }
        return matching;
    }

    List<String> offeredAgents() {
        return offers.stream().map(Offer::agentId).toList();
    }

    List<String> offeredCalls() {
        return offers.stream().map(Offer::callId).toList();
    }
}
