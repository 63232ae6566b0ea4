package org.hotlinecti.sim.pbx;

/**
 * The AMI {@code Bridge} action between two channels that each run their own dialplan (a waiting caller and an
 * originated agent leg, trace 08). Unlike a Dial bridge, when one side leaves, the other continues its own dialplan at
 * the next priority. The second channel's Linkedid becomes the first's on entering.
 */
final class AmiBridging {

    private AmiBridging() {
    }

    /**
     * Puts both channels into a new bridge and publishes the events in Asterisk's order. Lock held.
     *
     * @return an error text for the AMI reply, or null on success
     */
    static String bridge(PbxCore core, SimChannel first, SimChannel second) {
        if (!first.hasRunner || !second.hasRunner) {
            return "Unable to bridge a channel that is being dialled";
        }
        if (first.bridge != null || second.bridge != null || first.pendingBridge != null
                || second.pendingBridge != null) {
            return "Channel is already bridged";
        }
        Bridge bridge = new Bridge(false);
        core.publish(AmiEvents.bridge("BridgeCreate", bridge, 0).build());
        for (SimChannel c : new SimChannel[] {first, second}) {
            if ("MusicOnHold".equals(c.application)) {
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
        first.wake();
        second.wake();
        return null;
    }

    /** Runs on the channel's own thread while it is in an AMI bridge; returns when it left. */
    static void stayInBridge(SimChannel c, Bridge bridge) {
        PbxCore core = c.core;
        while (true) {
            c.await(Long.MAX_VALUE);
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
                c.pendingBridge = null;
                SimChannel peer = bridge.peerOf(c);
                if (c.hangupPending) {
                    // Asterisk reports no soft hang-up for a bridged channel whose phone hung up (trace 08)
                    c.softHangupReported = true;
                    if (c.hangupCause == 0) {
                        c.hangupCause = 16;
                    }
                    if (peer != null) {
                        // the peer learns after this channel's Hangup event, as in the trace
                        c.afterHangup = peer::wake;
                    }
                } else if (peer != null) {
                    peer.wake();
                }
                left[0] = true;
            });
            if (left[0]) {
                return;
            }
        }
    }
}
