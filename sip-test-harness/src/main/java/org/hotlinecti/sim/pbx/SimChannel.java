package org.hotlinecti.sim.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.sim.pbx.agi.AgiChannelPort;
import org.hotlinecti.sim.pbx.agi.ChannelGoneException;
import org.hotlinecti.sim.pbx.dialplan.Expressions;
import org.hotlinecti.sim.pbx.dialplan.VariableSource;
import org.hotlinecti.sim.sip.CallerId;
import org.hotlinecti.sim.sip.InboundLeg;
import org.hotlinecti.sim.sip.OutboundLeg;

/**
 * One channel of the sim PBX: Asterisk's channel state (as AMI reports it), its SIP leg, its variables, and the
 * inbox through which the outside world (SIP, AMI actions, dial legs) interrupts what the channel's thread is doing.
 *
 * <p>Fields marked "lock" are read and written with the PBX lock held. The channel's own thread is the only one that
 * runs dialplan applications on it; other threads only set the volatile interrupt flags and post to the inbox.
 */
final class SimChannel implements AgiChannelPort, VariableSource {

    /**
     * Something for the channel's thread: a DTMF digit, a dial-leg event, a change of the AMI bridge it is in, or
     * just a wake-up (which {@link #await} only passes on when the channel is {@link #interrupted()}).
     */
    sealed interface Signal {
        record Dtmf(char digit) implements Signal {
        }

        record Leg(SimChannel leg, LegEvent event, int code) implements Signal {
        }

        /** The other channel left the AMI bridge this channel is in. */
        record BridgeChanged() implements Signal {
        }

        record Wake() implements Signal {
        }
    }

    enum LegEvent { RINGING, ANSWERED, REJECTED, FAILED, HUNG_UP }

    /** A dialplan location. */
    record Target(String context, String exten, int priority, String label) {
    }

    final PbxCore core;
    final String name;
    final String uniqueId;
    final SimEndpoint endpoint;
    final Instant createdAt;

    // lock
    String linkedId;
    int state;
    String callerIdNum = "";
    String callerIdName = "";
    String connectedNum = "<unknown>";
    String connectedName = "<unknown>";
    String context = "";
    String exten = "";
    int priority = 1;
    int hangupCause;
    /**
     * The SIP status behind the hang-up cause ({@code TechCause}), or null. A dialling channel inherits its failed
     * leg's (trace 04: the caller's later hang-up events still say 486).
     */
    String techCause;
    String dnid = "";
    String application = "";
    String appData = "";
    Bridge bridge;
    boolean hungUp;
    /** Work to do right after this channel's Hangup event (a dial leg that goes down with it). */
    Runnable afterHangup;
    /** For a dial leg: the channel whose Dial created it and whose thread drives it; null otherwise. */
    SimChannel owner;
    /**
     * Whether a dialplan thread runs this channel (callers, answered originated legs), as opposed to a dial leg. Set
     * with the lock held before the event that makes the channel usable by AMI clients (Newchannel,
     * OriginateResponse), and only then is the thread started.
     */
    boolean hasRunner;
    private final Map<String, String> variables = new HashMap<>();

    /** The thread driving this channel ({@link ChannelRunner}), or null; interrupted only when the PBX closes. */
    volatile Thread thread;
    volatile InboundLeg inbound;
    volatile OutboundLeg outbound;
    /** The SIP side is gone (BYE/CANCEL received or final error); no BYE must be sent. */
    volatile boolean remoteGone;
    /** The channel must hang up: set by a remote BYE, AMI Hangup, AGI HANGUP or the dialplan. */
    volatile boolean hangupPending;
    /** An AMI Redirect waiting to be applied (Asterisk's async goto). Written with the lock held; volatile to read. */
    volatile Target pendingGoto;
    /** An AMI Bridge this channel was put into while its thread was busy elsewhere. Written with the lock held. */
    volatile Bridge pendingBridge;
    /** SoftHangupRequest already reported for this hang-up. */
    volatile boolean softHangupReported;
    /** The AGI URL of the AGI() application running now, for the agi_* header. */
    volatile String agiUrl = "";
    /** Variables to publish as the sim AGI header's agi_* values. */
    volatile String agiThreadId = "0";

    private final BlockingQueue<Signal> inbox = new LinkedBlockingQueue<>();

    SimChannel(PbxCore core, String name, String uniqueId, String linkedId, SimEndpoint endpoint) {
        this.core = core;
        this.name = name;
        this.uniqueId = uniqueId;
        this.linkedId = linkedId;
        this.endpoint = endpoint;
        this.createdAt = core.clock.instant();
    }

    // ------------------------------------------------------------ signals

    void post(Signal s) {
        inbox.add(s);
    }

    void wake() {
        inbox.add(new Signal.Wake());
    }

    /** Whether the channel's current application must stop: hang-up, redirect or bridge pending. */
    boolean interrupted() {
        return hangupPending || pendingGoto != null || pendingBridge != null;
    }

