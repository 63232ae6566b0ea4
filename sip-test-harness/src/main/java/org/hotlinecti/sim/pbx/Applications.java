package org.hotlinecti.sim.pbx;

import java.time.Duration;
import org.hotlinecti.sim.pbx.SimChannel.Target;
import org.hotlinecti.sim.pbx.agi.AgiResult;
import org.hotlinecti.sim.pbx.agi.FastAgiClient;
import org.hotlinecti.sim.pbx.dialplan.Expressions;
import org.hotlinecti.sim.sip.InboundLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialplan applications the sim PBX runs, with the AMI events Asterisk 22 emits for each (see
 * {@code testdata/asterisk-traces}). Each runs on the channel's own thread and returns what the dialplan does next.
 */
final class Applications {

    private static final Logger LOG = LoggerFactory.getLogger(Applications.class);

    /** What the dialplan does after an application. */
    sealed interface Flow {
        /** Continue at the next priority. */
        record Next() implements Flow {
        }

        /** Continue at a target (Goto, GotoIf). */
        record Jump(Target target) implements Flow {
        }

        /** Stopped by a redirect or bridge: the runner applies what is pending. */
        record Interrupted() implements Flow {
        }

        /** Hang the channel up. */
        record Hangup() implements Flow {
        }
    }

    static final Flow NEXT = new Flow.Next();
    static final Flow INTERRUPTED = new Flow.Interrupted();
    static final Flow HANGUP = new Flow.Hangup();

    private Applications() {
    }

    /** Runs {@code app} with already substituted {@code data}. */
    static Flow run(SimChannel c, String app, String data) {
        return switch (app) {
            case "Answer" -> {
                answer(c);
                yield c.interrupted() ? INTERRUPTED : NEXT;
            }
            case "AGI" -> agi(c, data);
            case "Goto" -> new Flow.Jump(target(c, data));
            case "GotoIf" -> gotoIf(c, data);
            case "MusicOnHold" -> musicOnHold(c, data);
            case "WaitExten" -> waitExten(c, data);
            case "Wait" -> waitFor(c, seconds(data));
            case "Playback" -> playback(c, data);
            case "Background" -> background(c, data);
            case "Hangup" -> hangupApp(c, data);
            case "Set" -> set(c, data);
            case "NoOp", "Verbose" -> NEXT;
            case "Dial" -> DialApplication.run(c, data);
            case "ConfBridge" -> ConfBridgeApplication.run(c, data);
            default -> {
                LOG.error("{}: application {} is not simulated; hanging up", c.name, app);
                yield HANGUP;
            }
        };
    }

    /**
     * Answers on the channel's own thread: the 200 OK goes out without the PBX lock (a SIP send must not stall every
     * other channel), then the Newstate follows under the lock, in the same place of the stream as before.
     */
    static void answer(SimChannel c) {
        PbxCore core = c.core;
        boolean[] up = new boolean[1];
        core.locked(() -> up[0] = c.state == 6);
        if (up[0]) {
            return;
        }
        InboundLeg in = c.inbound;
        if (in != null) {
            in.answer();
        }
        core.locked(() -> {
            if (c.state != 6) {
                c.state = 6;
                core.publish(AmiEvents.channelEvent("Newstate", "call,all", c));
            }
        });
    }

    private static Flow agi(SimChannel c, String url) {
        c.agiUrl = url;
        c.agiThreadId = String.valueOf(Thread.currentThread().getId());
        AgiResult result = FastAgiClient.run(url, c, c.core.config.agiConnectTimeout());
        c.agiUrl = "";
        c.core.locked(() -> c.setVar("AGISTATUS", result.name()));
        if (result == AgiResult.FAILURE) {
            LOG.warn("{}: AGI {} failed", c.name, url);
        }
        return c.interrupted() ? INTERRUPTED : NEXT;
    }

    private static Flow gotoIf(SimChannel c, String data) {
        int q = data.indexOf('?');
        if (q < 0) {
            LOG.error("{}: GotoIf({}) has no '?'", c.name, data);
            return HANGUP;
        }
        String[] branches = data.substring(q + 1).split(":", 2);
        String chosen = Expressions.isTrue(data.substring(0, q)) ? branches[0]
                : branches.length > 1 ? branches[1] : "";
        return chosen.isEmpty() ? NEXT : new Flow.Jump(target(c, chosen));
    }

