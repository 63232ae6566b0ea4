package org.hotlinecti.sim.pbx;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A two-party bridge. Guarded by the PBX lock. */
final class Bridge {

    final String id = UUID.randomUUID().toString();
    /** What Asterisk reports; {@code simple_bridge} on creation, {@code native_rtp} once media flows natively. */
    String technology = "simple_bridge";
    final List<SimChannel> channels = new ArrayList<>(2);
    /** Created by Dial (the dialling channel owns both legs) rather than by the AMI Bridge action. */
    final boolean dialBridge;

    Bridge(boolean dialBridge) {
        this.dialBridge = dialBridge;
    }

    SimChannel peerOf(SimChannel c) {
        for (SimChannel other : channels) {
            if (other != c) {
                return other;
            }
        }
        return null;
    }
}
