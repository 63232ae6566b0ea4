package org.hotlinecti.sim.pbx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotlinecti.sim.pbx.SimChannel.Target;
import org.hotlinecti.sim.pbx.ami.AmiActionHandler;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.ami.AmiReplies;

/**
 * The channel actions of the sim PBX's AMI, with Asterisk 22's replies (texts as in trace 10): Redirect, Setvar,
 * Getvar, Hangup, Originate, Bridge, CoreShowChannels and Status.
 */
final class PbxActions implements AmiActionHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PbxActions.class);

    private final PbxCore core;

    PbxActions(PbxCore core) {
        this.core = core;
    }

    @Override
    public void handle(AmiMessage action, Reply reply) {
        String name = action.getOrEmpty("Action");
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "redirect" -> redirect(action, reply);
            case "setvar" -> reply.send(setvar(action));
            case "getvar" -> reply.send(getvar(action));
            case "hangup" -> hangup(action, reply);
            case "originate" -> Originator.originate(core, action, reply);
            case "bridge" -> bridge(action, reply);
            case "coreshowchannels" -> reply.send(coreShowChannels(action));
            case "status" -> reply.send(status(action));
            case "devicestatelist" -> reply.send(deviceStateList(action));
            default -> reply.send(AmiReplies.unknownAction(name));
        }
    }

    /**
     * Asterisk's async goto: the response comes first, then the channel leaves what it runs (MusicOnHoldStop,
     * traces 01/03/04) or, inside AGI, sees a hang-up and moves once the FastAGI server closes (trace 11).
     */
    private void redirect(AmiMessage action, Reply reply) {
        String channel = action.getOrEmpty("Channel");
        if (channel.isEmpty()) {
            reply.send(AmiReplies.error("Channel not specified"));
            return;
        }
        String context = action.getOrEmpty("Context");
        if (context.isEmpty()) {
            reply.send(AmiReplies.error("Context not specified"));
            return;
        }
        String exten = action.getOrEmpty("Exten");
        int priority;
        try {
            priority = Integer.parseInt(action.get("Priority").orElse("1").trim());
        } catch (NumberFormatException e) {
            reply.send(AmiReplies.error("Invalid priority"));
            return;
        }
        SimChannel c;
        core.lock.lock();
        try {
            Optional<SimChannel> found = core.channel(channel);
            if (found.isEmpty() || found.get().hungUp || found.get().hangupPending) {
                reply.send(AmiReplies.error("Channel does not exist: " + channel));
                return;
            }
            if (!found.get().hasRunner) {
                reply.send(AmiReplies.error("Redirect failed"));
                return;
            }
            c = found.get();
            reply.send(AmiReplies.success("Redirect successful"));
            c.pendingGoto = new Target(context, exten, priority, null);
        } finally {
            core.lock.unlock();
        }
        c.wake();
    }

    private AmiMessage setvar(AmiMessage action) {
        String variable = action.getOrEmpty("Variable");
        if (variable.isEmpty()) {
            return AmiReplies.error("No variable specified");
        }
        String value = action.getOrEmpty("Value");
        String channel = action.getOrEmpty("Channel");
        core.lock.lock();
        try {
            if (channel.isEmpty()) {
                core.globals.put(variable, value);
                return AmiReplies.success("Variable Set");
            }
            Optional<SimChannel> c = core.channel(channel);
            if (c.isEmpty()) {
                return AmiReplies.error("No such channel");
            }
            c.get().setVar(variable, value);
            return AmiReplies.success("Variable Set");
        } finally {
            core.lock.unlock();
        }
    }

    private AmiMessage getvar(AmiMessage action) {
        String variable = action.getOrEmpty("Variable");
        if (variable.isEmpty()) {
            return AmiReplies.error("No variable specified");
        }
        String channel = action.getOrEmpty("Channel");
        String value;
        core.lock.lock();
        try {
            if (channel.isEmpty()) {
                value = core.globals.getOrDefault(variable, "");
            } else {
                Optional<SimChannel> c = core.channel(channel);
                if (c.isEmpty()) {
                    return AmiReplies.error("No such channel");
                }
                value = c.get().getVariable(variable).orElse("");
            }
        } finally {
            core.lock.unlock();
        }
        return AmiMessage.builder().add("Response", "Success").add("Variable", variable).add("Value", value).build();
    }

    /** The response first, then the soft hang-up and what follows it (as for every action acting on a channel). */
    private void hangup(AmiMessage action, Reply reply) {
        String channel = action.getOrEmpty("Channel");
        if (channel.isEmpty()) {
            reply.send(AmiReplies.error("No channel specified"));
            return;
        }
        int cause;
        try {
            cause = Integer.parseInt(action.get("Cause").orElse("16").trim());
        } catch (NumberFormatException e) {
            reply.send(AmiReplies.error("Invalid cause"));
            return;
        }
        SimChannel c;
        boolean hasRunner;
        core.lock.lock();
        try {
            Optional<SimChannel> found = core.channel(channel);
            if (found.isEmpty() || found.get().hungUp) {
                reply.send(AmiReplies.error("No such channel"));
                return;
            }
            c = found.get();
            hasRunner = c.hasRunner;
            reply.send(AmiReplies.success("Channel Hungup"));
        } finally {
            core.lock.unlock();
        }
        if (hasRunner) {
            Applications.requestHangup(c, cause, true);
        } else {
            hangupDialLeg(c, cause);
        }
    }

    /**
     * A leg being dialled or bridged by Dial has no thread of its own: its dialling channel's thread handles it (a
     * ringing originated leg has none either: its originate thread does). The thread is told, with the cause, before
     * the CANCEL/BYE goes out, so that it never mistakes the phone's answer to it (487) for the phone's own doing.
     */
    private void hangupDialLeg(SimChannel leg, int cause) {
        core.locked(() -> {
            core.publish(AmiEvents.hangupRequest(leg, true, cause));
            leg.softHangupReported = true;
            leg.remoteGone = true;
            leg.hangupCause = cause;
        });
        SimChannel driver = leg.owner != null ? leg.owner : leg;
        driver.post(new SimChannel.Signal.Leg(leg, SimChannel.LegEvent.HUNG_UP, cause));
        if (leg.outbound != null) {
            leg.outbound.hangup();
        }
    }

    /** The response first, then BridgeCreate and the rest (trace 08). */
    private void bridge(AmiMessage action, Reply reply) {
        String first = action.getOrEmpty("Channel1");
        String second = action.getOrEmpty("Channel2");
        core.lock.lock();
        try {
            Optional<SimChannel> a = core.channel(first);
            if (a.isEmpty()) {
                reply.send(AmiReplies.error("Channel1 does not exist: " + first));
                return;
            }
            Optional<SimChannel> b = core.channel(second);
            if (b.isEmpty()) {
                reply.send(AmiReplies.error("Channel2 does not exist: " + second));
                return;
            }
            String error = AmiBridging.check(a.get(), b.get());
            if (error != null) {
                reply.send(AmiReplies.error(error));
                return;
            }
            reply.send(AmiReplies.success("Channels have been bridged"));
            AmiBridging.bridge(core, a.get(), b.get());
        } finally {
            core.lock.unlock();
        }
    }

    private List<AmiMessage> coreShowChannels(AmiMessage action) {
        String actionId = action.get("ActionID").orElse(null);
        List<AmiMessage> out = new ArrayList<>();
        out.add(listStart(actionId, "Channels will follow"));
        core.lock.lock();
        try {
            List<SimChannel> channels = core.channels();
            for (SimChannel c : channels) {
                AmiMessage.Builder b = AmiMessage.builder().add("Event", "CoreShowChannel");
                if (actionId != null) {
                    b.add("ActionID", actionId);
                }
                AmiEvents.channel(b, c, "")
                        .add("Application", c.application)
                        .add("ApplicationData", c.appData)
                        .add("Duration", hms(Duration.between(c.createdAt, core.clock.instant())))
                        .add("BridgeId", c.bridge == null ? "" : c.bridge.id);
                out.add(b.build());
            }
            out.add(listComplete("CoreShowChannelsComplete", actionId, channels.size(), false));
        } finally {
            core.lock.unlock();
        }
        return out;
    }

    /**
     * As res_manager_devicestate: {@code Device State Changes will follow}, one {@code DeviceStateChange} per known
     * device (ActionID, Device, State; no Privilege or Timestamp), then {@code DeviceStateListComplete}.
     */
    private List<AmiMessage> deviceStateList(AmiMessage action) {
        String actionId = action.get("ActionID").orElse(null);
        List<AmiMessage> out = new ArrayList<>();
        out.add(listStart(actionId, "Device State Changes will follow"));
        core.lock.lock();
        try {
            List<String[]> devices = core.deviceStates.list();
            for (String[] d : devices) {
                AmiMessage.Builder b = AmiMessage.builder().add("Event", "DeviceStateChange");
                if (actionId != null) {
                    b.add("ActionID", actionId);
                }
                out.add(b.add("Device", d[0]).add("State", d[1]).build());
            }
            out.add(listComplete("DeviceStateListComplete", actionId, devices.size(), false));
        } finally {
            core.lock.unlock();
        }
        return out;
    }

    private List<AmiMessage> status(AmiMessage action) {
        String actionId = action.get("ActionID").orElse(null);
        String only = action.getOrEmpty("Channel");
        List<AmiMessage> out = new ArrayList<>();
        core.lock.lock();
        try {
            List<SimChannel> channels = new ArrayList<>();
            for (SimChannel c : core.channels()) {
                if (only.isEmpty() || only.equals(c.name)) {
                    channels.add(c);
                }
            }
            if (!only.isEmpty() && channels.isEmpty()) {
                return List.of(AmiReplies.error("No such channel"));
            }
            out.add(listStart(actionId, "Channel status will follow"));
            for (SimChannel c : channels) {
                AmiMessage.Builder b = AmiMessage.builder().add("Event", "Status").add("Privilege", "Call");
                AmiEvents.channel(b, c, "")
                        .add("Type", "PJSIP").add("DNID", c.dnid)
                        .add("EffectiveConnectedLineNum", c.connectedNum)
                        .add("EffectiveConnectedLineName", c.connectedName)
                        .add("TimeToHangup", "0").add("BridgeID", c.bridge == null ? "" : c.bridge.id)
                        .add("Application", c.application).add("Data", c.appData)
                        .add("Nativeformats", "(ulaw)").add("Readformat", "ulaw").add("Readtrans", "")
                        .add("Writeformat", "ulaw").add("Writetrans", "").add("Callgroup", "0")
                        .add("Pickupgroup", "0")
                        .add("Seconds", String.valueOf(Duration.between(c.createdAt, core.clock.instant())
                                .toSeconds()));
                if (actionId != null) {
                    b.add("ActionID", actionId);
                }
                out.add(b.build());
            }
            out.add(listComplete("StatusComplete", actionId, channels.size(), true));
        } finally {
            core.lock.unlock();
        }
        return out;
    }

    private static AmiMessage listStart(String actionId, String message) {
        AmiMessage.Builder b = AmiMessage.builder().add("Response", "Success");
        if (actionId != null) {
            b.add("ActionID", actionId);
        }
        return b.add("EventList", "start").add("Message", message).build();
    }

    private static AmiMessage listComplete(String event, String actionId, int items, boolean withItems) {
        AmiMessage.Builder b = AmiMessage.builder().add("Event", event);
        if (actionId != null) {
            b.add("ActionID", actionId);
        }
        b.add("EventList", "Complete").add("ListItems", String.valueOf(items));
        if (withItems) {
            b.add("Items", String.valueOf(items));
        }
        return b.build();
    }

    private static String hms(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format("%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

}
