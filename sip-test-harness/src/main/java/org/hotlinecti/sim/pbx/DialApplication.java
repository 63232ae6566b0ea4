package org.hotlinecti.sim.pbx;

import java.time.Duration;
import java.util.Optional;
import org.hotlinecti.sim.pbx.Applications.Flow;
import org.hotlinecti.sim.pbx.SimChannel.LegEvent;
import org.hotlinecti.sim.pbx.SimChannel.Signal;
import org.hotlinecti.sim.sip.OutboundLeg;
import org.hotlinecti.sim.sip.OutboundLegListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Dial(PJSIP/<endpoint>[,timeout[,options]])} for one target: creates the outgoing leg, rings the endpoint's
 * contact, bridges on answer and stays in the bridge until one side leaves. Events and their order follow traces 01
 * (answer, agent hangs up first), 03 (no answer, caller hangs up while bridged) and 04 (busy). Option {@code g}
 * continues the dialplan when the called party hangs up first.
 */
final class DialApplication {

    private static final Logger LOG = LoggerFactory.getLogger(DialApplication.class);

    private DialApplication() {
    }

    static Flow run(SimChannel caller, String data) {
        String[] args = data.split(",", -1);
        String target = args[0].trim();
        Duration timeout = args.length > 1 && !args[1].isBlank() ? Applications.seconds(args[1]) : null;
        String options = args.length > 2 ? args[2] : "";
        PbxCore core = caller.core;
        core.locked(() -> caller.setVar("DIALSTATUS", ""));

        int slash = target.indexOf('/');
        String tech = slash > 0 ? target.substring(0, slash) : "";
        String resource = slash > 0 ? target.substring(slash + 1) : target;
        // PJSIP/<number>@<endpoint>: the number goes in the Request-URI towards the endpoint (a trunk)
        int at = resource.indexOf('@');
        String number = at > 0 ? resource.substring(0, at) : null;
        String endpointName = at > 0 ? resource.substring(at + 1) : resource;
        Optional<SimEndpoint> endpoint = core.endpoint(endpointName);
        Optional<String> contact = endpoint.isEmpty() ? Optional.empty()
                : number == null ? core.sip.contactOf(endpointName) : core.outsideContact(endpointName, number);
        if (!tech.equals("PJSIP") || endpoint.isEmpty() || contact.isEmpty()) {
            // Asterisk cannot create the channel: no Dial events at all, DIALSTATUS=CHANUNAVAIL
            LOG.info("{}: Dial({}) unavailable: {}", caller.name,
                    target, endpoint.isEmpty() ? "no such endpoint" : "endpoint has no contact");
            core.locked(() -> caller.setVar("DIALSTATUS", "CHANUNAVAIL"));
            return Applications.NEXT;
        }

        SimChannel[] legHolder = new SimChannel[1];
        core.locked(() -> {
            SimChannel leg = core.newChannel(endpoint.get(), null, caller.linkedId);
            legHolder[0] = leg;
            leg.owner = caller;
            leg.state = 0;
            leg.callerIdNum = endpoint.get().callerIdNum() == null ? "" : endpoint.get().callerIdNum();
            leg.callerIdName = endpoint.get().callerIdName() == null ? "" : endpoint.get().callerIdName();
            leg.context = endpoint.get().context();
            leg.exten = "s";
            leg.priority = 1;
            core.publish(AmiEvents.channelEvent("Newchannel", "call,all", leg));
            // the leg has the caller as connected line before its Newexten, whose event comes first (traces 01-04)
            leg.exten = caller.exten;
            leg.connectedNum = caller.callerIdNum;
            leg.connectedName = caller.callerIdName;
            core.publish(AmiEvents.newexten(leg, "AppDial", "(Outgoing Line)"));
            core.publish(AmiEvents.channelEvent("NewConnectedLine", "call,all", leg));
            core.publish(AmiEvents.dial("DialBegin", caller, leg, "DialString", resource));
            caller.connectedNum = leg.callerIdNum;
            caller.connectedName = leg.callerIdName;
            core.publish(AmiEvents.channelEvent("NewConnectedLine", "call,all", caller));
        });
        SimChannel leg = legHolder[0];
        OutboundLeg sipLeg;
        try {
            sipLeg = core.sip.dial(number == null ? endpointName : number, contact.get(), caller.presentedCallerId(),
                    new LegListener(caller, leg));
        } catch (RuntimeException e) {
            // the INVITE could not even be sent (bad contact, closed endpoint): as ast_call failing in app_dial
            LOG.warn("{}: Dial({}) cannot call {}: {}", caller.name, target, contact.get(), e.toString());
            core.locked(() -> {
                core.publish(AmiEvents.dial("DialEnd", caller, leg, "DialStatus", "CHANUNAVAIL"));
                caller.setVar("DIALSTATUS", "CHANUNAVAIL");
                leg.remoteGone = true;
                endLeg(leg, 20, null);
            });
            return Applications.NEXT;
        }
        leg.outbound = sipLeg;

        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            Signal s = caller.await(deadline);
            if (s == null) {
                sipLeg.cancel();
                core.locked(() -> {
                    core.publish(AmiEvents.dial("DialEnd", caller, leg, "DialStatus", "NOANSWER"));
                    caller.setVar("DIALSTATUS", "NOANSWER");
                    endLeg(leg, 0, null);
                });
                return Applications.NEXT;
            }
            if (caller.interrupted()) {
                sipLeg.cancel();
                core.locked(() -> {
                    core.publish(AmiEvents.dial("DialEnd", caller, leg, "DialStatus", "CANCEL"));
                    caller.setVar("DIALSTATUS", "CANCEL");
                    endLeg(leg, 16, null);
                });
                return Applications.INTERRUPTED;
            }
            if (!(s instanceof Signal.Leg l) || l.leg() != leg) {
                continue;
            }
            switch (l.event()) {
                case RINGING -> core.locked(() -> {
                    if (leg.state != 5) {
                        // the order of traces 03 and 11 (trace 01 has them the other way round: a race in Asterisk)
                        leg.state = 5;
                        core.publish(AmiEvents.channelEvent("Newstate", "call,all", leg));
                        core.publish(AmiEvents.dial("DialState", caller, leg, "DialStatus", "RINGING"));
                    }
                });
                case ANSWERED -> {
                    return bridged(caller, leg, sipLeg, options.contains("g"));
                }
                case REJECTED -> {
                    int code = l.code();
                    int cause = code == 486 || code == 600 ? 17 : code == 603 ? 21 : code == 480 ? 19 : 34;
                    String status = cause == 17 || cause == 21 ? "BUSY" : cause == 19 ? "NOANSWER" : "CONGESTION";
                    core.locked(() -> {
                        leg.techCause = String.valueOf(code);
                        core.publish(AmiEvents.hangupRequest(leg, false, cause));
                        core.publish(AmiEvents.dial("DialEnd", caller, leg, "DialStatus", status));
                        caller.setVar("DIALSTATUS", status);
                        leg.remoteGone = true;
                        endLeg(leg, cause, String.valueOf(code));
                        // Asterisk copies the failed leg's causes to the dialling channel (trace 04)
                        caller.hangupCause = cause;
                        caller.techCause = leg.techCause;
                    });
                    return Applications.NEXT;
                }
                case FAILED -> {
                    core.locked(() -> {
                        core.publish(AmiEvents.dial("DialEnd", caller, leg, "DialStatus", "CHANUNAVAIL"));
                        caller.setVar("DIALSTATUS", "CHANUNAVAIL");
                        leg.remoteGone = true;
                        endLeg(leg, 20, null);
                    });
                    return Applications.NEXT;
                }
                case HUNG_UP -> {
                    // an AMI Hangup of the ringing leg (PbxActions#hangupDialLeg, the cause in the signal): as in
                    // app_dial, DialEnd reports the leg's cause, the caller takes the cause over and its dialplan
                    // continues, since no other leg is left
                    int cause = l.code() > 0 ? l.code() : 16;
                    core.locked(() -> {
                        core.publish(AmiEvents.dial("DialEnd", caller, leg, "DialStatus", dialEndStatus(cause)));
                        caller.setVar("DIALSTATUS", dialStatus(cause));
                        leg.remoteGone = true;
                        endLeg(leg, cause, null);
                        caller.hangupCause = cause;
                    });
                    return Applications.NEXT;
                }
            }
        }
    }

    private static Flow bridged(SimChannel caller, SimChannel leg, OutboundLeg sipLeg, boolean continueOnPeerHangup) {
        PbxCore core = caller.core;
        Bridge bridge = new Bridge(true);
        core.locked(() -> {
            leg.state = 6;
            core.publish(AmiEvents.channelEvent("Newstate", "call,all", leg));
            leg.exten = "";
            core.publish(AmiEvents.dial("DialEnd", caller, leg, "DialStatus", "ANSWER"));
            caller.setVar("DIALSTATUS", "ANSWER");
            core.publish(AmiEvents.bridge("BridgeCreate", bridge, 0).build());
            core.publish(AmiEvents.newexten(leg, "AppDial", "(Outgoing Line)"));
            bridge.channels.add(leg);
            leg.bridge = bridge;
            core.publish(AmiEvents.bridgeChannel("BridgeEnter", bridge, 1, leg));
            bridge.channels.add(caller);
            caller.bridge = bridge;
            core.publish(AmiEvents.bridgeChannel("BridgeEnter", bridge, 2, caller));
            bridge.technology = "native_rtp";
        });
        for (MediaObserver o : core.observers) {
            o.bridged(caller.sipCallId(), leg.name);
        }
        while (true) {
            Signal s = caller.await(Long.MAX_VALUE);
            if (caller.hangupPending) {
                // caller hung up (trace 03): caller leaves, soft hang-up, agent leaves, bridge goes; the agent leg
                // is hung up right after the caller's own Hangup event
                core.locked(() -> {
                    bridge.channels.remove(caller);
                    core.publish(AmiEvents.bridgeChannel("BridgeLeave", bridge, 1, caller));
                    if (!caller.softHangupReported) {
                        core.publish(AmiEvents.hangupRequest(caller, true, 16));
                        caller.softHangupReported = true;
                    }
                    bridge.channels.remove(leg);
                    core.publish(AmiEvents.bridgeChannel("BridgeLeave", bridge, 0, leg));
                    core.publish(AmiEvents.bridge("BridgeDestroy", bridge, 0).build());
                    caller.bridge = null;
                    leg.bridge = null;
                    if (caller.hangupCause == 0) {
                        caller.hangupCause = 16;
                    }
                    caller.afterHangup = () -> endLeg(leg, 16, null);
                });
                return Applications.HANGUP;
            }
            if (caller.interrupted()) {
                // redirected while talking: the agent's leg is hung up, the caller goes where it was sent
                core.locked(() -> {
                    unbridge(caller, leg, bridge, caller);
                    endLeg(leg, 16, null);
                });
                return Applications.INTERRUPTED;
            }
            if (s instanceof Signal.Leg l && l.leg() == leg && l.event() == LegEvent.HUNG_UP) {
                core.locked(() -> {
                    unbridge(caller, leg, bridge, leg);
                    leg.remoteGone = true;
                    // the agent's BYE (code 0) clears normally; an AMI Hangup gives its own cause
                    endLeg(leg, l.code() > 0 ? l.code() : 16, null);
                    caller.hangupCause = 16;
                });
                return continueOnPeerHangup ? Applications.NEXT : Applications.HANGUP;
            }
        }
    }

    /** DialEnd's status for a leg that hung up with {@code cause} before answering (ast_hangup_cause_to_dial_status). */
    static String dialEndStatus(int cause) {
        return switch (cause) {
            case 17 -> "BUSY";
            case 34 -> "CONGESTION";
            case 3, 20 -> "CHANUNAVAIL";
            default -> "NOANSWER";
        };
    }

    /**
     * DIALSTATUS once the only leg hung up with {@code cause} before answering: app_dial counts the cause as busy,
     * congestion or "no channel", except no-answer and normal clearing, which leave it at NOANSWER.
     */
    static String dialStatus(int cause) {
        return switch (cause) {
            case 17 -> "BUSY";
            case 34 -> "CONGESTION";
            case 16, 19 -> "NOANSWER";
            default -> "CHANUNAVAIL";
        };
    }

    /** Both leave the bridge, {@code first} first, and the bridge is destroyed. Lock held. */
    private static void unbridge(SimChannel caller, SimChannel leg, Bridge bridge, SimChannel first) {
        PbxCore core = caller.core;
        SimChannel second = first == caller ? leg : caller;
        bridge.channels.remove(first);
        core.publish(AmiEvents.bridgeChannel("BridgeLeave", bridge, 1, first));
        bridge.channels.remove(second);
        core.publish(AmiEvents.bridgeChannel("BridgeLeave", bridge, 0, second));
        core.publish(AmiEvents.bridge("BridgeDestroy", bridge, 0).build());
        caller.bridge = null;
        leg.bridge = null;
    }

    /** Publishes the leg's Hangup, sends BYE/CANCEL if its phone is still there, and forgets it. Lock held. */
    static void endLeg(SimChannel leg, int cause, String techCause) {
        if (leg.hungUp) {
            return;
        }
        leg.hangupCause = cause;
        if (techCause != null) {
            leg.techCause = techCause;
        }
        leg.core.publish(AmiEvents.hangup(leg));
        leg.hungUp = true;
        leg.core.remove(leg);
        OutboundLeg sip = leg.outbound;
        if (!leg.remoteGone && sip != null) {
            // a SIP send under the PBX lock: safe because legs release their own lock before calling listeners
            sip.hangup();
        }
    }

    /** Turns SIP progress of the agent's leg into signals for the dialling channel's thread. */
    private static final class LegListener implements OutboundLegListener {
        private final SimChannel caller;
        private final SimChannel leg;

        LegListener(SimChannel caller, SimChannel leg) {
            this.caller = caller;
            this.leg = leg;
        }

        @Override
        public void onRinging() {
            caller.post(new Signal.Leg(leg, LegEvent.RINGING, 180));
        }

        @Override
        public void onAnswered() {
            caller.post(new Signal.Leg(leg, LegEvent.ANSWERED, 200));
        }

        @Override
        public void onRejected(int statusCode) {
            caller.post(new Signal.Leg(leg, LegEvent.REJECTED, statusCode));
        }

        @Override
        public void onFailed(String reason) {
            caller.post(new Signal.Leg(leg, LegEvent.FAILED, 0));
        }

        @Override
        public void onRemoteHangup() {
            // the agent's BYE: HangupRequest at once (trace 01), the dialling thread does the rest
            PbxCore core = leg.core;
            core.locked(() -> {
                if (!leg.hungUp) {
                    leg.remoteGone = true;
                    core.publish(AmiEvents.hangupRequest(leg, false, 16));
                }
            });
            caller.post(new Signal.Leg(leg, LegEvent.HUNG_UP, 0));
        }
    }
}
