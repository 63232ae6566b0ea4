package org.hotlinecti.cti.asterisk;

/**
 * Told of each agent phone's device state by {@link AmiPbxAdapter#onDeviceState}: on the adapter's event thread, in
 * stream order with the call events (a state is seen after the Hangup that caused it). Must not block for long.
 */
@FunctionalInterface
public interface DeviceStateListener {

    void deviceState(DeviceStateReport report);
}
