package org.hotlinecti.cti.asterisk;

/**
 * An agent phone's device state as Asterisk reported it.
 *
 * @param extension    the agent's extension ({@code 1001} for device {@code PJSIP/agent1001})
 * @param state        the reported state
 * @param liveChannels whether the AMI session knows a live channel of that endpoint at this point of the stream
 *                     (from the last CoreShowChannels and the Newchannel/Hangup events since)
 * @param listed       true when it came from the DeviceStateList asked for after a login, false for a live
 *                     DeviceStateChange
 */
public record DeviceStateReport(String extension, DeviceState state, boolean liveChannels, boolean listed) {
}
