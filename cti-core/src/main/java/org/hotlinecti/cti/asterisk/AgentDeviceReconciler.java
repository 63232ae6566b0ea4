package org.hotlinecti.cti.asterisk;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.hotlinecti.cti.api.AgentCommands;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.ticket.Ticket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agents' states in line with their phones' device states (AMI {@code DeviceStateChange}, and the
 * {@code DeviceStateList} after every login), so that no agent is stuck and no call is offered to a dead phone.
 *
 * <ul>
 *   <li><b>Phone idle, agent busy.</b> {@code NOT_INUSE} (or {@code UNAVAILABLE}) with no live channel of the
 *   endpoint while the agent is offered or talking: the events that would have ended it were lost; the agent is
 *   released ({@code releaseIdle}: offered → ready and the call offered again; talking → wrap-up).</li>
 *   <li><b>Phone gone.</b> {@code UNAVAILABLE} (unregistered, unreachable) while the agent is ready: the agent goes
 *   not ready with reason {@value #REASON}; an agent who becomes ready while the phone is gone is put back at once.</li>
 *   <li><b>Phone back.</b> Any reachable state while the agent is not ready with reason {@value #REASON} because of
 *   this class: the agent is ready again. An agent who chose another state meanwhile is left alone.</li>
 *   <li><b>Phone in use on another call.</b> {@code INUSE}, {@code BUSY}, {@code RINGING}, {@code RINGINUSE} or
 *   {@code ONHOLD} while the agent is neither offered nor talking (so not on a call the CTI put there: its own
 *   call out, a colleague's direct call): routing skips the agent until the phone is {@code NOT_INUSE} or
 *   {@code UNAVAILABLE} again (the engine's "on another call" flag).</li>
 * </ul>
 * Device states arrive on the AMI event thread, agent changes on the call loop; the agent commands post to the call
 * loop, which orders everything after the call events already posted. A command the agent's state no longer allows
 * when it runs is logged, not retried.
 */
public final class AgentDeviceReconciler implements DeviceStateListener, DesktopGateway {

    /** The not-ready reason given when the phone is unavailable. */
    public static final String REASON = "device-unavailable";

    private static final Logger log = LoggerFactory.getLogger(AgentDeviceReconciler.class);

    private final AgentCommands agents;
    private final BiFunction<String, Duration, CompletionStage<AgentView>> releaseIdle;
    private final BiFunction<String, Boolean, CompletionStage<AgentView>> otherCall;
    private final Duration idleGrace;
    /** Last state per extension. */
    private final Map<String, DeviceState> devices = new ConcurrentHashMap<>();
    /** Agents this class made not ready ({@value #REASON}), to make ready again when the phone is back. */
    private final Set<String> parked = ConcurrentHashMap.newKeySet();
    /** Agents this class marked as on another call, to clear when the phone is idle. */
    private final Set<String> elsewhere = ConcurrentHashMap.newKeySet();

    /**
     * @param agents      the agent commands (the call service)
     * @param releaseIdle releases an agent offered or talking whose phone is idle, unless in that state for less than
     *                    the given grace (the call service's {@code releaseIdleAgent})
     * @param idleGrace   how long an agent must have been offered or talking before an idle phone releases it
     * @param otherCall   marks an agent as on (true) or off (false) a call outside the queues (the call service's
     *                    {@code agentOnOtherCall}, which ignores "on" for an agent the CTI has offered a call)
     */
    public AgentDeviceReconciler(AgentCommands agents,
            BiFunction<String, Duration, CompletionStage<AgentView>> releaseIdle, Duration idleGrace,
            BiFunction<String, Boolean, CompletionStage<AgentView>> otherCall) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.releaseIdle = Objects.requireNonNull(releaseIdle, "releaseIdle");
        this.idleGrace = Objects.requireNonNull(idleGrace, "idleGrace");
        this.otherCall = Objects.requireNonNull(otherCall, "otherCall");
    }

    /** The last device state reported for an extension, or {@link DeviceState#UNKNOWN}. */
    public DeviceState device(String extension) {
        return devices.getOrDefault(extension, DeviceState.UNKNOWN);
    }

    @Override
    public void deviceState(DeviceStateReport report) {
        DeviceState previous = devices.put(report.extension(), report.state());
        if (previous != report.state()) {
            log.info("agent phone {}: {}{}", report.extension(), report.state(), report.listed() ? " (listed)" : "");
        }
        agents.agents().thenAccept(all -> {
            for (AgentView agent : byExtension(all, report.extension())) {
                reconcile(agent, report);
            }
        }).exceptionally(e -> {
            log.warn("cannot reconcile agent phone {}: {}", report.extension(), e.toString());
            return null;
        });
    }

    private void reconcile(AgentView agent, DeviceStateReport report) {
        DeviceState state = report.state();
        boolean busy = "offered".equals(agent.state()) || "talking".equals(agent.state());
        if (busy && !report.liveChannels() && (state == DeviceState.NOT_INUSE || state == DeviceState.UNAVAILABLE)) {
            releaseIdle.apply(agent.id(), idleGrace).whenComplete((view, e) -> {
                if (e != null) {
                    log.warn("could not release agent {}: {}", agent.id(), e.toString());
                } else if (state == DeviceState.UNAVAILABLE) {
                    park(view);
                }
            });
            return;
        }
        if (state == DeviceState.NOT_INUSE || state == DeviceState.UNAVAILABLE) {
            backFromElsewhere(agent);
        } else if (state.inUse() && !busy) {
            elsewhere(agent, state);
        }
        if (state == DeviceState.UNAVAILABLE) {
            park(agent);
        } else if (state.reachable()) {
            unpark(agent);
        }
    }

    private void elsewhere(AgentView agent, DeviceState state) {
        if (!elsewhere.add(agent.id())) {
            return;
        }
        log.info("agent {}: phone {} is {} on a call outside the queues; skipped by routing until it is idle",
                agent.id(), agent.extension(), state);
        otherCall.apply(agent.id(), true).whenComplete((view, e) -> {
            if (e != null) {
                elsewhere.remove(agent.id());
                log.warn("could not mark agent {} as on another call: {}", agent.id(), e.toString());
            }
        });
    }

    private void backFromElsewhere(AgentView agent) {
        if (!elsewhere.remove(agent.id())) {
            return;
        }
        log.info("agent {}: phone {} is idle again; routable", agent.id(), agent.extension());
        otherCall.apply(agent.id(), false).whenComplete((view, e) -> {
            if (e != null) {
                log.warn("could not clear agent {}'s other call: {}", agent.id(), e.toString());
            }
        });
    }

    /** A ready agent whose phone is unavailable is made not ready. */
    private void park(AgentView agent) {
        if (!"ready".equals(agent.state()) || device(agent.extension()) != DeviceState.UNAVAILABLE) {
            return;
        }
        log.warn("agent {}: phone {} is unavailable; not ready ({}) until it is back", agent.id(), agent.extension(),
                REASON);
        parked.add(agent.id());
        agents.notReady(agent.id(), REASON).whenComplete((view, e) -> {
            if (e != null) {
                parked.remove(agent.id());
                log.warn("could not make agent {} not ready: {}", agent.id(), e.toString());
            }
        });
    }

    private void unpark(AgentView agent) {
        if (!parked.contains(agent.id()) || !"not_ready".equals(agent.state()) || !REASON.equals(agent.reason())) {
            return;
        }
        parked.remove(agent.id());
        log.info("agent {}: phone {} is back; ready again", agent.id(), agent.extension());
        agents.ready(agent.id()).whenComplete((view, e) -> {
            if (e != null) {
                log.warn("could not make agent {} ready again: {}", agent.id(), e.toString());
            }
        });
    }

    /** On the call loop, for every agent change: an agent who becomes ready on a dead phone is parked at once. */
    @Override
    public void agentChanged(AgentView agent) {
        if ("ready".equals(agent.state())) {
            park(agent);
        } else if (!"not_ready".equals(agent.state()) || !REASON.equals(agent.reason())) {
            // the agent (or a call) moved on: not ours to restore any more
            parked.remove(agent.id());
        }
    }

    @Override
    public void screenPop(ScreenPop pop) {
    }

    @Override
    public void ticketSaved(Ticket ticket) {
    }

    private static List<AgentView> byExtension(List<AgentView> all, String extension) {
        return all.stream().filter(a -> extension.equals(a.extension())).toList();
    }
}
