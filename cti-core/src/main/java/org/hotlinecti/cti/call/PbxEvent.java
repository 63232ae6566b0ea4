package org.hotlinecti.cti.call;

/**
 * What the PBX tells the call model, as typed domain events. The Asterisk adapter turns AMI events into these at the
 * edge; nothing past the adapter sees AMI field names.
 *
 * <p>Which AMI event feeds which domain event (the adapter ignores every other event class):
 * <table>
 *   <caption>AMI events consumed</caption>
 *   <tr><th>AMI event</th><th>domain event</th></tr>
 *   <tr><td>(login completed)</td><td>{@link Connected}</td></tr>
 *   <tr><td>(socket closed / ping lost)</td><td>{@link Disconnected}</td></tr>
 *   <tr><td>FullyBooted</td><td>{@link FullyBooted}</td></tr>
 *   <tr><td>Shutdown</td><td>{@link Shutdown}</td></tr>
 *   <tr><td>Newchannel</td><td>{@link ChannelCreated}</td></tr>
 *   <tr><td>MusicOnHoldStart</td><td>{@link ChannelOnHold}</td></tr>
 *   <tr><td>DialBegin</td><td>{@link DialStarted}</td></tr>
 *   <tr><td>DialState (RINGING)</td><td>{@link DialRinging}</td></tr>
 *   <tr><td>DialEnd</td><td>{@link DialEnded}</td></tr>
 *   <tr><td>BridgeEnter</td><td>{@link BridgeEntered}</td></tr>
 *   <tr><td>BridgeLeave</td><td>{@link BridgeLeft}</td></tr>
 *   <tr><td>HangupRequest, SoftHangupRequest</td><td>{@link HangupRequested}</td></tr>
 *   <tr><td>Hangup</td><td>{@link ChannelHungUp}</td></tr>
 *   <tr><td>Rename</td><td>{@link ChannelRenamed}</td></tr>
 *   <tr><td>CoreShowChannels (after every login)</td><td>{@link Resynced}</td></tr>
 *   <tr><td>FullyBooted with an uptime smaller than expected</td><td>{@link PbxRestarted}</td></tr>
 *   <tr><td>OriginateResponse</td><td>none: it completes {@link PbxControl#originate} (matched by ActionID)</td></tr>
 * </table>
 *
 * <p>After a (re)connection the adapter emits {@link Connected}, then the events of the new session as they come,
 * and {@link Resynced} at the point of the stream where its channel list was taken. A duplicated Hangup (same
 * Uniqueid) is delivered once.
 *
 * <p>Ordering contract: the adapter delivers events in the order Asterisk sent them, from one thread at a time.
 *
 * <p>Consumers dispatch with {@link #accept(Handler)}: a new event type then fails to compile wherever it is not
 * handled, instead of being silently ignored.
 */
public sealed interface PbxEvent {

    /** Calls the handler method for this event's type. */
    void accept(Handler handler);

    /** One method per event type. */
    interface Handler {
        void connected(Connected e);

        void disconnected(Disconnected e);

        void fullyBooted(FullyBooted e);

        void shutdown(Shutdown e);

        void channelCreated(ChannelCreated e);

        void channelOnHold(ChannelOnHold e);

        void dialStarted(DialStarted e);

        void dialRinging(DialRinging e);

        void dialEnded(DialEnded e);

        void bridgeEntered(BridgeEntered e);

        void bridgeLeft(BridgeLeft e);

        void hangupRequested(HangupRequested e);

        void channelHungUp(ChannelHungUp e);

        void channelRenamed(ChannelRenamed e);

        void resynced(Resynced e);

        void pbxRestarted(PbxRestarted e);
    }

    /** The AMI session is logged in. {@code asteriskVersion} as reported by CoreSettings, or empty if unknown. */
    record Connected(String asteriskVersion) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.connected(this);
        }
    }

    /**
     * The AMI session ended; channel state is unknown until the next {@link Connected}.
     *
     * @param requested true when the CTI itself logged off (shutting down), false when the connection was lost
     */
    record Disconnected(String reason, boolean requested) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.disconnected(this);
        }
    }

    /** Asterisk finished booting; an uptime smaller than the last one seen means it restarted. */
    record FullyBooted(long uptimeSeconds) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.fullyBooted(this);
        }
    }

    /** Asterisk is shutting down (or restarting): every channel is gone. */
    record Shutdown(boolean restart) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.shutdown(this);
        }
    }

    /** A channel appeared (Newchannel). {@code exten} is the dialled number for trunk channels. */
    record ChannelCreated(ChannelRef channel, String callerIdNum, String callerIdName, String context, String exten)
            implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.channelCreated(this);
        }
    }

    /** The channel started hearing music on hold: the caller is waiting (MusicOnHoldStart). */
    record ChannelOnHold(ChannelRef channel, String context) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.channelOnHold(this);
        }
    }

    /** {@code caller} started dialling {@code dest} (DialBegin). */
    record DialStarted(ChannelRef caller, ChannelRef dest, String dialString) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.dialStarted(this);
        }
    }

    /** The dialled party is ringing (DialState with DialStatus RINGING). */
    record DialRinging(ChannelRef caller, ChannelRef dest) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.dialRinging(this);
        }
    }

    /**
     * A dial finished (DialEnd). {@code dialStatus} is Asterisk's DIALSTATUS: ANSWER, NOANSWER, BUSY, CANCEL,
     * CHANUNAVAIL, CONGESTION ...
     */
    record DialEnded(ChannelRef caller, ChannelRef dest, String dialStatus) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.dialEnded(this);
        }
    }

    /** A channel entered a bridge; {@code channelsInBridge} counts it. */
    record BridgeEntered(String bridgeId, ChannelRef channel, int channelsInBridge) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.bridgeEntered(this);
        }
    }

    /** A channel left a bridge; {@code channelsInBridge} no longer counts it. */
    record BridgeLeft(String bridgeId, ChannelRef channel, int channelsInBridge) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.bridgeLeft(this);
        }
    }

    /**
     * Something asked for the channel to hang up (HangupRequest, or SoftHangupRequest when {@code soft}). The first
     * such request in a call tells who ended it; the Hangup cause does not (see the traces' README).
     *
     * @param cause the Cause header, or -1 when absent
     */
    record HangupRequested(ChannelRef channel, boolean soft, int cause) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.hangupRequested(this);
        }
    }

    /** The channel is gone (Hangup). */
    record ChannelHungUp(ChannelRef channel, int cause, String causeText) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.channelHungUp(this);
        }
    }

    /** A channel got a new name (Rename, e.g. after a masquerade); its Uniqueid stays. */
    record ChannelRenamed(ChannelRef channel, String newName) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.channelRenamed(this);
        }
    }

    /**
     * Every channel alive at this point of the stream, listed after a (re)login. A call the model follows from before
     * the login whose channel is not listed ended while the CTI was not looking; one whose agent leg is missing is no
     * longer talking. Calls first seen after the login are not judged by it (the list may race with their events).
     */
    record Resynced(java.util.List<ChannelSnapshot> channels) implements PbxEvent {
        public Resynced {
            channels = java.util.List.copyOf(channels);
        }

        @Override
        public void accept(Handler handler) {
            handler.resynced(this);
        }
    }

    /**
     * Asterisk restarted since the previous session (FullyBooted reports a smaller uptime than expected): every
     * channel of earlier sessions is gone; Uniqueids and channel numbers start again.
     */
    record PbxRestarted(String reason) implements PbxEvent {
        @Override
        public void accept(Handler handler) {
            handler.pbxRestarted(this);
        }
    }
}
