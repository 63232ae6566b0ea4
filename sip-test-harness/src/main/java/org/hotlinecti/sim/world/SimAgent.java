package org.hotlinecti.sim.world;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import org.hotlinecti.sim.sip.AgentPhone;
import org.hotlinecti.sim.sip.AgentPhoneListener;
import org.hotlinecti.sim.sip.PhoneCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated agent at work: a SIP phone registered to the PBX and a desktop connected to the CTI. Logs in, gets
 * ready, answers (or not) as its spec says, may hang up first, and saves the ticket form of the call it wraps up.
 */
public final class SimAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimAgent.class);
    static final Map<String, String> FORM = Map.of("category", "咨询", "summary", "市民来电咨询（模拟坐席填写）");

    private final AgentSpec spec;
    private final AgentPhone phone;
    private final DesktopClient desktop;
    private final ScheduledExecutorService timers;
    private final WrapUpForms forms;
    /** The agent's state and its reason, as the desktop last heard them (one message, read together). */
    private final AtomicReference<Heard> heard = new AtomicReference<>(new Heard("logged_out", null));
    private final Map<String, CompletableFuture<Void>> stateReached = new ConcurrentHashMap<>();
    /** Notified whenever {@link #heard} changes. */
    private final Object heardChanged = new Object();

    private SimAgent(AgentSpec spec, AgentPhone phone, DesktopClient desktop, ScheduledExecutorService timers) {
        this.spec = spec;
        this.phone = phone;
        this.desktop = desktop;
        this.timers = timers;
        this.forms = new WrapUpForms(draft -> timers.schedule(() -> desktop.submitForm(draft, FORM),
                spec.wrapUp().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Registers the phone, opens the desktop, logs in and (if the spec says so) becomes ready. */
    static SimAgent start(AgentSpec spec, AgentPhone phone, HttpClient http, String ctiBaseUrl,
            ScheduledExecutorService timers, Duration timeout) throws Exception {
        phone.setBehaviour(spec.phone());
        phone.register().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        DesktopClient desktop = DesktopClient.connect(http, ctiBaseUrl, spec.id(), timeout);
        SimAgent agent = new SimAgent(spec, phone, desktop, timers);
        phone.setListener(agent.new PhoneHandler());
        desktop.onMessage(agent::onDesktopMessage);
        desktop.login();
        if (spec.ready()) {
            desktop.ready();
        }
        return agent;
    }

    public String id() {
        return spec.id();
    }

    public AgentSpec spec() {
        return spec;
    }

    public AgentPhone phone() {
        return phone;
    }

    public DesktopClient desktop() {
        return desktop;
    }

    /** The agent's state as its desktop last heard it ({@code ready}, {@code talking}, {@code wrap_up} ...). */
    public String state() {
        return heard.get().state();
    }

    /** Why the agent is in its state ({@code rona}, {@code login} ...) as its desktop last heard it, or null. */
    public String reason() {
        return heard.get().reason();
    }

    /** Completes once the desktop has heard that the agent is in {@code wanted} (at once if it already is). */
    public CompletableFuture<Void> reached(String wanted) {
        CompletableFuture<Void> f = stateReached.computeIfAbsent(wanted, w -> new CompletableFuture<>());
        if (wanted.equals(state())) {
            f.complete(null);
        }
        return f;
    }

    /**
     * Waits until the state and reason the desktop last heard satisfy {@code condition} (reason null when there is
     * none); false if they still do not after {@code timeout}.
     */
    public boolean awaitHeard(BiPredicate<String, String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (heardChanged) {
            while (true) {
                Heard now = heard.get();
                if (condition.test(now.state(), now.reason())) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(heardChanged, left);
            }
        }
    }

    /** Screen-pops the desktop received. */
    public List<JsonNode> screenPops() {
        return desktop.screenPops();
    }

    private void onDesktopMessage(JsonNode m) {
        switch (m.path("type").asText()) {
            case "screen_pop" -> forms.screenPop(text(m, "linked_id"), text(m, "draft_id"));
            case "agent" -> {
                JsonNode view = m.path("agent");
                String newState = view.path("state").asText();
                heard.set(new Heard(newState, text(view, "reason")));
                synchronized (heardChanged) {
                    heardChanged.notifyAll();
                }
                CompletableFuture<Void> waiting = stateReached.get(newState);
                if (waiting != null) {
                    waiting.complete(null);
                }
                if ("wrap_up".equals(newState)) {
                    String linkedId = text(view, "call_linked_id");
                    if (linkedId == null) {
                        LOG.warn("agent {} is in wrap-up without a call: no form to save", spec.id());
                    } else {
                        forms.wrapUpStarted(linkedId);
                    }
                }
            }
            case "error" -> LOG.warn("agent {} desktop error: {}", spec.id(), m.path("error").asText());
            default -> {
            }
        }
    }

    private record Heard(String state, String reason) {
    }

    private static String text(JsonNode object, String field) {
        JsonNode n = object.path(field);
        return n.isValueNode() && !n.isNull() && !n.asText().isEmpty() ? n.asText() : null;
    }

    private final class PhoneHandler implements AgentPhoneListener {
        @Override
        public void onAnswered(PhoneCall call) {
            if (spec.hangUpAfter() != null) {
                timers.schedule(phone::hangup, spec.hangUpAfter().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        desktop.close();
    }
}
