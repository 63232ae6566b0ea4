package org.hotlinecti.sim.world;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.hotlinecti.sim.sip.CallerState;
import org.hotlinecti.sim.sip.TrunkCaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated caller following a {@link CallSpec}: dials, presses keys when a prompt asks for them (a person listens
 * before pressing), talks for a while once an agent answers, may give up waiting, and answers the survey.
 */
public final class SimCaller {

    private static final Logger LOG = LoggerFactory.getLogger(SimCaller.class);

    /** How long a waiting caller listens to the music before pressing its next key. */
    private static final java.time.Duration WAIT_BEFORE_KEY_ON_HOLD = java.time.Duration.ofSeconds(1);

    private final CallSpec spec;
    private final TrunkCaller caller;
    private final ScheduledExecutorService timers;
    private final Deque<String> keys;
    private volatile boolean connectedToAgent;
    /** The sound files played to the caller, in order (music on hold as {@code waitexten:<class>}). */
    private final java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * Completes when the caller's own call is up (200 OK received, ACK sent). Exists before the INVITE is sent: a
     * prompt may start before {@link #dial} returned, and its key presses wait on this.
     */
    private final CompletableFuture<Void> connected = new CompletableFuture<>();

    SimCaller(CallSpec spec, TrunkCaller caller, ScheduledExecutorService timers) {
        this.spec = spec;
        this.caller = caller;
        this.timers = timers;
        this.keys = new ArrayDeque<>(spec.dtmf());
    }

    public CallSpec spec() {
        return spec;
    }

    public TrunkCaller caller() {
        return caller;
    }

    /** Completes with the caller's final state. */
    public CompletableFuture<CallerState> ended() {
        return caller.ended();
    }


    /** Dials now; returns the SIP Call-ID. */
    String dial() {
        caller.dial(spec.to()).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn("call from {} to {} failed: {}", PhoneNumbers.mask(spec.from()), spec.to(), e.getMessage());
                connected.completeExceptionally(e);
            } else {
                connected.complete(null);
            }
        });
        if (spec.hangupAfter() != null) {
            timers.schedule(this::giveUpIfStillWaiting, spec.hangupAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
        return caller.callId();
    }

    /** The sound files the PBX played to this caller so far, in order ({@code waitexten:<class>} for music). */
    public java.util.List<String> heard() {
        return java.util.List.copyOf(heard);
    }

    void promptStarted(String file, String escapeDigits) {
        heard.add(file);
        if (file.startsWith("record:")) {
            // leaving a voicemail: the caller speaks for the talk time, then presses the next key if it ends the
            // recording (e.g. #), else hangs up (trace 06)
            timers.schedule(() -> endVoicemail(escapeDigits), spec.talk().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (file.startsWith("waitexten:")) {
            // waiting on music: a caller with a key left listens a moment before pressing it (callback in queue)
            timers.schedule(this::pressNext, WAIT_BEFORE_KEY_ON_HOLD.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (file.endsWith("/survey") && spec.surveyKey() != null) {
            press(spec.surveyKey());
            return;
        }
        if (!escapeDigits.isEmpty()) {
            pressNext();
        }
    }

    private synchronized void endVoicemail(String escapeDigits) {
        String next = keys.peek();
        if (next != null && !next.isEmpty() && escapeDigits.indexOf(next.charAt(0)) >= 0) {
            press(keys.poll());
        } else {
            hangUp();
        }
    }

        void digitsRequested() {
        pressNext();
    }

    private synchronized void pressNext() {
        String next = keys.poll();
        if (next != null && !next.isEmpty()) {
            press(next);
        }
    }

    /**
     * Presses keys once the caller's own call is up: the PBX can start a prompt a moment before the caller has
     * processed the 200 OK, and nobody hears a prompt before the call is connected.
     */
    private void press(String digits) {
        connected.thenCompose(ok -> caller.sendDtmf(digits)).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn("caller {} could not press {}: {}", PhoneNumbers.mask(spec.from()), digits, e.getMessage());
            }
        });
    }

    void bridged() {
        connectedToAgent = true;
        timers.schedule(this::hangUp, spec.talk().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void giveUpIfStillWaiting() {
        if (!connectedToAgent) {
            hangUp();
        }
    }

    /** Hangs up if still on the line. */
    void hangUp() {
        CallerState s = caller.state();
        if (s == CallerState.DIALLING || s == CallerState.CONNECTED) {
            caller.hangup();
        }
    }
}
