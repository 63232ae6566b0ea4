package org.hotlinecti.sim.pbx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    public CompletionStage<List<AmiMessage>> handle(AmiMessage action) {
        String name = action.getOrEmpty("Action");
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "redirect" -> redirect(action);
            case "setvar" -> reply(setvar(action));
            case "getvar" -> reply(getvar(action));
            case "hangup" -> hangup(action);
            case "originate" -> Originator.originate(core, action);
            case "bridge" -> bridge(action);
            case "coreshowchannels" -> CompletableFuture.completedFuture(coreShowChannels(action));
            case "status" -> CompletableFuture.completedFuture(status(action));
            default -> reply(AmiReplies.unknownAction(name));
        };
    }

    /**
     * Asterisk's async goto: the response comes first, then the channel leaves what it runs (MusicOnHoldStop,
     * traces 01/03/04) or, inside AGI, sees a hang-up and moves once the FastAGI server closes (trace 11).
     */
    private CompletionStage<List<AmiMessage>> redirect(AmiMessage action) {
        String channel = action.getOrEmpty("Channel");
        if (channel.isEmpty()) {
            return reply(AmiReplies.error("Channel not specified"));
        }
        String context = action.getOrEmpty("Context");
        if (context.isEmpty()) {
            return reply(AmiReplies.error("Context not specified"));
        }
        String exten = action.getOrEmpty("Exten");
        int priority;
        try {
            priority = Integer.parseInt(action.get("Priority").orElse("1").trim());
        } catch (NumberFormatException e) {
            return reply(AmiReplies.error("Invalid priority"));
        }
        SimChannel c;
        core.lock.lock();
        try {
            Optional<SimChannel> found = core.channel(channel);
            if (found.isEmpty() || found.get().hungUp || found.get().hangupPending) {
                return reply(AmiReplies.error("Channel does not exist: " + channel));
            }
            if (!found.get().hasRunner) {
                return reply(AmiReplies.error("Redirect failed"));
            }
            c = found.get();
        } finally {
            core.lock.unlock();
        }
        Target target = new Target(context, exten, priority, null);
        return ReplyFirst.thenRun(AmiReplies.success("Redirect successful"), () -> {
            core.locked(() -> {
                if (!c.hungUp) {
                    c.pendingGoto = target;
                }
            });
            c.wake();
        }, "redirect-" + channel);
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
    private CompletionStage<List<AmiMessage>> hangup(AmiMessage action) {
        String channel = action.getOrEmpty("Channel");
        if (channel.isEmpty()) {
            return reply(AmiReplies.error("No channel specified"));
        }
        int cause;
        try {
            cause = Integer.parseInt(action.get("Cause").orElse("16").trim());
        } catch (NumberFormatException e) {
            return reply(AmiReplies.error("Invalid cause"));
        }
        SimChannel c;
        core.lock.lock();
        try {
            Optional<SimChannel> found = core.channel(channel);
            if (found.isEmpty() || found.get().hungUp) {
                return reply(AmiReplies.error("No such channel"));
            }
            c = found.get();
        } finally {
            core.lock.unlock();
        }
        return ReplyFirst.thenRun(AmiReplies.success("Channel Hungup"), () -> {
            if (c.hasRunner) {
                Applications.requestHangup(c, cause, true);
            } else {
                hangupDialLeg(c, cause);
            }
        }, "hangup-" + channel);
    }

    /** A leg being dialled or bridged by Dial has no thread of its own: its dialling channel's thread handles it. */
    private void hangupDialLeg(SimChannel leg, int cause) {
        core.locked(() -> {
            core.publish(AmiEvents.hangupRequest(leg, true, cause));
            leg.softHangupReported = true;
            leg.remoteGone = true;
        });
        if (leg.outbound != null) {
            leg.outbound.hangup();
        }
        if (leg.owner != null) {
            leg.owner.post(new SimChannel.Signal.Leg(leg, SimChannel.LegEvent.HUNG_UP, 0));
        }
    }

    /** The response first, then BridgeCreate and the rest (trace 08). */
    private CompletionStage<List<AmiMessage>> bridge(AmiMessage action) {
        String first = action.getOrEmpty("Channel1");
        String second = action.getOrEmpty("Channel2");
        SimChannel a;
        SimChannel b;
        core.lock.lock();
        try {
            Optional<SimChannel> foundA = core.channel(first);
            if (foundA.isEmpty()) {
                return reply(AmiReplies.error("Channel1 does not exist: " + first));
            }
            Optional<SimChannel> foundB = core.channel(second);
            if (foundB.isEmpty()) {
                return reply(AmiReplies.error("Channel2 does not exist: " + second));
            }
            String error = AmiBridging.check(foundA.get(), foundB.get());
            if (error != null) {
                return reply(AmiReplies.error(error));
            }
            a = foundA.get();
            b = foundB.get();
        } finally {
            core.lock.unlock();
        }
        return ReplyFirst.thenRun(AmiReplies.success("Channels have been bridged"), () -> core.locked(() -> {
            String error = AmiBridging.check(a, b);
            if (error == null) {
                AmiBridging.bridge(core, a, b);
            } else {
                LOG.warn("Bridge {} with {} no longer possible: {}", a.name, b.name, error);
            }
        }), "bridge-" + first);
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

    private static CompletionStage<List<AmiMessage>> reply(AmiMessage m) {
        return CompletableFuture.completedFuture(List.of(m));
    }
}