    /** Goto syntax: {@code [[context,]exten,]priority}, where priority is a number or a label. */
    static Target target(SimChannel c, String spec) {
        String[] parts = spec.split(",");
        String context = c.context;
        String exten = c.exten;
        String prio;
        if (parts.length == 3) {
            context = parts[0].trim();
            exten = parts[1].trim();
            prio = parts[2].trim();
        } else if (parts.length == 2) {
            exten = parts[0].trim();
            prio = parts[1].trim();
        } else {
            prio = parts[0].trim();
        }
        try {
            return new Target(context, exten, Integer.parseInt(prio), null);
        } catch (NumberFormatException e) {
            return new Target(context, exten, 0, prio);
        }
    }

    private static Flow musicOnHold(SimChannel c, String data) {
        String mohClass = data.split(",")[0].isEmpty() ? "default" : data.split(",")[0];
        PbxCore core = c.core;
        core.locked(() -> core.publish(AmiEvents.channel(AmiEvents.event("MusicOnHoldStart", "call,all"), c, "")
                .add("Class", mohClass).build()));
        for (MediaObserver o : core.observers) {
            o.musicOnHold(c.sipCallId());
        }
        String[] args = data.split(",");
        long deadline = args.length > 1 && !args[1].isBlank()
                ? System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[1].trim())).toNanos() : Long.MAX_VALUE;
        while (!c.interrupted()) {
            if (c.await(deadline) == null) {
                break;
            }
        }
        core.locked(() -> {
            // an AMI Bridge stops the music itself, in its own event order
            if (c.pendingBridge == null) {
                core.publish(AmiEvents.channelEvent("MusicOnHoldStop", "call,all", c));
            }
        });
        return c.interrupted() ? INTERRUPTED : NEXT;
    }

    /**
     * WaitExten([seconds][,m[(class)]]): waits for the caller to press a key, with music on hold when {@code m} is
     * given (MusicOnHoldStart/Stop as MusicOnHold). A key that is an extension of the current context jumps there
     * (priority 1), another key goes to {@code i}; the timeout goes to {@code t}; without those, the dialplan goes on.
     * No seconds: 10 s (Asterisk's default response timeout).
     */
    private static Flow waitExten(SimChannel c, String data) {
        String[] args = data.split(",", 2);
        double seconds = args[0].isBlank() ? 10 : Double.parseDouble(args[0].trim());
        String options = args.length > 1 ? args[1].trim() : "";
        String mohClass = null;
        if (options.startsWith("m")) {
            int open = options.indexOf('(');
            int close = options.indexOf(')');
            mohClass = open > 0 && close > open + 1 ? options.substring(open + 1, close) : "default";
        }
        PbxCore core = c.core;
        if (mohClass != null) {
            String cls = mohClass;
            core.locked(() -> core.publish(AmiEvents.channel(AmiEvents.event("MusicOnHoldStart", "call,all"), c, "")
                    .add("Class", cls).build()));
            for (MediaObserver o : core.observers) {
                o.musicOnHold(c.sipCallId());
            }
        }
        for (MediaObserver o : core.observers) {
            o.promptStarted(c.sipCallId(), "waitexten:" + (mohClass == null ? "" : mohClass), "0123456789*#");
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Character digit = null;
        boolean timedOut = false;
        while (!c.interrupted()) {
            SimChannel.Signal s = c.await(deadline);
            if (s == null) {
                timedOut = true;
                break;
            }
            if (s instanceof SimChannel.Signal.Dtmf d) {
                digit = d.digit();
                break;
            }
        }
        if (mohClass != null) {
            core.locked(() -> {
                if (c.pendingBridge == null) {
                    core.publish(AmiEvents.channelEvent("MusicOnHoldStop", "call,all", c));
                }
            });
        }
        if (c.interrupted()) {
            return INTERRUPTED;
        }
        String exten = digit != null ? String.valueOf(digit) : timedOut ? "t" : null;
        if (exten == null) {
            return NEXT;
        }
        if (digit != null && core.dialplan.find(c.context, exten).isEmpty()) {
            exten = "i";
        }
        return core.dialplan.find(c.context, exten).isPresent() ? new Flow.Jump(new Target(c.context, exten, 1, null))
                : NEXT;
    }

    private static Flow waitFor(SimChannel c, Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (!c.interrupted()) {
            if (c.await(deadline) == null) {
                return NEXT;
            }
        }
        return INTERRUPTED;
    }

    private static Flow playback(SimChannel c, String data) {
        for (String file : data.split(",")[0].split("&")) {
            for (MediaObserver o : c.core.observers) {
                o.promptStarted(c.sipCallId(), file, "");
            }
            Flow f = waitFor(c, c.core.promptDuration(file));
            if (f != NEXT) {
                return f;
            }
        }
        return NEXT;
    }

    /**
     * Background(file[&file...]): plays the files, listening for a key; a key that is an extension of the current
     * context jumps there (priority 1), another goes to {@code i} (or on, without one). After the files the dialplan
     * goes on at once (Background does not wait for more keys, unlike WaitExten). Single-key extensions only.
     */
    private static Flow background(SimChannel c, String data) {
        c.drainDtmf();
        for (String file : data.split(",")[0].split("&")) {
            for (MediaObserver o : c.core.observers) {
                // a caller does not press keys because an announcement plays; keys it presses anyway count
                o.promptStarted(c.sipCallId(), file, "");
            }
            long deadline = System.nanoTime() + c.core.promptDuration(file).toNanos();
            while (!c.interrupted()) {
                SimChannel.Signal s = c.await(deadline);
                if (s == null) {
                    break;
                }
                if (s instanceof SimChannel.Signal.Dtmf d) {
                    String exten = String.valueOf(d.digit());
                    if (c.core.dialplan.find(c.context, exten).isEmpty()) {
                        exten = "i";
                    }
                    if (c.core.dialplan.find(c.context, exten).isPresent()) {
                        return new Flow.Jump(new Target(c.context, exten, 1, null));
                    }
                }
            }
            if (c.interrupted()) {
                return INTERRUPTED;
            }
        }
        return NEXT;
    }

    private static Flow hangupApp(SimChannel c, String data) {
        int cause = data.isBlank() ? 16 : Integer.parseInt(data.trim());
        PbxCore core = c.core;
        core.locked(() -> {
            if (c.hangupCause == 0) {
                c.hangupCause = cause;
            }
            if (!c.softHangupReported) {
                core.publish(AmiEvents.hangupRequest(c, true, cause));
                c.softHangupReported = true;
            }
        });
        c.hangupPending = true;
        return HANGUP;
    }

    private static Flow set(SimChannel c, String data) {
        int eq = data.indexOf('=');
        if (eq <= 0) {
            LOG.error("{}: Set({}) needs NAME=value", c.name, data);
            return NEXT;
        }
        String name = data.substring(0, eq).trim().replaceFirst("^_+", "");
        c.core.locked(() -> c.setVar(name, data.substring(eq + 1)));
        return NEXT;
    }

    static Duration seconds(String data) {
        String s = data.split(",")[0].trim();
        if (s.isEmpty()) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    }

    /**
     * The far end hung up (BYE or CANCEL arrived). Publishes HangupRequest now, as chan_pjsip queues the hang-up the
     * moment the BYE arrives, with the channel's cause so far (none if it never had one: traces 02, 07, 08). The
     * SoftHangupRequest follows when the channel's thread notices, after what runs now has ended (MusicOnHoldStop
     * first, trace 02; the whole FastAGI session first, traces 07 and 11).
     */
    static void remoteHangup(SimChannel c) {
        PbxCore core = c.core;
        core.lock.lock();
        try {
            if (c.hungUp || c.remoteGone) {
                return;
            }
            c.remoteGone = true;
            if (c.bridge != null && c.bridge.dialBridge && c.hangupCause == 0) {
                c.hangupCause = 16;
            }
            core.publish(AmiEvents.hangupRequest(c, false, c.hangupCause == 0 ? -1 : c.hangupCause));
            c.hangupPending = true;
        } finally {
            core.lock.unlock();
        }
        c.wake();
    }

    /**
     * Something on the PBX side (AMI Hangup, AGI HANGUP) hangs the channel up: a soft hang-up with a cause.
     *
     * @param force publish SoftHangupRequest even if one was reported already
     */
    static void requestHangup(SimChannel c, int cause, boolean force) {
        PbxCore core = c.core;
        core.lock.lock();
        try {
            if (c.hungUp) {
                return;
            }
            if (c.hangupCause == 0 || force) {
                c.hangupCause = cause;
            }
            if (!c.softHangupReported || force) {
                core.publish(AmiEvents.hangupRequest(c, true, cause));
                c.softHangupReported = true;
            }
            c.hangupPending = true;
        } finally {
            core.lock.unlock();
        }
        c.wake();
    }
}