    /**
     * Waits for the next signal until {@code deadlineNanos} ({@link System#nanoTime()}); null on timeout. Returns at
     * once with a Wake when the channel is interrupted, so callers re-check {@link #interrupted()}.
     */
    Signal await(long deadlineNanos) {
        while (true) {
            if (interrupted()) {
                return new Signal.Wake();
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                Signal s = inbox.poll(left, TimeUnit.NANOSECONDS);
                if (s == null) {
                    return null;
                }
                if (!(s instanceof Signal.Wake)) {
                    return s;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Signal.Wake();
            }
        }
    }

    /**
     * Takes the pending redirect, if any, and clears it in one step under the lock, so that a Redirect answered
     * "Redirect successful" while the thread looks cannot be lost.
     */
    Target takePendingGoto() {
        core.lock.lock();
        try {
            Target t = pendingGoto;
            pendingGoto = null;
            return t;
        } finally {
            core.lock.unlock();
        }
    }

    /** Takes the AMI bridge this channel was put into, if any, and clears it in one step under the lock. */
    Bridge takePendingBridge() {
        core.lock.lock();
        try {
            Bridge b = pendingBridge;
            pendingBridge = null;
            return b;
        } finally {
            core.lock.unlock();
        }
    }

    /** Forgets DTMF typed before an application started listening (Asterisk does not buffer it across apps). */
    void drainDtmf() {
        inbox.removeIf(s -> s instanceof Signal.Dtmf);
    }

    /**
     * The identity this channel presents when it calls out: its caller id, with an empty number sent as
     * {@code anonymous}, as Asterisk does for a caller without a number.
     */
    CallerId presentedCallerId() {
        core.lock.lock();
        try {
            return new CallerId(callerIdNum == null || callerIdNum.isBlank() ? "anonymous" : callerIdNum,
                    callerIdName == null ? "" : callerIdName);
        } finally {
            core.lock.unlock();
        }
    }

    String sipCallId() {
        InboundLeg in = inbound;
        return in != null ? in.callId() : outbound != null ? outbound.callId() : "";
    }

    // ------------------------------------------------------------ variables

    /** Caller holds the lock. */
    void setVar(String name, String value) {
        variables.put(name, value);
    }

    /** Caller holds the lock. */
    String var(String name) {
        return variables.get(name);
    }

    @Override
    public String variable(String name) {
        switch (name) {
            case "EXTEN":
                return exten;
            case "CONTEXT":
                return context;
            case "PRIORITY":
                return String.valueOf(priority);
            case "UNIQUEID":
                return uniqueId;
            case "CHANNEL":
                return this.name;
            default:
                String v = variables.get(name);
                return v != null ? v : core.globals.get(name);
        }
    }

    @Override
    public String function(String function, String argument) {
        switch (function) {
            case "CHANNEL":
                return switch (argument) {
                    case "linkedid" -> linkedId;
                    case "uniqueid" -> uniqueId;
                    case "name" -> name;
                    case "state" -> AmiEvents.stateDesc(state);
                    case "language" -> "en";
                    default -> throw new IllegalArgumentException("CHANNEL(" + argument + ") is not simulated");
                };
            case "CALLERID":
                return switch (argument) {
                    case "num", "number" -> callerIdNum;
                    case "name" -> callerIdName;
                    case "dnid" -> dnid;
                    default -> throw new IllegalArgumentException("CALLERID(" + argument + ") is not simulated");
                };
            default:
                throw new IllegalArgumentException("dialplan function " + function + "() is not simulated");
        }
    }

    /** Substitutes variables with the lock held. */
    String substitute(String text) {
        core.lock.lock();
        try {
            return Expressions.substitute(text, this);
        } finally {
            core.lock.unlock();
        }
    }

    // ------------------------------------------------------------ AgiChannelPort

    @Override
    public Map<String, String> agiEnvironment() {
        core.lock.lock();
        try {
            String url = agiUrl;
            String script = url.replaceFirst("^agi://[^/]*/?", "");
            int q = script.indexOf('?');
            if (q >= 0) {
                script = script.substring(0, q);
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("network", "yes");
            env.put("network_script", script);
            env.put("request", url);
            env.put("channel", name);
            env.put("language", "en");
            env.put("type", "PJSIP");
            env.put("uniqueid", uniqueId);
            env.put("version", core.config.asteriskVersion());
            env.put("callerid", callerIdNum.isEmpty() ? "unknown" : callerIdNum);
            env.put("calleridname", callerIdName.isEmpty() ? "unknown" : callerIdName);
            env.put("callingpres", "0");
            env.put("callingani2", "0");
            env.put("callington", "0");
            env.put("callingtns", "0");
            env.put("dnid", dnid.isEmpty() ? "unknown" : dnid);
            env.put("rdnis", "unknown");
            env.put("context", context);
            env.put("extension", exten);
            env.put("priority", String.valueOf(priority));
            env.put("enhanced", "0.0");
            env.put("accountcode", "");
            env.put("threadid", agiThreadId);
            return env;
        } finally {
            core.lock.unlock();
        }
    }

    @Override
    public boolean isAlive() {
        return !interrupted();
    }

    @Override
    public void answer() throws ChannelGoneException {
        if (!isAlive()) {
            throw new ChannelGoneException("channel is gone");
        }
        Applications.answer(this);
    }

    @Override
    public Playback play(String file, String escapeDigits) throws ChannelGoneException {
        if (!isAlive()) {
            throw new ChannelGoneException("channel is gone");
        }
        drainDtmf();
        for (MediaObserver o : core.observers) {
            o.promptStarted(sipCallId(), file, escapeDigits);
        }
        long start = System.nanoTime();
        long deadline = start + core.promptDuration(file).toNanos();
        while (true) {
            Signal s = await(deadline);
            long samples = samplesSince(start);
            if (s == null) {
                return new Playback((char) 0, samples);
            }
            if (!isAlive()) {
                throw new ChannelGoneException("channel is gone", samples);
            }
            if (s instanceof Signal.Dtmf d && escapeDigits.indexOf(d.digit()) >= 0) {
                return new Playback(d.digit(), samples);
            }
        }
    }

    @Override
    public char waitForDigit(Duration timeout) throws ChannelGoneException {
        if (!isAlive()) {
            throw new ChannelGoneException("channel is gone");
        }
        for (MediaObserver o : core.observers) {
            o.digitsRequested(sipCallId());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Signal s = await(deadline);
            if (s == null) {
                return 0;
            }
            if (!isAlive()) {
                throw new ChannelGoneException("channel is gone");
            }
            if (s instanceof Signal.Dtmf d) {
                return d.digit();
            }
        }
    }

    @Override
    public Recording record(String file, String format, String escapeDigits, Duration maxLength, boolean beep,
            Duration silence) throws ChannelGoneException {
        if (!isAlive()) {
            throw new ChannelGoneException("channel is gone");
        }
        drainDtmf();
        for (MediaObserver o : core.observers) {
            o.promptStarted(sipCallId(), "record:" + file, escapeDigits);
        }
        long start = System.nanoTime();
        long deadline = maxLength == null || maxLength.isZero() || maxLength.isNegative() ? Long.MAX_VALUE
                : start + maxLength.toNanos();
        Recording r;
        try {
            r = recordUntilEnd(escapeDigits, start, deadline);
        } catch (ChannelGoneException e) {
            // Asterisk keeps what was recorded up to the hang-up (trace 06)
            SimRecordings.write(core.config.recordingRoot(), file, format, e.endPosition(), name);
            throw e;
        }
        SimRecordings.write(core.config.recordingRoot(), file, format, r.endPosition(), name);
        return r;
    }

    @Override
    public boolean canRecordTo(String file, String format) {
        return SimRecordings.writable(core.config.recordingRoot(), file, format);
    }

    private Recording recordUntilEnd(String escapeDigits, long start, long deadline) throws ChannelGoneException {
        while (true) {
            Signal s = await(deadline);
            long samples = samplesSince(start);
            if (s == null) {
                return new Recording((char) 0, true, samples);
            }
            if (!isAlive()) {
                throw new ChannelGoneException("channel is gone", samples);
            }
            if (s instanceof Signal.Dtmf d && escapeDigits.indexOf(d.digit()) >= 0) {
                return new Recording(d.digit(), false, samples);
            }
        }
    }

    @Override
    public void setVariable(String name, String value) {
        core.locked(() -> variables.put(name, value));
    }

    @Override
    public Optional<String> getVariable(String nameOrExpression) {
        core.lock.lock();
        try {
            if (nameOrExpression.contains("${") || nameOrExpression.contains("$[")) {
                return Optional.of(Expressions.substitute(nameOrExpression, this));
            }
            if (nameOrExpression.endsWith(")") && nameOrExpression.indexOf('(') > 0) {
                return Optional.of(Expressions.substitute("${" + nameOrExpression + "}", this));
            }
            return Optional.ofNullable(variable(nameOrExpression));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        } finally {
            core.lock.unlock();
        }
    }

    @Override
    public void hangup() {
        Applications.requestHangup(this, 16, true);
    }

    @Override
    public void execStarted(int commandId, String command) {
        core.locked(() -> core.publish(AmiEvents.channel(AmiEvents.event("AGIExecStart", "agi,all"), this, "")
                .add("CommandId", String.valueOf(commandId)).add("Command", command).build()));
    }

    @Override
    public void execEnded(int commandId, String command, int resultCode, String result) {
        core.locked(() -> core.publish(AmiEvents.channel(AmiEvents.event("AGIExecEnd", "agi,all"), this, "")
                .add("CommandId", String.valueOf(commandId)).add("Command", command)
                .add("ResultCode", String.valueOf(resultCode)).add("Result", result).build()));
    }

    private static long samplesSince(long startNanos) {
        // 8 kHz: what Asterisk's endpos counts
        return (System.nanoTime() - startNanos) * 8 / 1_000_000;
    }

    @Override
    public String toString() {
        return name;
    }
}
