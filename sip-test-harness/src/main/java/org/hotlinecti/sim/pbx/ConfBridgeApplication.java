package org.hotlinecti.sim.pbx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hotlinecti.sim.pbx.Applications.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ConfBridge(name[,bridge_profile[,user_profile]])}: answers the channel and puts it into the conference
 * {@code name}, a multi-party bridge, until it hangs up, is redirected away, or is told to leave because the last marked
 * user left and its profile has {@code end_marked} (then {@code CONFBRIDGE_RESULT=ENDMARKED} and the dialplan goes on).
 * User profiles come from confbridge.conf ({@link ConferenceProfiles}).
 *
 * <p>AMI events, with the fields of the Asterisk 22 documentation (no ConfBridge trace was recorded, so their order
 * relative to the Bridge* events is app_confbridge's code order, not a capture): the first member creates the
 * conference (BridgeCreate, ConfbridgeStart); each member joins (ConfbridgeJoin with {@code Admin}/{@code Muted}, then
 * BridgeEnter) and leaves (ConfbridgeLeave with {@code Admin}, then BridgeLeave); the last one to leave ends it
 * (ConfbridgeEnd, BridgeDestroy). As in any Asterisk bridge, every member's Linkedid becomes the oldest one of the
 * bridge (the first caller's) from its join on.
 */
final class ConfBridgeApplication {

    private static final Logger LOG = LoggerFactory.getLogger(ConfBridgeApplication.class);

    private ConfBridgeApplication() {
    }

    static Flow run(SimChannel c, String data) {
        String[] args = data.split(",", -1);
        String name = args[0].trim();
        if (name.isEmpty()) {
            LOG.error("{}: ConfBridge() needs a conference name", c.name);
            return Applications.HANGUP;
        }
        ConferenceProfiles.UserProfile profile = c.core.conferenceProfiles.user(args.length > 2 ? args[2] : null);
        Applications.answer(c);
        if (c.interrupted()) {
            return Applications.INTERRUPTED;
        }
        PbxCore core = c.core;
        Conference[] holder = new Conference[1];
        core.locked(() -> {
            Conference conf = core.conferences.get(name);
            if (conf == null) {
                conf = new Conference(name);
                core.conferences.put(name, conf);
                core.publish(AmiEvents.conference("BridgeCreate", conf, 0, false).build());
                core.publish(AmiEvents.conference("ConfbridgeStart", conf, 0, true).build());
            }
            holder[0] = conf;
            conf.members.put(c, profile);
            propagateLinkedId(conf);
            int n = conf.members.size();
            core.publish(AmiEvents.channel(AmiEvents.conference("ConfbridgeJoin", conf, n - 1, true), c, "")
                    .add("Admin", "No").add("Muted", "No").build());
            core.publish(AmiEvents.channel(AmiEvents.conference("BridgeEnter", conf, n, false), c, "").build());
            c.setVar("CONFBRIDGE_RESULT", "");
        });
        Conference conf = holder[0];
        notifyConnected(conf, core);
        LOG.info("{} joined conference {} ({} member(s))", c.name, name, conf.members.size());
        boolean[] kicked = new boolean[1];
        while (!c.interrupted()) {
            core.locked(() -> kicked[0] = conf.kicked.contains(c));
            if (kicked[0]) {
                break;
            }
            c.await(System.nanoTime() + 3_600_000_000_000L);
        }
        leave(c, conf, kicked[0]);
        return c.interrupted() ? Applications.INTERRUPTED : Applications.NEXT;
    }

    /** The member leaves; the last marked one out makes end_marked members leave; the last one out ends it. */
    private static void leave(SimChannel c, Conference conf, boolean kicked) {
        PbxCore core = c.core;
        List<SimChannel> toWake = new ArrayList<>();
        core.locked(() -> {
            ConferenceProfiles.UserProfile profile = conf.members.remove(c);
            conf.kicked.remove(c);
            int n = conf.members.size();
            core.publish(AmiEvents.channel(AmiEvents.conference("ConfbridgeLeave", conf, n + 1, true), c, "")
                    .add("Admin", "No").build());
            core.publish(AmiEvents.channel(AmiEvents.conference("BridgeLeave", conf, n, false), c, "").build());
            if (kicked) {
                c.setVar("CONFBRIDGE_RESULT", "ENDMARKED");
            } else if (c.pendingGoto != null) {
                c.setVar("CONFBRIDGE_RESULT", "DIALPLANREDIRECT"); // as a redirect out of the conference reports
            } else {
                c.setVar("CONFBRIDGE_RESULT", "HANGUP");
            }
            if (profile != null && profile.marked() && conf.markedCount() == 0) {
                conf.members.forEach((member, p) -> {
                    if (p.endMarked() && !conf.kicked.contains(member)) {
                        conf.kicked.add(member);
                        toWake.add(member);
                    }
                });
            }
            if (conf.members.isEmpty()) {
                core.publish(AmiEvents.conference("ConfbridgeEnd", conf, 0, true).build());
                core.publish(AmiEvents.conference("BridgeDestroy", conf, 0, false).build());
                core.conferences.remove(conf.name, conf);
            }
        });
        LOG.info("{} left conference {}{}", c.name, conf.name, kicked ? " (the marked user left)" : "");
        for (SimChannel member : toWake) {
            member.post(new SimChannel.Signal.BridgeChanged());
        }
    }

    /**
     * Tells the observers of members with a caller's leg that they now talk with someone, once per member, when the
     * conference first has two members or more (a simulated caller then starts its talk time).
     */
    private static void notifyConnected(Conference conf, PbxCore core) {
        List<SimChannel> connected = new ArrayList<>();
        String[] peer = new String[1];
        core.locked(() -> {
            if (conf.members.size() < 2) {
                return;
            }
            for (SimChannel m : conf.members.keySet()) {
                if (m.inbound != null && conf.connected.add(m)) {
                    connected.add(m);
                }
                peer[0] = m.name;
            }
        });
        for (SimChannel m : connected) {
            for (MediaObserver o : core.observers) {
                o.bridged(m.sipCallId(), peer[0]);
            }
        }
    }

    /** Every member gets the oldest Linkedid of the bridge: that of the earliest-created member channel. */
    private static void propagateLinkedId(Conference conf) {
        conf.members.keySet().stream().min(Comparator.comparingLong(ConfBridgeApplication::sequenceOf))
                .map(oldest -> oldest.linkedId)
                .ifPresent(linkedId -> conf.members.keySet().forEach(m -> m.linkedId = linkedId));
    }

    /** The channel's place in the PBX's global channel counter ({@code PJSIP/<endpoint>-<8 hex digits>}). */
    private static long sequenceOf(SimChannel c) {
        int dash = c.name.lastIndexOf('-');
        try {
            return Long.parseLong(c.name.substring(dash + 1), 16);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
