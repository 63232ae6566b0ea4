package org.hotlinecti.cti.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hotlinecti.acd.AcdEngine;
import org.hotlinecti.acd.CallEstimate;
import org.hotlinecti.ivr.prompts.PromptCatalogue;
import org.hotlinecti.ivr.prompts.QueueAnnouncements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells waiting callers their place and expected wait (您前面还有3位，预计等待2分钟): once {@code first_after} after
 * they were queued, then every {@code interval}.
 *
 * <p>On Asterisk an announcement is two AMI actions: Setvar {@value #FILES_VARIABLE} on the caller's channel to the
 * sound files joined by {@code &}, then Redirect to {@code hotline-announce,s,1}, which plays them and goes back to
 * the wait context. The Redirect is sent from the call loop only after the Setvar was answered and only if the call is
 * still not offered: the agent's Redirect is sent from the same loop, so on the AMI connection it always comes after
 * an announcement's Redirect, and Asterisk's later Redirect wins (it interrupts the Playback). No announcement is
 * started while a call is being offered.
 *
 * <p>Confined to the call loop; no timers of its own. The call service keeps its one engine wake-up at the earlier of
 * the engine's deadline and {@link #nextDeadline()} and calls {@link #announceDue} there.
 */
public final class QueueAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(QueueAnnouncer.class);

    /** The dialplan context that plays {@value #FILES_VARIABLE} and returns to the wait context. */
    static final String CONTEXT = "hotline-announce";
    static final String EXTEN = "s";
    /** The channel variable holding the files to play, joined by {@code &} as Playback takes them. */
    static final String FILES_VARIABLE = "CTI_ANNOUNCE";

    /**
     * When and what is announced (config {@code acd.announce}).
     *
     * @param interval     time between announcements to one caller; zero turns announcements off
     * @param firstAfter   time in the queue before the first announcement
     * @param position     say the place (您前面还有N位)
     * @param expectedWait say the expected wait (预计等待N分钟)
     */
    public record Settings(Duration interval, Duration firstAfter, boolean position, boolean expectedWait) {

        static final Settings OFF = new Settings(Duration.ZERO, Duration.ZERO, false, false);

        public Settings {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(firstAfter, "firstAfter");
            if (interval.isNegative() || firstAfter.isNegative()) {
                throw new IllegalArgumentException("announcement interval and first_after must not be negative");
            }
        }

        public boolean enabled() {
            return !interval.isZero() && (position || expectedWait);
        }
    }

    /** An announcement under way: the Setvar is out ({@code redirected} false) or the caller was redirected. */
    private record Playing(Instant since, boolean redirected) {
    }

    private record Due(Instant at, String callId) {
    }

    private final Settings settings;
    private final Supplier<PromptCatalogue> catalogue;
    private final Map<String, Instant> dueAt = new HashMap<>();
    private final TreeSet<Due> byTime = new TreeSet<>(Comparator.comparing(Due::at).thenComparing(Due::callId));
    /** Calls told at least once, and when last. */
    private final Map<String, Instant> lastTold = new HashMap<>();
    private final Map<String, Playing> playing = new HashMap<>();

    /**
     * @param catalogue the prompt catalogue in force (asked at each announcement, so a reloaded catalogue applies)
     */
    QueueAnnouncer(Settings settings, Supplier<PromptCatalogue> catalogue) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    }

    /** An announcer that never announces. */
    static QueueAnnouncer off() {
        return new QueueAnnouncer(Settings.OFF, () -> {
            throw new IllegalStateException("announcements are off");
        });
    }

    /** The call entered the queue (parked on music, handed to the engine). */
    void queued(String callId, Instant now) {
        if (settings.enabled()) {
            schedule(callId, now.plus(settings.firstAfter()));
        }
    }

    /**
     * The caller is back on music in the wait context. Returns true when this ends an announcement that had taken it
     * off the music (so the hold is not the end of a dial).
     */
    boolean backOnMusic(String callId) {
        Playing p = playing.get(callId);
        if (p != null && p.redirected()) {
            playing.remove(callId);
            return true;
        }
        return false;
    }

    /**
     * An offer failed and the caller waits again: it is told again no earlier than {@code first_after} from now and
     * {@code interval} after it was last told.
     */
    void waitingAgain(String callId, Instant now) {
        if (!settings.enabled()) {
            return;
        }
        Instant last = lastTold.get(callId);
        Instant next = now.plus(settings.firstAfter());
        if (last != null && last.plus(settings.interval()).isAfter(next)) {
            next = last.plus(settings.interval());
        }
        schedule(callId, next);
    }

    /** The call left the queue (answered, exited, ended): it is never told again. */
    void left(String callId) {
        unschedule(callId);
        lastTold.remove(callId);
        playing.remove(callId);
    }

    /** When {@link #announceDue} has something to do next, or empty. */
    Optional<Instant> nextDeadline() {
        return byTime.isEmpty() ? Optional.empty() : Optional.of(byTime.first().at());
    }

    /** Whether an announcement for the call is under way (its Setvar or Redirect sent, the caller not back yet). */
    boolean isPlaying(String callId) {
        return playing.containsKey(callId);
    }

    /**
     * Starts the announcements due at {@code now}.
     *
     * @param calls     the call model's calls by id (null when gone)
     * @param connected whether AMI is logged in now
     * @param post      runs work on the call loop later (for the PBX's answers)
     */
    void announceDue(Instant now, Function<String, ActiveCall> calls, AcdEngine acd, PbxControl pbx,
            boolean connected, Consumer<Runnable> post) {
        List<String> due = new ArrayList<>();
        while (!byTime.isEmpty() && !byTime.first().at().isAfter(now)) {
            Due d = byTime.pollFirst();
            dueAt.remove(d.callId());
            due.add(d.callId());
        }
        for (String callId : due) {
            ActiveCall call = calls.apply(callId);
            if (call == null || call.answeredAt != null || call.queueExit != null) {
                left(callId);
                continue;
            }
            // a call being offered is looked at again later; once the offer fails, waitingAgain brings it forward
            schedule(callId, now.plus(settings.interval()));
            if (call.offeredAgent != null || call.connectPending) {
                continue;
            }
            Playing p = playing.get(callId);
            if (p != null && Duration.between(p.since(), now).compareTo(settings.interval()) < 0) {
                continue;
            }
            if (!connected || !mayStart(call, acd)) {
                continue;
            }
            Optional<CallEstimate> estimate = acd.estimate(callId);
            if (estimate.isEmpty()) {
                continue;
            }
            String files;
            try {
                files = String.join("&", files(estimate.get()));
            } catch (RuntimeException e) {
                LOG.error("cannot compose the queue announcement of call {}: {}", callId, e.getMessage());
                continue;
            }
            if (files.isEmpty()) {
                continue;
            }
            start(call, estimate.get(), files, now, acd, pbx, post);
        }
    }

    /** The files that tell a caller where it stands, in the order played; empty when nothing is to be said. */
    List<String> files(CallEstimate estimate) {
        PromptCatalogue prompts = catalogue.get();
        QueueAnnouncements announcements = new QueueAnnouncements(prompts);
        List<String> files = new ArrayList<>();
        if (settings.position()) {
            files.addAll(announcements.position(Math.max(0, estimate.position() - 1)));
        }
        if (settings.expectedWait()) {
            files.addAll(announcements.expectedWait(estimate.estimatedWait()));
        }
        String dir = prompts.directory() + "/";
        for (String file : files) {
            String id = file.startsWith(dir) ? file.substring(dir.length()) : file;
            if (!prompts.contains(id)) {
                throw new IllegalStateException("prompt '" + id + "' is not in the prompt catalogue");
            }
        }
        return files;
    }

    private static boolean mayStart(ActiveCall call, AcdEngine acd) {
        return call.queued && call.answeredAt == null && call.queueExit == null && call.offeredAgent == null
                && !call.connectPending && call.callerChannel != null && acd.isQueued(call.linkedId);
    }

    private void start(ActiveCall call, CallEstimate estimate, String files, Instant now, AcdEngine acd,
            PbxControl pbx, Consumer<Runnable> post) {
        String callId = call.linkedId;
        String channel = call.callerChannel.name();
        Playing setting = new Playing(now, false);
        playing.put(callId, setting);
        LOG.debug("call {}: announcing place {} and expected wait {} s", callId, estimate.position(),
                estimate.estimatedWait().toSeconds());
        try {
            pbx.setVariable(channel, FILES_VARIABLE, files).whenComplete((ok, failure) -> post.accept(
                    () -> variableSet(call, setting, failure, acd, pbx, post)));
        } catch (RuntimeException e) {
            playing.remove(callId);
            LOG.warn("could not announce the place of call {}: {}", callId, e.getMessage());
        }
    }

    /** Second step, on the loop: redirect to the announcement unless the call was offered (or left) meanwhile. */
    private void variableSet(ActiveCall call, Playing setting, Throwable failure, AcdEngine acd, PbxControl pbx,
            Consumer<Runnable> post) {
        String callId = call.linkedId;
        if (!setting.equals(playing.get(callId))) {
            return;
        }
        if (failure != null || !mayStart(call, acd)) {
            playing.remove(callId);
            if (failure != null) {
                LOG.warn("could not announce the place of call {}: {}", callId, rootMessage(failure));
            }
            return;
        }
        Playing redirected = new Playing(setting.since(), true);
        playing.put(callId, redirected);
        lastTold.put(callId, setting.since());
        try {
            pbx.redirect(call.callerChannel.name(), CONTEXT, EXTEN, Map.of()).whenComplete((ok, f) -> {
                if (f != null) {
                    post.accept(() -> {
                        if (redirected.equals(playing.get(callId))) {
                            playing.remove(callId);
                        }
                        LOG.warn("could not announce the place of call {}: {}", callId, rootMessage(f));
                    });
                }
            });
        } catch (RuntimeException e) {
            playing.remove(callId);
            LOG.warn("could not announce the place of call {}: {}", callId, e.getMessage());
        }
    }

    private void schedule(String callId, Instant at) {
        unschedule(callId);
        dueAt.put(callId, at);
        byTime.add(new Due(at, callId));
    }

    private void unschedule(String callId) {
        Instant at = dueAt.remove(callId);
        if (at != null) {
            byTime.remove(new Due(at, callId));
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
