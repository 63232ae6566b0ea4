package org.hotlinecti.cti.asterisk;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hotlinecti.cti.asterisk.ami.AmiMessage;
import org.hotlinecti.cti.call.ChannelRef;
import org.hotlinecti.cti.call.PbxEvent;

/**
 * Turns the AMI events the CTI consumes into {@link PbxEvent}s (the table in {@link PbxEvent}'s Javadoc); every other
 * event translates to nothing. Lookup is by the exact {@code Event:} name.
 *
 * <p>Caller ID values Asterisk does not know come as the literal {@code <unknown>}; they come out as {@code ""}. A
 * missing Cause header comes out as {@code -1}, a missing {@code Cause-txt} as {@code Unknown}.
 */
final class AmiEventTranslator {

    private static final String UNKNOWN = "<unknown>";

    private final Map<String, Function<AmiMessage, Optional<PbxEvent>>> handlers = new HashMap<>();

    AmiEventTranslator() {
        on("FullyBooted", e -> new PbxEvent.FullyBooted(number(e.get("Uptime"), 0)));
        on("Shutdown", e -> new PbxEvent.Shutdown("True".equalsIgnoreCase(e.get("Restart"))));
        on("Newchannel", e -> new PbxEvent.ChannelCreated(channel(e, ""), known(e.get("CallerIDNum")),
                known(e.get("CallerIDName")), text(e.get("Context")), text(e.get("Exten"))));
        on("MusicOnHoldStart", e -> new PbxEvent.ChannelOnHold(channel(e, ""), text(e.get("Context"))));
        on("DialBegin", e -> new PbxEvent.DialStarted(channel(e, ""), channel(e, "Dest"),
                text(e.get("DialString"))));
        handlers.put("DialState", e -> "RINGING".equalsIgnoreCase(e.get("DialStatus"))
                ? Optional.of(new PbxEvent.DialRinging(channel(e, ""), channel(e, "Dest"))) : Optional.empty());
        on("DialEnd", e -> new PbxEvent.DialEnded(channel(e, ""), channel(e, "Dest"), text(e.get("DialStatus"))));
        on("BridgeEnter", e -> new PbxEvent.BridgeEntered(text(e.get("BridgeUniqueid")), channel(e, ""),
                (int) number(e.get("BridgeNumChannels"), 0)));
        on("BridgeLeave", e -> new PbxEvent.BridgeLeft(text(e.get("BridgeUniqueid")), channel(e, ""),
                (int) number(e.get("BridgeNumChannels"), 0)));
        on("HangupRequest", e -> new PbxEvent.HangupRequested(channel(e, ""), false,
                (int) number(e.get("Cause"), -1)));
        on("SoftHangupRequest", e -> new PbxEvent.HangupRequested(channel(e, ""), true,
                (int) number(e.get("Cause"), -1)));
        on("Hangup", e -> new PbxEvent.ChannelHungUp(channel(e, ""), (int) number(e.get("Cause"), -1),
                e.get("Cause-txt") == null || e.get("Cause-txt").isEmpty() ? "Unknown" : e.get("Cause-txt")));
        on("Rename", e -> new PbxEvent.ChannelRenamed(channel(e, ""), text(e.get("Newname"))));
    }

    /** The domain event for an AMI event, or empty when the CTI does not consume it. */
    Optional<PbxEvent> translate(AmiMessage event) {
        String name = event.eventName();
        Function<AmiMessage, Optional<PbxEvent>> handler = name == null ? null : handlers.get(name);
        return handler == null ? Optional.empty() : handler.apply(event);
    }

    /** The AMI event names this translator consumes. */
    Set<String> consumedEvents() {
        return Set.copyOf(handlers.keySet());
    }

    private void on(String event, Function<AmiMessage, PbxEvent> translation) {
        handlers.put(event, translation.andThen(Optional::of));
    }

    /**
     * The channel block with the given prefix ({@code ""} or {@code Dest}), or {@code null} when the event has no
     * such side at all (Dial events of an AMI Originate carry only the {@code Dest*} block).
     */
    static ChannelRef channel(AmiMessage e, String prefix) {
        String name = e.get(prefix + "Channel");
        String uniqueId = e.get(prefix + "Uniqueid");
        if (name == null && uniqueId == null) {
            return null;
        }
        return new ChannelRef(text(name), text(uniqueId), text(e.get(prefix + "Linkedid")));
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    private static String known(String value) {
        return value == null || UNKNOWN.equals(value) ? "" : value;
    }

    private static long number(String value, long absent) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return absent;
        }
    }
}
