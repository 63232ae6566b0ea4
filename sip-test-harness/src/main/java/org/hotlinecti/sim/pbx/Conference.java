package org.hotlinecti.sim.pbx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A ConfBridge conference: a multi-party bridge (Asterisk's softmix bridge of type {@code base}, created by
 * {@code ConfBridge}, named after the conference). Guarded by the PBX lock.
 */
final class Conference {

    final String name;
    final String bridgeId = UUID.randomUUID().toString();
    /** The members in the order they joined, with their user profile. */
    final Map<SimChannel, ConferenceProfiles.UserProfile> members = new LinkedHashMap<>();
    /** Members told to leave because the last marked user left (end_marked); they leave on their own thread. */
    final List<SimChannel> kicked = new ArrayList<>();
    /** Members with a caller's leg already told that they talk with someone (MediaObserver#bridged). */
    final java.util.Set<SimChannel> connected = new java.util.HashSet<>();

    Conference(String name) {
        this.name = name;
    }

    int markedCount() {
        return (int) members.values().stream().filter(ConferenceProfiles.UserProfile::marked).count();
    }
}
