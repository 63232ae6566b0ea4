package org.hotlinecti.cti.asterisk;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.DialStateEvent;
import org.asteriskjava.manager.event.FullyBootedEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.HangupRequestEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.MusicOnHoldStartEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.ShutdownEvent;
import org.asteriskjava.manager.event.SoftHangupRequestEvent;
import org.hotlinecti.cti.call.ChannelRef;
import org.hotlinecti.cti.call.PbxEvent;

/**
 * Turns the AMI events the CTI consumes into {@link PbxEvent}s (the table in {@link PbxEvent}'s Javadoc); every other
 * event class translates to nothing.
 *
 * <p>Lookup is by the event's exact class. That matters: Asterisk-Java also dispatches synthetic "legacy" events
 * built from the real ones (a {@code DialEvent} for every {@code DialBeginEvent}, {@code BridgeEvent}s from
 * {@code BridgeEnter}/{@code BridgeLeave}), and {@code DialBeginEvent}/{@code DialEndEvent} are subclasses of
 * {@code DialEvent}; a lookup by supertype would translate those twice.
 *
 * <p>Asterisk-Java turns the literal values {@code <unknown>}, {@code unknown}, {@code <none>} ... into {@code null};
 * text fields come out here as {@code ""} instead. A missing Cause header comes out as {@code -1}.
 */
final class AmiEventTranslator {

    private static final String DIAL_STATUS_RINGING = "RINGING";

    private final Map<Class<? extends ManagerEvent>, Function<ManagerEvent, Optional<PbxEvent>>> handlers =
            new HashMap<>();

    AmiEventTranslator() {
        on(FullyBootedEvent.class, e -> new PbxEvent.FullyBooted(e.getUptime() == null ? 0 : e.getUptime()));
        on(ShutdownEvent.class, e -> new PbxEvent.Shutdown(Boolean.TRUE.equals(e.getRestart())));
        on(NewChannelEvent.class, e -> new PbxEvent.ChannelCreated(
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedid()),
                text(e.getCallerIdNum()), text(e.getCallerIdName()), text(e.getContext()), text(e.getExten())));
        on(MusicOnHoldStartEvent.class, e -> new PbxEvent.ChannelOnHold(
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()), text(e.getContext())));
        on(DialBeginEvent.class, e -> new PbxEvent.DialStarted(
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()),
                channel(e.getDestChannel(), e.getDestUniqueId(), e.getDestLinkedId()),
                text(e.getDialString())));
        onSome(DialStateEvent.class, e -> DIAL_STATUS_RINGING.equalsIgnoreCase(e.getDialStatus())
                ? Optional.of(new PbxEvent.DialRinging(
                        channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()),
                        channel(e.getDestChannel(), e.getDestUniqueId(), e.getDestLinkedId())))
                : Optional.empty());
        on(DialEndEvent.class, e -> new PbxEvent.DialEnded(
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()),
                channel(e.getDestChannel(), e.getDestUniqueId(), e.getDestLinkedId()),
                text(e.getDialStatus())));
        on(BridgeEnterEvent.class, e -> new PbxEvent.BridgeEntered(text(e.getBridgeUniqueId()),
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()), count(e.getBridgeNumChannels())));
        on(BridgeLeaveEvent.class, e -> new PbxEvent.BridgeLeft(text(e.getBridgeUniqueId()),
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()), count(e.getBridgeNumChannels())));
        on(HangupRequestEvent.class, e -> new PbxEvent.HangupRequested(
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()), false, cause(e.getCause())));
        on(SoftHangupRequestEvent.class, e -> new PbxEvent.HangupRequested(
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()), true, cause(e.getCause())));
        on(HangupEvent.class, e -> new PbxEvent.ChannelHungUp(
                channel(e.getChannel(), e.getUniqueId(), e.getLinkedId()), cause(e.getCause()),
                causeText(e.getCauseTxt())));
    }

    /** The domain event for an AMI event, or empty when the CTI does not consume it. */
    Optional<PbxEvent> translate(ManagerEvent event) {
        Function<ManagerEvent, Optional<PbxEvent>> handler = handlers.get(event.getClass());
        return handler == null ? Optional.empty() : handler.apply(event);
    }

    /** The Asterisk-Java event classes this translator consumes. */
    Set<Class<? extends ManagerEvent>> consumedEventClasses() {
        return Collections.unmodifiableSet(handlers.keySet());
    }

    private <E extends ManagerEvent> void on(Class<E> type, Function<E, PbxEvent> translation) {
        onSome(type, translation.andThen(Optional::of));
    }

    private <E extends ManagerEvent> void onSome(Class<E> type, Function<E, Optional<PbxEvent>> translation) {
        handlers.put(type, event -> translation.apply(type.cast(event)));
    }

    /**
     * A channel reference, or {@code null} when the event has no such side at all (Dial events of an AMI Originate
     * carry only the {@code Dest*} block).
     */
    private static ChannelRef channel(String name, String uniqueId, String linkedId) {
        if (name == null && uniqueId == null) {
            return null;
        }
        return new ChannelRef(text(name), text(uniqueId), text(linkedId));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /**
     * Asterisk-Java reads {@code Cause-txt: Unknown} (cause 0, common: see the traces) as one of its null literals,
     * so null stands for Asterisk's "Unknown" here.
     */
    private static String causeText(String causeText) {
        return causeText == null ? "Unknown" : causeText;
    }

    private static int cause(Integer cause) {
        return cause == null ? -1 : cause;
    }

    private static int count(Integer channels) {
        return channels == null ? 0 : channels;
    }
}
