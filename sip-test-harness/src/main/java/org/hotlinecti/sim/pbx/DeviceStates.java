package org.hotlinecti.sim.pbx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hotlinecti.sim.pbx.ami.AmiMessage;

/**
 * The device state of each PJSIP endpoint, as Asterisk 22 keeps it and reports it with {@code DeviceStateChange}
 * ({@code Privilege: call,all}, {@code Device: PJSIP/<endpoint>}, {@code State: <state>}):
 * <ul>
 *   <li>{@code UNAVAILABLE} while an endpoint that registers (it has a password) has no contact;</li>
 *   <li>otherwise from its channels (Asterisk's channel-to-device table): any Ringing channel → {@code RINGING}, any
 *   channel Ring or Up → {@code INUSE}, both → {@code RINGINUSE}, none (or only Down ones) → {@code NOT_INUSE}.</li>
 * </ul>
 * A change is published right after the channel event that caused it: the {@code Newstate} (Ringing, Up) or the
 * {@code Hangup}, as in traces 01, 03 and 08; a channel that never left Down (a 486 before ringing, trace 04) changes
 * nothing and gives no event. Newchannel gives none either (traces: the trunk becomes INUSE at its Newstate Up). All
 * methods are called with the PBX lock held.
 */
final class DeviceStates {

    private final PbxCore core;
    /** Endpoint → Uniqueid → channel state, from the published channel events. */
    private final Map<String, Map<String, Integer>> channels = new HashMap<>();
    /** Endpoint → last state (published, or set silently at definition). */
    private final Map<String, String> states = new TreeMap<>();

    DeviceStates(PbxCore core) {
        this.core = core;
    }

    /** Takes the endpoint's current state without publishing (as at Asterisk's boot, before any AMI client). */
    void defined(SimEndpoint endpoint) {
        states.put(endpoint.name(), compute(endpoint.name()));
    }

    /** Follows one published event; publishes a DeviceStateChange when it changed its endpoint's state. */
    void after(AmiMessage event) {
        String name = event.getOrEmpty("Event");
        boolean newstate = name.equals("Newstate");
        boolean newchannel = name.equals("Newchannel");
        if (!newstate && !newchannel && !name.equals("Hangup")) {
            return;
        }
        String endpoint = endpointOf(event.getOrEmpty("Channel"));
        String uniqueId = event.getOrEmpty("Uniqueid");
        if (endpoint == null || uniqueId.isEmpty()) {
            return;
        }
        if (name.equals("Hangup")) {
            Map<String, Integer> of = channels.get(endpoint);
            if (of != null) {
                of.remove(uniqueId);
            }
        } else {
            int state;
            try {
                state = Integer.parseInt(event.getOrEmpty("ChannelState"));
            } catch (NumberFormatException e) {
                return;
            }
            channels.computeIfAbsent(endpoint, e -> new HashMap<>()).put(uniqueId, state);
            if (newchannel) {
                return;
            }
        }
        update(endpoint);
    }

    /** The endpoint's contact was added or removed (REGISTER). */
    void contactChanged(String endpoint) {
        if (core.endpoint(endpoint).isPresent()) {
            update(endpoint);
        }
    }

    /** Every endpoint's state, by endpoint name, for DeviceStateList. */
    List<String[]> list() {
        List<String[]> out = new ArrayList<>();
        states.forEach((endpoint, state) -> out.add(new String[] {"PJSIP/" + endpoint, state}));
        return out;
    }

    private void update(String endpoint) {
        String now = compute(endpoint);
        String before = states.put(endpoint, now);
        if (!now.equals(before)) {
            core.publish(AmiEvents.event("DeviceStateChange", "call,all").add("Device", "PJSIP/" + endpoint)
                    .add("State", now).build());
        }
    }

    private String compute(String endpoint) {
        SimEndpoint e = core.endpoint(endpoint).orElse(null);
        if (e != null && e.password() != null && core.sip.contactOf(endpoint).isEmpty()) {
            return "UNAVAILABLE";
        }
        boolean ringing = false;
        boolean inUse = false;
        for (int state : channels.getOrDefault(endpoint, Map.of()).values()) {
            if (state == 5) {
                ringing = true;
            } else if (state != 0) {
                inUse = true;
            }
        }
        return ringing && inUse ? "RINGINUSE" : ringing ? "RINGING" : inUse ? "INUSE" : "NOT_INUSE";
    }

    /** {@code PJSIP/agent1001-00000003} → {@code agent1001}. */
    private static String endpointOf(String channel) {
        int slash = channel.indexOf('/');
        int dash = channel.lastIndexOf('-');
        return slash < 0 || dash <= slash ? null : channel.substring(slash + 1, dash);
    }
}
