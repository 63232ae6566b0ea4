package org.hotlinecti.sim.pbx;

import org.hotlinecti.sim.pbx.ami.AmiMessage;

/**
 * Builds AMI events the way Asterisk 22 lays them out (field names and order as in {@code testdata/asterisk-traces}).
 * The {@code Timestamp} header is added by the AMI server. Call with the PBX lock held, so the channel snapshot and the
 * event's place in the stream agree.
 */
final class AmiEvents {

    private AmiEvents() {
    }

    static AmiMessage.Builder event(String name, String privilege) {
        return AmiMessage.builder().add("Event", name).add("Privilege", privilege);
    }

    /** The channel block every channel event carries, optionally prefixed ({@code Dest} for dial events). */
    static AmiMessage.Builder channel(AmiMessage.Builder b, SimChannel c, String prefix) {
        return b.add(prefix + "Channel", c.name)
                .add(prefix + "ChannelState", String.valueOf(c.state))
                .add(prefix + "ChannelStateDesc", stateDesc(c.state))
                .add(prefix + "CallerIDNum", c.callerIdNum)
                .add(prefix + "CallerIDName", c.callerIdName)
                .add(prefix + "ConnectedLineNum", c.connectedNum)
                .add(prefix + "ConnectedLineName", c.connectedName)
                .add(prefix + "Language", "en")
                .add(prefix + "AccountCode", "")
                .add(prefix + "Context", c.context)
                .add(prefix + "Exten", c.exten)
                .add(prefix + "Priority", String.valueOf(c.priority))
                .add(prefix + "Uniqueid", c.uniqueId)
                .add(prefix + "Linkedid", c.linkedId);
    }

    static AmiMessage channelEvent(String name, String privilege, SimChannel c) {
        return channel(event(name, privilege), c, "").build();
    }

    static AmiMessage newexten(SimChannel c, String application, String appData) {
        return channel(event("Newexten", "dialplan,all"), c, "")
                .add("Extension", c.exten).add("Application", application).add("AppData", appData).build();
    }

    /**
     * (Soft)HangupRequest; {@code cause} -1 for none (a BYE on a channel with no cause yet, traces 02/07/08). The
     * channel's SIP cause, once it has one, is reported with every hang-up event (trace 04).
     */
    static AmiMessage hangupRequest(SimChannel c, boolean soft, int cause) {
        AmiMessage.Builder b = channel(event(soft ? "SoftHangupRequest" : "HangupRequest", "call,all"), c, "");
        if (cause >= 0) {
            b.add("Cause", String.valueOf(cause));
        }
        if (c.techCause != null) {
            b.add("TechCause", c.techCause);
        }
        return b.build();
    }

    static AmiMessage hangup(SimChannel c) {
        AmiMessage.Builder b = channel(event("Hangup", "call,all"), c, "")
                .add("Cause", String.valueOf(c.hangupCause)).add("Cause-txt", causeText(c.hangupCause));
        if (c.techCause != null) {
            b.add("TechCause", c.techCause);
        }
        return b.build();
    }

    /** DialBegin/DialState/DialEnd; {@code caller} is null for originated legs (only Dest fields then). */
    static AmiMessage dial(String name, SimChannel caller, SimChannel dest, String extraKey, String extraValue) {
        AmiMessage.Builder b = event(name, "call,all");
        if (caller != null) {
            channel(b, caller, "");
        }
        channel(b, dest, "Dest");
        return b.add(extraKey, extraValue).build();
    }

    static AmiMessage.Builder bridge(String name, Bridge bridge, int numChannels) {
        return event(name, "call,all")
                .add("BridgeUniqueid", bridge.id)
                .add("BridgeType", "basic")
                .add("BridgeTechnology", bridge.technology)
                .add("BridgeCreator", "<unknown>")
                .add("BridgeName", "<unknown>")
                .add("BridgeNumChannels", String.valueOf(numChannels))
                .add("BridgeVideoSourceMode", "none");
    }

    /**
     * The bridge block of a ConfBridge conference: app_confbridge's softmix bridge of type {@code base}, created by
     * {@code ConfBridge} and named after the conference. With {@code conferenceField} the event starts with
     * {@code Conference: <name>} as the Confbridge* events do.
     */
    static AmiMessage.Builder conference(String name, Conference conference, int numChannels,
            boolean conferenceField) {
        AmiMessage.Builder b = event(name, "call,all");
        if (conferenceField) {
            b.add("Conference", conference.name);
        }
        return b.add("BridgeUniqueid", conference.bridgeId)
                .add("BridgeType", "base")
                .add("BridgeTechnology", "softmix")
                .add("BridgeCreator", "ConfBridge")
                .add("BridgeName", conference.name)
                .add("BridgeNumChannels", String.valueOf(numChannels))
                .add("BridgeVideoSourceMode", "none");
    }

    static AmiMessage bridgeChannel(String name, Bridge bridge, int numChannels, SimChannel c) {
        return channel(bridge(name, bridge, numChannels), c, "").build();
    }

    static String stateDesc(int state) {
        return switch (state) {
            case 0 -> "Down";
            case 4 -> "Ring";
            case 5 -> "Ringing";
            case 6 -> "Up";
            default -> "Unknown";
        };
    }

    static String causeText(int cause) {
        return switch (cause) {
            case 0 -> "Unknown";
            case 1 -> "Unallocated (unassigned) number";
            case 16 -> "Normal Clearing";
            case 17 -> "User busy";
            case 18 -> "No user responding";
            case 19 -> "User alerting, no answer";
            case 20 -> "Subscriber absent";
            case 21 -> "Call Rejected";
            case 34 -> "Circuit/channel congestion";
            default -> "Unknown";
        };
    }
}
