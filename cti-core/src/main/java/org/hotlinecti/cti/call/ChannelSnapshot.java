package org.hotlinecti.cti.call;

/**
 * One live channel as the PBX listed it in a resync (AMI CoreShowChannels).
 *
 * @param channel     the channel
 * @param context     the dialplan context it is in, e.g. {@code hotline-wait}
 * @param exten       its extension there
 * @param application the application it runs, e.g. {@code MusicOnHold}, {@code Dial}, {@code AppDial}
 * @param bridgeId    the bridge it is in, or empty
 */
public record ChannelSnapshot(ChannelRef channel, String context, String exten, String application,
        String bridgeId) {

    /** Whether the channel is in a bridge (talking to another channel). */
    public boolean bridged() {
        return !bridgeId.isEmpty();
    }
}
