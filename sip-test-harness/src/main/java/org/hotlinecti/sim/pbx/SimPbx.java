package org.hotlinecti.sim.pbx;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.hotlinecti.sim.pbx.SimChannel.Target;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.ami.AmiServer;
import org.hotlinecti.sim.pbx.ami.AmiServerConfig;
import org.hotlinecti.sim.pbx.ami.AmiUser;
import org.hotlinecti.sim.sip.InboundCallListener;
import org.hotlinecti.sim.sip.InboundLeg;
import org.hotlinecti.sim.sip.InboundLegListener;
import org.hotlinecti.sim.sip.JainSipPbxEndpoint;
import org.hotlinecti.sim.sip.PbxSipEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Asterisk stand-in: SIP towards trunk callers and agent phones, AMI and FastAGI towards the CTI, and the shipped
 * dialplan in between, executed as Asterisk would. A test that passes against it is meant to pass against a real
 * Asterisk 20/22 running {@code deploy/asterisk/}.
 */
public final class SimPbx implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimPbx.class);
    /** How long {@link #close()} waits for the channels' threads to hang up. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

    private final PbxCore core;
    private final AmiServer ami;
    private final PbxSipEndpoint sip;

    private SimPbx(PbxCore core, AmiServer ami, PbxSipEndpoint sip) {
        this.core = core;
        this.ami = ami;
        this.sip = sip;
    }

    /** Starts SIP and AMI on the configured host; the PBX is fully booted when this returns. */
    public static SimPbx start(SimPbxConfig config) throws IOException {
        PbxSipEndpoint sip = new JainSipPbxEndpoint(config.host(), config.sipPort());
        PbxCore core = new PbxCore(config, config.dialplan(), sip);
        AmiServer ami = new AmiServer(new AmiServerConfig(config.host(), config.amiPort(),
                List.of(new AmiUser(config.amiUsername(), config.amiSecret(), Set.copyOf(config.amiRead()),
                        Set.copyOf(config.amiWrite()))),
                true, config.asteriskVersion(), config.clock()), new PbxActions(core));
        core.eventSinks.add(ami::publish);
        SimPbx pbx = new SimPbx(core, ami, sip);
        ami.setCallCounters(core::channelCount, () -> (int) pbx.processedCalls());
        try {
            sip.start(pbx.new Trunk());
            sip.onContactChange(endpoint -> core.locked(() -> core.deviceStates.contactChanged(endpoint)));
            for (SimEndpoint e : config.endpoints()) {
                core.defineEndpoint(e);
            }
            ami.start();
            ami.setFullyBooted(true);
        } catch (IOException | RuntimeException e) {
            pbx.close();
            throw e;
        }
        LOG.info("sim PBX up: SIP udp {}:{}, AMI tcp {}:{}", config.host(), sip.port(), config.host(), ami.port());
        return pbx;
    }

    public String host() {
        return core.config.host();
    }

    public int sipPort() {
        return sip.port();
    }

    public int amiPort() {
        return ami.port();
    }

    /** Adds (or replaces) an endpoint, as editing pjsip.conf and reloading would. */
    public void defineEndpoint(SimEndpoint endpoint) {
        core.defineEndpoint(endpoint);
    }

    /**
     * Puts a far end behind an outside number: {@code Dial(PJSIP/<number>@<trunk>)} then rings {@code contactUri}
     * (an emergency service, a department's sub-centre), as the carrier would route the number.
     */
    public void defineOutsideNumber(String trunk, String number, String contactUri) {
        core.defineOutsideNumber(trunk, number, contactUri);
    }

    /** Sets a dialplan global (e.g. CTI_AGI once the CTI's port is known). */
    public void setGlobal(String name, String value) {
        core.globals.put(name, value);
    }

    public void addMediaObserver(MediaObserver observer) {
        core.observers.add(observer);
    }

    /** Receives every AMI event the PBX publishes, in stream order, on the publishing thread (must not block). */
    public void addEventListener(Consumer<AmiMessage> listener) {
        core.eventSinks.add(listener);
    }

    /** Channels alive now. */
    public int activeChannels() {
        return core.channelCount();
    }

    /** Calls that arrived since start. */
    public long processedCalls() {
        return core.processedCalls.get();
    }

    /**
     * Like {@code core restart now}: every channel is hung up (Hangup events, BYE to the phones), {@code Shutdown}
     * ({@code Restart: True}) goes out and every AMI connection is closed; then channel numbers and Uniqueids start
     * again from 0, uptime starts again, and the PBX is fully booted again (clients that log in get FullyBooted with
     * the small uptime). As in trace 09 of {@code ../shared/asterisk/}.
     */
    public void restartAsterisk() {
        hangUpEveryChannel();
        ami.shutdown(true);
        core.resetSequence();
        ami.setFullyBooted(true);
        LOG.info("sim PBX restarted");
    }

    /** Drops every AMI connection without a Shutdown (a crash or a cut link); the PBX and its calls go on. */
    public void dropAmiConnections() {
        ami.dropConnections();
    }

    /** While on, AMI hangs: connections stay open but nothing is answered or sent; calls go on meanwhile. */
    public void setAmiUnresponsive(boolean on) {
        ami.setUnresponsive(on);
    }

    /** Pretends the PBX has been up for {@code uptime} (so a restart shows as a smaller uptime). */
    public void pretendUptime(Duration uptime) {
        ami.setStartedAt(core.clock.instant().minus(uptime));
    }

    /** The uptime AMI reports now. */
    public long amiUptimeSeconds() {
        return ami.uptime();
    }

    /** The core, for tests in this package that act at a precise point of the event stream. */
    PbxCore core() {
        return core;
    }

    /**
     * Hangs every channel up (Hangup events, BYE/CANCEL to the phones), waiting at most {@link #CLOSE_GRACE} for
     * their threads to end, then stops AMI and SIP. Idempotent.
     */
    @Override
    public void close() {
        try {
            hangUpEveryChannel();
        } finally {
            try {
                ami.close();
            } finally {
                sip.close();
            }
        }
    }

    /**
     * Requests the hang-up (cause 16) of every channel that a thread drives (dial legs go down with their dialling
     * channel), so no thread stays parked in MusicOnHold, a bridge or AGI. Threads still running after a third of the
     * grace (an AGI session whose server keeps it open) are interrupted, which ends the session.
     */
    private void hangUpEveryChannel() {
        List<SimChannel> driven = new ArrayList<>();
        core.locked(() -> {
            for (SimChannel c : core.channels()) {
                if (c.hasRunner || c.owner == null) {
                    driven.add(c);
                }
            }
        });
        if (driven.isEmpty()) {
            return;
        }
        LOG.debug("sim PBX closing: hanging up {} channel(s)", driven.size());
        for (SimChannel c : driven) {
            Applications.requestHangup(c, 16, false);
        }
        long start = System.nanoTime();
        try {
            if (core.awaitNoChannels(start + CLOSE_GRACE.toNanos() / 3)) {
                return;
            }
            for (SimChannel c : driven) {
                Thread t = c.thread;
                if (t != null) {
                    t.interrupt();
                }
            }
            if (!core.awaitNoChannels(start + CLOSE_GRACE.toNanos())) {
                LOG.warn("sim PBX closing: {} channel(s) still up after {}", core.channelCount(), CLOSE_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls from the carrier: a channel on the trunk endpoint running the dialplan from its context. */
    private final class Trunk implements InboundCallListener {
        @Override
        public InboundLegListener onInvite(InboundLeg leg) {
            SimEndpoint trunk = core.config.trunk();
            if (core.dialplan.find(trunk.context(), leg.toUser()).isEmpty()) {
                LOG.info("no extension {} in {}: 404", leg.toUser(), trunk.context());
                leg.reject(404);
                return new InboundLegListener() {
                    @Override
                    public void onDtmf(char digit, int durationMs) {
                    }

                    @Override
                    public void onRemoteHangup() {
                    }
                };
            }
            SimChannel[] holder = new SimChannel[1];
            core.locked(() -> {
                SimChannel c = core.newChannel(trunk, null, null);
                holder[0] = c;
                // before the first event: AMI actions treat it as a channel with its own thread from then on
                c.hasRunner = true;
                c.inbound = leg;
                c.state = 4;
                c.callerIdNum = leg.fromUser() == null ? "" : leg.fromUser();
                c.callerIdName = leg.fromDisplayName() == null ? "" : leg.fromDisplayName();
                c.dnid = leg.toUser();
                c.context = trunk.context();
                c.exten = leg.toUser();
                c.priority = 1;
                core.publish(AmiEvents.channelEvent("Newchannel", "call,all", c));
            });
            SimChannel c = holder[0];
            core.processedCalls.incrementAndGet();
            LOG.debug("{}: call from {} to {}", c.name, PhoneNumbers.mask(leg.fromUser()), leg.toUser());
            ChannelRunner.start(c, new Target(trunk.context(), leg.toUser(), 1, null));
            return new InboundLegListener() {
                @Override
                public void onDtmf(char digit, int durationMs) {
                    core.locked(() -> core.publish(AmiEvents.channel(AmiEvents.event("DTMFEnd", "dtmf,all"), c, "")
                            .add("Digit", String.valueOf(digit)).add("DurationMs", String.valueOf(durationMs))
                            .add("Direction", "Received").build()));
                    c.post(new SimChannel.Signal.Dtmf(digit));
                }

                @Override
                public void onRemoteHangup() {
                    Applications.remoteHangup(c);
                }
            };
        }
    }
}
