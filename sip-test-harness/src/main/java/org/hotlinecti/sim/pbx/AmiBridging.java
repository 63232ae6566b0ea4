package org.hotlinecti.sim.pbx;

/**
 * The AMI {@code Bridge} action between two channels that each run their own dialplan (a waiting caller and an
 * originated agent leg, trace 08). Unlike a Dial bridge, when one side leaves, the other continues its own dialplan at
 * the next priority. The second channel's Linkedid becomes the first's on entering.
 */
final class AmiBridging {

    private AmiBridging() {
    }

    /** Why the two channels cannot be bridged now (an error text for the AMI reply), or null. Lock held. */
    static String check(SimChannel first, SimChannel second) {
        if (first.hungUp || first.hangupPending) {
            return "Channel1 does not exist: " + first.name;
        }
        if (second.hungUp || second.hangupPending) {
            return "Channel2 does not exist: " + second.name;
        }
        if (!first.hasRunner || !second.hasRunner) {
            return "Unable to bridge a channel that is being dialled";
        }
        if (first.bridge != null || second.bridge != null || first.pendingBridge != null
                || second.pendingBridge != null) {
            return "Channel is already bridged";
        }
        return null;
    }

    /** Puts both channels into a new bridge and publishes the events in Asterisk's order. Lock held, checked. */
    static void bridge(PbxCore core, SimChannel first, SimChannel second) {
        Bridge bridge = new Bridge(false);
        core.publish(AmiEvents.bridge("BridgeCreate", bridge, 0).build());
        for (SimChannel c : new SimChannel[] {first, second}) {
            if ("MusicOnHold".equals(c.application) || "WaitExten".equals(c.application)) {
                core.publish(AmiEvents.channelEvent("MusicOnHoldStop", "call,all", c));
            }
            c.priority++;
            if (c == second) {
                c.linkedId = first.linkedId;
            }
            bridge.channels.add(c);
            c.bridge = bridge;
            c.pendingBridge = bridge;
            core.publish(AmiEvents.bridgeChannel("BridgeEnter", bridge, bridge.channels.size(), c));
        }
        second.connectedNum = first.callerIdNum;
        second.connectedName = first.callerIdName;
        core.publish(AmiEvents.channelEvent("NewConnectedLine", "call,all", second));
        first.connectedNum = second.callerIdNum;
        first.connectedName = second.callerIdName;
        core.publish(AmiEvents.channelEvent("NewConnectedLine", "call,all", first));
        // media flows natively from now on: the leave and destroy events say so (trace 08)
        bridge.technology = "native_rtp";
        first.wake();
        second.wake();
    }

    /**
     * Runs on the channel's own thread while it is in an AMI bridge, once it took the bridge with
     * {@link SimChannel#takePendingBridge()}; returns when it left: on its hang-up, a redirect,
     * or once the other channel left (told by {@link SimChannel.Signal.BridgeChanged}, after that channel's own
     * Hangup event when it hung up, as in trace 08).
     */
    static void stayInBridge(SimChannel c, Bridge bridge) {
        PbxCore core = c.core;
        // the runner took the pending bridge (SimChannel#takePendingBridge): waiting below blocks until something new
        while (true) {
            boolean[] left = new boolean[1];
            core.locked(() -> {
                boolean peerGone = bridge.channels.size() < 2;
                if (!c.hangupPending && c.pendingGoto == null && !peerGone) {
                    return;
                }
                bridge.channels.remove(c);
                core.publish(AmiEvents.bridgeChannel("BridgeLeave", bridge, bridge.channels.size(), c));
                if (bridge.channels.isEmpty()) {
                    core.publish(AmiEvents.bridge("BridgeDestroy", bridge, 0).build());
                }
                c.bridge = null;
                SimChannel peer = bridge.peerOf(c);
                if (c.hangupPending) {
                    // Asterisk reports no soft hang-up for a bridged channel whose phone hung up (trace 08)
                    c.softHangupReported = true;
                    if (c.hangupCause == 0) {
                        c.hangupCause = 16;
                    }
                    if (peer != null) {
                        // the peer learns after this channel's Hangup event, as in the trace
                        c.afterHangup = () -> peer.post(new SimChannel.Signal.BridgeChanged());
                    }
                } else if (peer != null) {
                    peer.post(new SimChannel.Signal.BridgeChanged());
                }
                left[0] = true;
            });
            if (left[0]) {
                return;
            }
            c.await(Long.MAX_VALUE);
        }
    }
}
