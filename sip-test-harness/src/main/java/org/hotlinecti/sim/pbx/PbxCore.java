package org.hotlinecti.sim.pbx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.sip.PbxSipEndpoint;

/**
 * State shared by every channel of the sim PBX. One lock orders all channel changes and the events that report them,
 * so every AMI client sees one consistent stream, as with Asterisk's single stasis stream.
 */
final class PbxCore {

    final ReentrantLock lock = new ReentrantLock();
    final Clock clock;
    final SimPbxConfig config;
    final Dialplan dialplan;
    final PbxSipEndpoint sip;
    final Map<String, String> globals = new ConcurrentHashMap<>();
    final List<MediaObserver> observers = new CopyOnWriteArrayList<>();
    final List<Consumer<AmiMessage>> eventSinks = new CopyOnWriteArrayList<>();
    /** ConfBridge conferences by name; guarded by {@link #lock}. */
    final Map<String, Conference> conferences = new java.util.HashMap<>();
    /** The ConfBridge user profiles of the shipped confbridge.conf. */
    final ConferenceProfiles conferenceProfiles = ConferenceProfiles.shipped();
    final Instant startedAt;
    final AtomicLong processedCalls = new AtomicLong();

    /** Guarded by {@link #lock}. */
    private final Map<String, SimChannel> channels = new java.util.LinkedHashMap<>();
    /** The size of {@link #channels}, readable without the lock (AMI CoreStatus runs on an event loop). */
    private final AtomicInteger channelCount = new AtomicInteger();
    /** Signalled when the last channel is gone. */
    private final Condition noChannels = lock.newCondition();
    private final Map<String, SimEndpoint> endpoints = new ConcurrentHashMap<>();
    /** Guarded by {@link #lock}. */
    final DeviceStates deviceStates = new DeviceStates(this);
    /** One counter for channel name suffixes and Uniqueid sequence numbers, as in Asterisk. */
    private final AtomicLong sequence = new AtomicLong();

    PbxCore(SimPbxConfig config, Dialplan dialplan, PbxSipEndpoint sip) {
        this.config = config;
        this.clock = config.clock();
        this.dialplan = dialplan;
        this.sip = sip;
        this.startedAt = clock.instant();
        globals.putAll(dialplan.globals());
        globals.putAll(config.globals());
        endpoints.put(config.trunk().name(), config.trunk());
        for (SimEndpoint e : config.endpoints()) {
            endpoints.put(e.name(), e);
        }
        // not yet published: nobody is connected, as at Asterisk's boot
        endpoints.values().forEach(deviceStates::defined);
    }

    void defineEndpoint(SimEndpoint e) {
        endpoints.put(e.name(), e);
        sip.defineEndpoint(e.name(), e.staticContact(), e.password());
        locked(() -> deviceStates.defined(e));
    }

    Optional<SimEndpoint> endpoint(String name) {
        return Optional.ofNullable(endpoints.get(name));
    }

    /** What the network behind trunk endpoints reaches: trunk → number → SIP contact of the far end. */
    private final Map<String, Map<String, String>> outsideNumbers = new ConcurrentHashMap<>();

    void defineOutsideNumber(String trunk, String number, String contactUri) {
        outsideNumbers.computeIfAbsent(trunk, t -> new ConcurrentHashMap<>()).put(number, contactUri);
    }

    /**
     * The contact for {@code PJSIP/<number>@<trunk>}: the far end the sim world put behind that number, else the
     * trunk's own contact with the number as user (what PJSIP sends); empty when neither exists (CHANUNAVAIL).
     */
    Optional<String> outsideContact(String trunk, String number) {
        String known = outsideNumbers.getOrDefault(trunk, Map.of()).get(number);
        if (known != null) {
            return Optional.of(known);
        }
        return sip.contactOf(trunk).map(c -> c.replaceFirst("^sip:([^@]*@)?", "sip:" + number + "@"));
    }

    /** Publishes an event to every AMI session and tap. Caller holds {@link #lock}. */
    void publish(AmiMessage event) {
        for (Consumer<AmiMessage> sink : eventSinks) {
            sink.accept(event);
        }
        deviceStates.after(event);
    }

    /** Creates and registers a channel for an endpoint. Caller holds {@link #lock}. */
    SimChannel newChannel(SimEndpoint endpoint, String uniqueIdOverride, String linkedId) {
        long seq = sequence.getAndIncrement();
        String name = String.format("PJSIP/%s-%08x", endpoint.name(), seq);
        String uniqueId = uniqueIdOverride != null ? uniqueIdOverride
                : clock.instant().getEpochSecond() + "." + seq;
        SimChannel c = new SimChannel(this, name, uniqueId, linkedId == null ? uniqueId : linkedId, endpoint);
        channels.put(name, c);
        channelCount.incrementAndGet();
        return c;
    }

    /** Channel numbers and Uniqueid sequence start again from 0, as after an Asterisk restart. */
    void resetSequence() {
        sequence.set(0);
    }

    /** Caller holds {@link #lock}. */
    Optional<SimChannel> channel(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    /** Caller holds {@link #lock}. */
    List<SimChannel> channels() {
        return new ArrayList<>(channels.values());
    }

    /** Caller holds {@link #lock}. */
    void remove(SimChannel c) {
        if (channels.remove(c.name, c) && channelCount.decrementAndGet() == 0) {
            noChannels.signalAll();
        }
    }

    /** Channels alive now; needs no lock. */
    int channelCount() {
        return channelCount.get();
    }

    /** Waits until no channel is left or {@code deadlineNanos} ({@link System#nanoTime()}) passed; true if none is. */
    boolean awaitNoChannels(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!channels.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                noChannels.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How long the sim pretends a sound file plays. */
    Duration promptDuration(String file) {
        return config.promptDuration();
    }

    /** Runs {@code action} with the lock held. */
    void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
