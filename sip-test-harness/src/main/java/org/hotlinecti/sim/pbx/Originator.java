package org.hotlinecti.sim.pbx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinecti.sim.pbx.SimChannel.LegEvent;
import org.hotlinecti.sim.pbx.SimChannel.Signal;
import org.hotlinecti.sim.pbx.SimChannel.Target;
import org.hotlinecti.sim.pbx.ami.AmiActionHandler;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.ami.AmiReplies;
import org.hotlinecti.sim.sip.OutboundLeg;
import org.hotlinecti.sim.sip.OutboundLegListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMI {@code Originate} action to a PJSIP endpoint ({@code PJSIP/<endpoint>}, or {@code PJSIP/<number>@<trunk>} for an
 * outside number as in Dial): rings it, and once it answers runs it in the given context
 * (or application), reporting {@code OriginateResponse} as Asterisk does (trace 08 for success, trace 10 for failures:
 * Reason 4 answered, 3 no answer, 5 busy, 0 failed).
 */
final class Originator {

    private static final Logger LOG = LoggerFactory.getLogger(Originator.class);
    private static final Pattern CALLER_ID = Pattern.compile("\\s*\"?([^\"<]*)\"?\\s*<([^>]*)>\\s*");

    private Originator() {
    }

    /**
     * Answers at once when the action is malformed or (async) queued; a synchronous Originate answers when the call
     * is answered or failed. Only an async Originate reports OriginateResponse, as in Asterisk.
     */
    static void originate(PbxCore core, AmiMessage action, AmiActionHandler.Reply reply) {
        String spec = action.getOrEmpty("Channel");
        if (spec.isEmpty()) {
            reply.send(AmiReplies.error("Channel not specified"));
            return;
        }
        String application = action.get("Application").orElse(null);
        String context = action.get("Context").orElse(null);
        String exten = action.get("Exten").orElse(null);
        if (application == null && exten == null) {
            reply.send(AmiReplies.error("Exten not specified"));
            return;
        }
        boolean async = action.get("Async").map(v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"))
                .orElse(false);
        Duration timeout = Duration.ofMillis(Long.parseLong(action.get("Timeout").orElse("30000").trim()));
        int slash = spec.indexOf('/');
        String resource = slash > 0 ? spec.substring(slash + 1) : spec;
        // PJSIP/<number>@<endpoint>: the number goes in the Request-URI towards the endpoint (a trunk), as in Dial
        int at = resource.indexOf('@');
        String number = at > 0 ? resource.substring(0, at) : null;
        String endpointName = at > 0 ? resource.substring(at + 1) : resource;
        Optional<SimEndpoint> endpoint = slash > 0 && spec.startsWith("PJSIP/") ? core.endpoint(endpointName)
                : Optional.empty();
        Optional<String> contact = endpoint.isEmpty() ? Optional.empty()
                : number == null ? core.sip.contactOf(endpointName) : core.outsideContact(endpointName, number);
        Request req = new Request(action, spec, resource, application, action.getOrEmpty("Data"),
                context == null ? "default" : context, exten, Integer.parseInt(action.get("Priority").orElse("1")),
                timeout, action.get("ActionID").orElse(null), number == null ? resource : number);

        if (endpoint.isEmpty() || contact.isEmpty()) {
            if (!async) {
                reply.send(AmiReplies.error("Originate failed"));
                return;
            }
            // the response first, then the failure (trace 10)
            core.locked(() -> {
                reply.send(AmiReplies.success("Originate successfully queued"));
                core.publish(response(req, null, false, 0));
            });
            return;
        }
        if (async) {
            // the response before the leg's Newchannel (traces 08, 10)
            reply.send(AmiReplies.success("Originate successfully queued"));
        }
        Thread t = new Thread(() -> ring(core, req, endpoint.get(), contact.get(), async ? null : reply),
                "originate-" + endpointName);
        t.setDaemon(true);
        t.start();
    }

    private record Request(AmiMessage action, String spec, String resource, String application, String data,
            String context, String exten, int priority, Duration timeout, String actionId, String dialled) {
    }

    private static void ring(PbxCore core, Request req, SimEndpoint endpoint, String contact,
            AmiActionHandler.Reply syncReply) {
        SimChannel[] holder = new SimChannel[1];
        String channelId = req.action().get("ChannelId").orElse(null);
        core.locked(() -> {
            SimChannel c = core.newChannel(endpoint, channelId, null);
            holder[0] = c;
            c.callerIdNum = endpoint.callerIdNum() == null ? "" : endpoint.callerIdNum();
            c.callerIdName = endpoint.callerIdName() == null ? "" : endpoint.callerIdName();
            c.context = endpoint.context();
            c.exten = "s";
            core.publish(AmiEvents.channelEvent("Newchannel", "call,all", c));
            core.publish(AmiEvents.newexten(c, "AppDial2", "(Outgoing Line)"));
            req.action().get("CallerID").ifPresent(cid -> {
                Matcher m = CALLER_ID.matcher(cid);
                if (m.matches()) {
                    c.callerIdName = m.group(1).trim();
                    c.callerIdNum = m.group(2).trim();
                } else {
                    c.callerIdNum = cid.trim();
                }
                core.publish(AmiEvents.channel(AmiEvents.event("NewCallerid", "call,all"), c, "")
                        .add("CID-CallingPres", "0 (Presentation Allowed, Not Screened)").build());
                // the given CallerID is also the leg's connected line; without one neither event comes (trace 10)
                c.connectedNum = c.callerIdNum;
                c.connectedName = c.callerIdName;
                core.publish(AmiEvents.channelEvent("NewConnectedLine", "call,all", c));
            });
            core.publish(AmiEvents.dial("DialBegin", null, c, "DialString", req.resource()));
            for (String v : variables(req.action())) {
                int eq = v.indexOf('=');
                if (eq > 0) {
                    c.setVar(v.substring(0, eq), v.substring(eq + 1));
                }
            }
        });
        SimChannel c = holder[0];
        OutboundLeg leg;
        try {
            leg = core.sip.dial(req.dialled(), contact, c.presentedCallerId(), new SelfListener(c));
        } catch (RuntimeException e) {
            // the INVITE could not even be sent (bad contact, closed endpoint): the channel is unavailable
            LOG.warn("Originate {}: cannot call {}: {}", req.spec(), contact, e.toString());
            c.remoteGone = true;
            fail(core, req, c, 0, 20, null, syncReply);
            return;
        }
        c.outbound = leg;
        long deadline = System.nanoTime() + req.timeout().toNanos();
        while (true) {
            Signal s = c.await(deadline);
            if (s == null || c.hangupPending) {
                leg.cancel();
                fail(core, req, c, 3, 19, "480", syncReply);
                return;
            }
            if (!(s instanceof Signal.Leg l)) {
                continue;
            }
            switch (l.event()) {
                case RINGING -> core.locked(() -> {
                    if (c.state != 5) {
                        c.state = 5;
                        core.publish(AmiEvents.channelEvent("Newstate", "call,all", c));
                        core.publish(AmiEvents.dial("DialState", null, c, "DialStatus", "RINGING"));
                    }
                });
                case ANSWERED -> {
                    core.locked(() -> {
                        // before OriginateResponse: a Bridge/Redirect/Hangup it prompts must find a running channel
                        c.hasRunner = true;
                        if (c.remoteGone) {
                            // an AMI Hangup crossed the answer (its HUNG_UP is queued behind): the thread ends it
                            c.hangupPending = true;
                        }
                        c.state = 6;
                        core.publish(AmiEvents.channelEvent("Newstate", "call,all", c));
                        if (syncReply == null) {
                            core.publish(response(req, c, true, 4));
                        }
                        core.publish(AmiEvents.dial("DialEnd", null, c, "DialStatus", "ANSWER"));
                    });
                    if (syncReply != null) {
                        syncReply.send(AmiReplies.success("Originate successfully queued"));
                    }
                    if (req.application() != null) {
                        ChannelRunner.startApplication(c, req.application(), req.data());
                    } else {
                        ChannelRunner.start(c, new Target(req.context(), req.exten(), req.priority(), null));
                    }
                    return;
                }
                case REJECTED -> {
                    c.remoteGone = true;
                    boolean busy = l.code() == 486 || l.code() == 600;
                    fail(core, req, c, busy ? 5 : 0, busy ? 17 : 21, String.valueOf(l.code()), syncReply);
                    return;
                }
                case FAILED -> {
                    c.remoteGone = true;
                    fail(core, req, c, 0, 20, null, syncReply);
                    return;
                }
                case HUNG_UP -> {
                    // an AMI Hangup while it rang (PbxActions#hangupDialLeg): Reason 1, "remote end hung up"
                    fail(core, req, c, 1, l.code() > 0 ? l.code() : 16, null, syncReply);
                    return;
                }
            }
        }
    }

    private static void fail(PbxCore core, Request req, SimChannel c, int reason, int cause, String techCause,
            AmiActionHandler.Reply syncReply) {
        core.locked(() -> {
            if (syncReply == null) {
                core.publish(response(req, null, false, reason));
            }
            c.hangupCause = cause;
            c.techCause = techCause;
            core.publish(AmiEvents.hangup(c));
            c.hungUp = true;
            core.remove(c);
        });
        if (syncReply != null) {
            syncReply.send(AmiReplies.error("Originate failed"));
        }
    }

    /** OriginateResponse; {@code c} null on failure (Uniqueid and CallerID then read {@code <unknown>}). */
    private static AmiMessage response(Request req, SimChannel c, boolean success, int reason) {
        AmiMessage.Builder b = AmiEvents.event("OriginateResponse", "call,all");
        if (req.actionId() != null) {
            b.add("ActionID", req.actionId());
        }
        b.add("Response", success ? "Success" : "Failure").add("Channel", c != null ? c.name : req.spec());
        if (req.application() != null) {
            b.add("Application", req.application()).add("Data", req.data());
        } else {
            b.add("Context", req.context()).add("Exten", req.exten());
        }
        return b.add("Reason", String.valueOf(reason))
                .add("Uniqueid", c != null ? c.uniqueId : "<unknown>")
                .add("CallerIDNum", c != null ? c.callerIdNum : "<unknown>")
                .add("CallerIDName", c != null ? c.callerIdName : "<unknown>")
                .build();
    }

    private static List<String> variables(AmiMessage action) {
        List<String> vars = new ArrayList<>();
        for (String v : action.getAll("Variable")) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    vars.add(part.trim());
                }
            }
        }
        return vars;
    }


    /** SIP progress of an originated leg, posted to its own inbox (it has no dialling channel). */
    private static final class SelfListener implements OutboundLegListener {
        private final SimChannel c;

        SelfListener(SimChannel c) {
            this.c = c;
        }

        @Override
        public void onRinging() {
            c.post(new Signal.Leg(c, LegEvent.RINGING, 180));
        }

        @Override
        public void onAnswered() {
            c.post(new Signal.Leg(c, LegEvent.ANSWERED, 200));
        }

        @Override
        public void onRejected(int statusCode) {
            c.post(new Signal.Leg(c, LegEvent.REJECTED, statusCode));
        }

        @Override
        public void onFailed(String reason) {
            c.post(new Signal.Leg(c, LegEvent.FAILED, 0));
        }

        @Override
        public void onRemoteHangup() {
            Applications.remoteHangup(c);
        }
    }
}
