package org.hotlinecti.cti.asterisk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.hotlinecti.cti.call.PbxActionException;
import org.hotlinecti.cti.call.PbxControl;
import org.hotlinecti.cti.call.PbxEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI's AMI session with one Asterisk, over Asterisk-Java's {@code ManagerConnection}: it turns AMI events into
 * {@link PbxEvent}s for a sink and carries out {@link PbxControl} requests as AMI actions.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>Asterisk-Java reads the socket on its reader thread and dispatches on its event-pump thread; this adapter does
 *   nothing there but translate the event and queue it.</li>
 *   <li>The sink is called from <b>one thread the adapter owns</b> ({@code ami-events-<host>:<port>}), in the order
 *   Asterisk sent the events, one call at a time. A sink that throws is logged; delivery goes on.</li>
 *   <li>The stages returned by the {@link PbxControl} methods also complete on that thread, in order with the events
 *   (the Redirect response is seen before the DialBegin it causes). Use the {@code *Async} variants for slow
 *   continuations. AMI actions are written to the socket from another adapter thread ({@code ami-actions-...}), so no
 *   caller blocks on I/O.</li>
 * </ul>
 *
 * <h2>Session</h2>
 * {@link #connect()} logs in (Challenge/MD5 Login, then CoreSettings) and emits {@link PbxEvent.Connected}. Events that
 * arrive during a login, before it completed (FullyBooted comes right after the Login response), are held and
 * delivered right after {@code Connected}. When the socket closes the sink gets {@link PbxEvent.Disconnected};
 * Asterisk-Java then reconnects on its own (after 50 ms, 10 fast tries, then every 5 s) and, once logged in again,
 * the sink gets {@code Connected} again. Channel state may have changed in between: the call model must resync.
 * {@link #close()} logs off and emits a last {@code Disconnected}.
 */
public final class AmiPbxAdapter implements PbxControl, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmiPbxAdapter.class);

    private static final int REDIRECT_PRIORITY = 1;
    private static final int MAX_Q850_CAUSE = 127;
    private static final String AMI_ERROR = "Error";

    private final AmiSettings settings;
    private final Consumer<PbxEvent> sink;
    private final VersionCapturingManagerConnection connection = new VersionCapturingManagerConnection();
    private final AmiEventTranslator translator = new AmiEventTranslator();
    private final Map<Class<? extends ManagerEvent>, Runnable> sessionChanges;
    private final ExecutorService eventThread;
    private final ScheduledThreadPoolExecutor actionThread;
    private final Map<CompletableFuture<Void>, String> pendingActions = new ConcurrentHashMap<>();

    private final Object gate = new Object();
    /** Whether the sink has been told {@code Connected} for the current login. Guarded by {@link #gate}. */
    private boolean sessionOpen;
    /** Events of a login in progress, delivered after its {@code Connected}. Guarded by {@link #gate}. */
    private final List<PbxEvent> heldUntilLoggedIn = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param settings where to connect and how to log in
     * @param sink     receives every {@link PbxEvent}, on the adapter's event thread, in order
     */
    public AmiPbxAdapter(AmiSettings settings, Consumer<PbxEvent> sink) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.sessionChanges = Map.of(
                ConnectEvent.class, this::onLoggedIn,
                DisconnectEvent.class, this::onConnectionLost);
        this.eventThread = Executors.newSingleThreadExecutor(
                NamedDaemonThreadFactory.single("ami-events-" + settings.address()));
        this.actionThread = new ScheduledThreadPoolExecutor(1,
                NamedDaemonThreadFactory.single("ami-actions-" + settings.address()));
        this.actionThread.setRemoveOnCancelPolicy(true);

        connection.setHostname(settings.host());
        connection.setPort(settings.port());
        connection.setUsername(settings.username());
        connection.setPassword(settings.secret());
        connection.setSocketTimeout((int) settings.connectTimeout().toMillis());
        // Bounds each login step (banner, Challenge, Login, CoreSettings) and Logoff.
        connection.setDefaultResponseTimeout(settings.connectTimeout().toMillis());
        connection.setDefaultEventTimeout(settings.actionTimeout().toMillis());
        connection.addEventListener(this::onManagerEvent);
    }

    /**
     * Connects and logs in, then emits {@link PbxEvent.Connected}. Blocks for at most a few times the connect timeout.
     *
     * @throws AmiConnectException   if Asterisk cannot be reached, does not speak AMI, or refuses the login; the
     *                               message says which, in one line
     * @throws IllegalStateException if already connected or closed
     */
    public synchronized void connect() {
        if (closed) {
            throw new IllegalStateException("AMI adapter for " + settings.address() + " is closed");
        }
        ManagerConnectionState state = connection.getState();
        if (state != ManagerConnectionState.INITIAL && state != ManagerConnectionState.DISCONNECTED) {
            throw new IllegalStateException("AMI connection to " + settings.address() + " is already " + state);
        }
        log.info("Connecting to AMI at {} as '{}'", settings.address(), settings.username());
        try {
            connection.login("on");
        } catch (AuthenticationFailedException e) {
            throw new AmiConnectException("AMI login to " + settings.address() + " as '" + settings.username()
                    + "' failed: " + describe(e), e);
        } catch (TimeoutException e) {
            throw new AmiConnectException(noBanner() + " within " + settings.connectTimeout().toMillis()
                    + " ms (is it an AMI port?)", e);
        } catch (AmiUnreachableException e) {
            throw new AmiConnectException("cannot reach AMI at " + settings.address() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            // Asterisk-Java reports the reader's end instead of its banner timeout when the socket closed meanwhile.
            throw new AmiConnectException(noBanner() + ": " + describe(e), e);
        }
    }

    private String noBanner() {
        return "AMI at " + settings.address() + " sent no 'Asterisk Call Manager' banner";
    }

    /** Whether the AMI session is logged in right now (false while Asterisk-Java reconnects). */
    public boolean isConnected() {
        return connection.getState() == ManagerConnectionState.CONNECTED;
    }

    /** The Asterisk version from the last login's CoreSettings (e.g. {@code 22.10.1}), or empty if unknown. */
    public String asteriskVersion() {
        return connection.asteriskVersion();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sends one Setvar per variable, in the map's iteration order, then Redirect to
     * {@code <connectContext>,<agentExtension>,1}; each action is sent only after the previous one succeeded, so a
     * refused Setvar leaves the caller where it is.
     *
     * @throws IllegalArgumentException at once, before anything is sent, if an argument is blank or contains CR/LF
     */
    @Override
    public CompletionStage<Void> connectToAgent(String callerChannel, String agentExtension,
            Map<String, String> variables) {
        AsteriskInputs.requireChannel(callerChannel);
        AsteriskInputs.requireToken("agent extension", agentExtension);
        Objects.requireNonNull(variables, "variables");
        List<ManagerAction> actions = new ArrayList<>(variables.size() + 1);
        variables.forEach((name, value) -> actions.add(new SetVarAction(callerChannel,
                AsteriskInputs.requireVariableName(name), AsteriskInputs.requireValue("value of " + name, value))));
        actions.add(new RedirectAction(callerChannel, settings.connectContext(), agentExtension, REDIRECT_PRIORITY));
        log.info("Redirecting {} to {},{},{}", callerChannel, settings.connectContext(), agentExtension,
                REDIRECT_PRIORITY);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (ManagerAction action : actions) {
            chain = chain.thenCompose(ignored -> send(action));
        }
        return chain;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException at once if an argument is blank (value may be empty) or contains CR/LF
     */
    @Override
    public CompletionStage<Void> setVariable(String channel, String name, String value) {
        return send(new SetVarAction(AsteriskInputs.requireChannel(channel), AsteriskInputs.requireVariableName(name),
                AsteriskInputs.requireValue("value of " + name, value)));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException at once if the channel is blank, contains CR/LF or is a {@code /pattern/}, or
     *                                  the cause is outside 0..127
     */
    @Override
    public CompletionStage<Void> hangup(String channel, int cause) {
        AsteriskInputs.requireChannel(channel);
        if (cause < 0 || cause > MAX_Q850_CAUSE) {
            throw new IllegalArgumentException("hangup cause must be a Q.850 cause 0..127, got " + cause);
        }
        return send(new HangupAction(channel, cause));
    }

    /**
     * Logs off, emits a last {@link PbxEvent.Disconnected}, fails actions still waiting for a response, and stops the
     * adapter's threads after the queued events were delivered (waiting at most the action timeout; so do not call it
     * from the sink). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ManagerConnectionState state = connection.getState();
        if (state == ManagerConnectionState.CONNECTED || state == ManagerConnectionState.RECONNECTING) {
            try {
                connection.logoff();
            } catch (RuntimeException e) {
                log.warn("AMI Logoff from {} failed: {}", settings.address(), e.toString());
            }
        }
        synchronized (gate) {
            heldUntilLoggedIn.clear();
            if (sessionOpen) {
                sessionOpen = false;
                deliver(new PbxEvent.Disconnected("AMI session closed by the CTI", true));
            }
        }
        actionThread.shutdownNow();
        pendingActions.forEach((action, name) -> settle(action, new PbxActionException(name, PbxActionException.Outcome.NOT_SENT, "AMI adapter closed")));
        eventThread.shutdown();
        try {
            if (!eventThread.awaitTermination(settings.actionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("AMI event sink for {} still busy after close; abandoning queued events", settings.address());
                eventThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            eventThread.shutdownNow();
        }
        log.info("AMI adapter for {} closed", settings.address());
    }

    // --- events: Asterisk-Java's dispatch thread -> our event thread

    private void onManagerEvent(ManagerEvent event) {
        Runnable sessionChange = sessionChanges.get(event.getClass());
        if (sessionChange != null) {
            sessionChange.run();
            return;
        }
        try {
            translator.translate(event).ifPresent(this::publish);
        } catch (RuntimeException e) {
            log.warn("Cannot translate AMI event {}: {}", event.getClass().getSimpleName(), e.toString());
        }
    }

    /** Called by Asterisk-Java on the thread that logged in, after every successful (re-)login. */
    private void onLoggedIn() {
        String version = connection.asteriskVersion();
        log.info("AMI logged in to {} as '{}' (Asterisk {})", settings.address(), settings.username(),
                version.isEmpty() ? "version unknown" : version);
        synchronized (gate) {
            deliver(new PbxEvent.Connected(version));
            heldUntilLoggedIn.forEach(this::deliver);
            heldUntilLoggedIn.clear();
            sessionOpen = true;
        }
    }

    /** Asterisk-Java passes on a DisconnectEvent only when a logged-in session was lost; it reconnects itself. */
    private void onConnectionLost() {
        synchronized (gate) {
            heldUntilLoggedIn.clear();
            if (!sessionOpen) {
                return;
            }
            sessionOpen = false;
            deliver(new PbxEvent.Disconnected("AMI connection to " + settings.address() + " lost", false));
        }
        log.warn("AMI connection to {} lost; reconnecting", settings.address());
    }

    private void publish(PbxEvent event) {
        synchronized (gate) {
            if (sessionOpen) {
                deliver(event);
            } else {
                heldUntilLoggedIn.add(event);
            }
        }
    }

    private void deliver(PbxEvent event) {
        try {
            eventThread.execute(() -> {
                try {
                    sink.accept(event);
                } catch (RuntimeException e) {
                    log.error("PbxEvent sink failed on {}", event, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("AMI adapter closed; dropping {}", event);
        }
    }

    // --- actions

    private CompletableFuture<Void> send(ManagerAction action) {
        String name = action.getAction();
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new PbxActionException(name, PbxActionException.Outcome.NOT_SENT, "AMI adapter closed"));
            return result;
        }
        pendingActions.put(result, name);
        long timeoutMillis = settings.actionTimeout().toMillis();
        try {
            ScheduledFuture<?> timeout = actionThread.schedule(() -> settle(result,
                    new PbxActionException(name, PbxActionException.Outcome.UNKNOWN,
                    "no response within " + timeoutMillis + " ms")),
                    timeoutMillis, TimeUnit.MILLISECONDS);
            result.whenComplete((ignored, failure) -> {
                timeout.cancel(false);
                pendingActions.remove(result);
            });
            actionThread.execute(() -> write(action, name, result));
        } catch (RejectedExecutionException e) {
            pendingActions.remove(result);
            result.completeExceptionally(new PbxActionException(name, PbxActionException.Outcome.NOT_SENT, "AMI adapter closed"));
        }
        return result;
    }

    private void write(ManagerAction action, String name, CompletableFuture<Void> result) {
        log.debug("AMI -> {}", name);
        try {
            connection.sendAction(action, response -> onResponse(name, response, result));
        } catch (IllegalStateException e) {
            settle(result, new PbxActionException(name, PbxActionException.Outcome.NOT_SENT,
                    "AMI not connected (" + connection.getState() + ")"));
        } catch (IOException e) {
            settle(result, new PbxActionException(name, PbxActionException.Outcome.NOT_SENT,
                    "cannot send: " + describe(e), e));
        }
    }

    /** Runs on Asterisk-Java's dispatch thread; {@code response} is null when the connection was lost meanwhile. */
    private void onResponse(String name, ManagerResponse response, CompletableFuture<Void> result) {
        if (response == null) {
            settle(result, new PbxActionException(name, PbxActionException.Outcome.UNKNOWN,
                    "AMI connection lost before the response"));
        } else if (AMI_ERROR.equalsIgnoreCase(response.getResponse())) {
            log.debug("AMI <- {} refused: {}", name, response.getMessage());
            settle(result, new PbxActionException(name, PbxActionException.Outcome.REFUSED,
                    Objects.toString(response.getMessage(), "refused")));
        } else {
            log.debug("AMI <- {} {}", name, response.getResponse());
            settle(result, null);
        }
    }

    /** Completes a stage on the event thread, so callers see results in order with events. */
    private void settle(CompletableFuture<Void> result, PbxActionException failure) {
        Runnable completion = failure == null
                ? () -> result.complete(null)
                : () -> result.completeExceptionally(failure);
        try {
            eventThread.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            return message + " (" + cause.getMessage() + ")";
        }
        return message;
    }
}
