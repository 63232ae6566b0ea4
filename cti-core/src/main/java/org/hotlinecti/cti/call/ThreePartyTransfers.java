package org.hotlinecti.cti.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.hotlinecti.acd.OfferFailure;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallEventKind;
import org.hotlinecti.cti.ticket.ledger.CallLedger;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.RoutingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three-party (三方通话) emergency transfers: the caller, the outside number (110/119/120) and a 12345 agent in one
 * conference. {@link CallService} delegates to it on its call loop for calls whose IVR asked for a transfer with
 * {@code three_party}; everything here runs on that loop.
 *
 * <p>The PBX side (deploy/asterisk/extensions.conf, confbridge.conf):
 * <ol>
 *   <li>The IVR sets {@code CTI_NEXT=threeparty}; the dialplan puts the caller into ConfBridge
 *       {@code hotline-<Linkedid>} (context {@value #CALLER_CONTEXT}) as the conference's marked user.</li>
 *   <li>The CTI originates the outside number into the same conference ({@value #CONFERENCE_CONTEXT},
 *       exten = the caller's Linkedid) with the caller's number as caller ID. No answer, busy, unreachable: the caller is
 *       redirected out of the conference to the wait context, where it is queued as the transfer's fallback says
 *       (exactly as a failed blind transfer), or, without a fallback, to {@value #CALLER_CONTEXT},{@value #FAILED_EXTEN}
 *       (notice, hang-up).</li>
 *   <li>Once the outside number answered, the call is queued with the fallback's route; the agent it is offered to is
 *       originated into the conference instead of the caller being redirected to the agent. The agent's answer is the
 *       call's answer (screen-pop, talking); a failed ring is the agent's failed offer and the call stays queued. No
 *       agent: caller and far end talk on (the attempt degrades to a transfer).</li>
 *   <li>The caller leaving ends the conference for everyone (end_marked); when the others have all left, the CTI
 *       hangs the caller up.</li>
 * </ol>
 * The ticket: disposition transferred, handled_by external, the transfer target, end stage transfer (talking once an
 * agent joined), the agent when one joined, and the
 * IVR path steps {@code threeparty:<number>}, {@code threeparty:agent <id> joined} or {@code threeparty:no agent
 * joined}.
 */
final class ThreePartyTransfers {

    private static final Logger LOG = LoggerFactory.getLogger(ThreePartyTransfers.class);

    /** Where the dialplan puts the caller in its conference; {@value #FAILED_EXTEN} there plays the notice. */
    static final String CALLER_CONTEXT = "hotline-threeparty";
    /** Extension of {@value #CALLER_CONTEXT} for a failed attempt without fallback: notice, then hang-up. */
    static final String FAILED_EXTEN = "failed";
    /** Where originated legs (far end, agent) join the conference named by their extension (the caller's Linkedid). */
    static final String CONFERENCE_CONTEXT = "hotline-conference";
    /** The carrier trunk endpoint when the transfer names none (the dialplan global CTI_DEFAULT_TRUNK). */
    static final String DEFAULT_TRUNK = "trunk";
    /** Uniqueids the CTI gives the legs it originates: {@code cti-3p-<caller Linkedid>-<role>}. */
    static final String LEG_ID_PREFIX = "cti-3p-";
    private static final String FAR_ROLE = "far";
    private static final String AGENT_ROLE = "agent";

    /** What the call service does for the attempt; all on the call loop. */
    interface Host {
        /** The call still followed under this Linkedid, or null once it ended. */
        ActiveCall call(String linkedId);

        /** Runs on the call loop. */
        void post(Runnable task);

        /** Queues the call in the ACD with the route already set on it. */
        void enqueue(ActiveCall call);

        /** Whether {@code agentId} is still the call's current offer, attempt {@code attempt}. */
        boolean stillOffered(ActiveCall call, String agentId, int attempt);

        /** The offered agent answered on {@code leg}: the call is answered (screen-pop, talking). */
        void agentAnswered(ActiveCall call, ChannelRef leg);

        /** The offer to the agent came to nothing; {@code failure} null: withdrawn, not the agent's fault. */
        void offerFailed(ActiveCall call, String agentId, OfferFailure failure);
    }

    /** The attempt's state, on {@link ActiveCall#threeParty}. */
    static final class Attempt {
        final String number;
        final String trunk;
        final Duration answerTimeout;
        String farLegName;
        boolean farAnswered;
        boolean farGone;
        String agentLegName;
        String agentLegId;
        String joinedAgent;
        boolean agentGone;
        boolean failed;

        Attempt(String number, String trunk, Duration answerTimeout) {
            this.number = number;
            this.trunk = trunk;
            this.answerTimeout = answerTimeout;
        }
    }

    private final Host host;
    private final PbxControl pbx;
    private final Clock clock;
    private final Supplier<CallLedger> ledger;
    private final String waitContext;
    private final Duration ringTimeout;

    ThreePartyTransfers(Host host, PbxControl pbx, Clock clock, Supplier<CallLedger> ledger, String waitContext,
            Duration ringTimeout) {
        this.host = host;
        this.pbx = pbx;
        this.clock = clock;
        this.ledger = ledger;
        this.waitContext = waitContext;
        this.ringTimeout = ringTimeout;
    }

    /** Whether the IVR's transfer is a three-party attempt (only outside numbers; a sub-centre is a plain transfer). */
    static boolean isThreeParty(IvrOutcome.Transfer transfer) {
        return transfer.threeParty() && transfer.kind() == IvrOutcome.TransferKind.EXTERNAL;
    }

    /** Whether the channel is a leg the CTI originated for an attempt (it is never a call of its own). */
    static boolean isOwnLeg(ChannelRef channel) {
        return channel.uniqueId().startsWith(LEG_ID_PREFIX);
    }

    /** The conference a call's attempt uses, as the dialplan names it from the caller's Linkedid. */
    static String conferenceOf(ActiveCall call) {
        return "hotline-" + call.linkedId;
    }

    /**
     * The IVR asked for a three-party transfer (after {@link IvrOutcomeTracking#transferRequested}): the dialplan is
     * taking the caller into its conference; the outside number is rung into it now, so that it rings while the
     * caller's AGI session closes.
     */
    void requested(ActiveCall call, IvrOutcome.Transfer transfer) {
        Attempt attempt = new Attempt(transfer.number(), transfer.trunk().orElse(DEFAULT_TRUNK),
                transfer.answerTimeout());
        call.threeParty = attempt;
        call.addPath("threeparty:" + transfer.number());
        record(call, CallEventKind.TRANSFERRED, null, "target", transfer.number(), "mode", "three_party", "step",
                "dialling");
        String linkedId = call.linkedId;
        OriginateRequest request = new OriginateRequest("PJSIP/" + attempt.number + "@" + attempt.trunk,
                CONFERENCE_CONTEXT, linkedId, attempt.answerTimeout, call.callerNumber,
                legId(linkedId, FAR_ROLE), Map.of());
        LOG.info("call {}: three-party attempt, ringing {} into conference {}", linkedId, attempt.number,
                conferenceOf(call));
        originate(request, (result, failure) -> farEndOutcome(linkedId, result, failure));
    }

    /** A leg the CTI originated appeared (Newchannel): its name lets the CTI hang it up while it still rings. */
    void legCreated(ChannelRef leg) {
        String id = leg.uniqueId();
        int dash = id.lastIndexOf('-');
        if (dash <= LEG_ID_PREFIX.length()) {
            return;
        }
        ActiveCall call = host.call(id.substring(LEG_ID_PREFIX.length(), dash));
        if (call == null || call.threeParty == null) {
            return;
        }
        if (id.equals(legId(call.linkedId, FAR_ROLE))) {
            call.threeParty.farLegName = leg.name();
        } else if (id.equals(call.threeParty.agentLegId)) {
            call.threeParty.agentLegName = leg.name();
        }
    }

    private void farEndOutcome(String linkedId, OriginateResult result, Throwable failure) {
        ActiveCall call = host.call(linkedId);
        if (call == null || call.threeParty == null) {
            if (result != null && result.answered()) {
                LOG.info("call {} ended while {} was ringing; hanging up its leg", linkedId, result.channel());
                hangup(result.channel());
            }
            return;
        }
        Attempt attempt = call.threeParty;
        Instant now = clock.instant();
        if (result != null && result.answered()) {
            attempt.farAnswered = true;
            attempt.farLegName = result.channel();
            call.transferLeg = new ChannelRef(result.channel(), legId(linkedId, FAR_ROLE), linkedId);
            call.transferAnsweredAt = now;
            call.transferHandledBy = CallSummary.HANDLED_BY_EXTERNAL;
            call.ivrDisposition = Disposition.TRANSFERRED;
            call.addPath("transfer:" + attempt.number + " answered");
            record(call, CallEventKind.TRANSFERRED, null, "target", attempt.number, "mode", "three_party", "step",
                    "answered");
            LOG.info("call {}: {} answered and is in the conference with the caller", linkedId, attempt.number);
            queueForAgent(call, now);
            return;
        }
        String status = result != null ? result.status() : "chanunavail";
        if (failure != null) {
            LOG.warn("call {}: the three-party call to {} could not be placed: {}", linkedId, attempt.number,
                    failure.getMessage());
            if (attempt.farLegName != null) {
                // its outcome is unknown (AMI lost): a leg answering later would sit in a conference the caller left
                hangup(attempt.farLegName);
            }
        }
        attempt.failed = true;
        call.addPath("transfer:" + attempt.number + " " + status);
        record(call, CallEventKind.TRANSFERRED, null, "target", attempt.number, "mode", "three_party", "step",
                "failed", "status", status);
        if (call.callerChannel == null) {
            return;
        }
        if (call.transferFallback != null) {
            // on music in the wait context the caller is queued as the fallback says (IvrOutcomeTracking#fallBack)
            LOG.info("call {}: {} did not answer ({}); the caller leaves the conference for the 12345 pool", linkedId,
                    attempt.number, status);
            redirect(call, waitContext, "s");
        } else {
            LOG.info("call {}: {} did not answer ({}) and there is no fallback; the caller hears the notice",
                    linkedId, attempt.number, status);
            call.ivrDisposition = Disposition.FAILED;
            if (call.endedBy == null) {
                call.endedBy = "system";
            }
            redirect(call, CALLER_CONTEXT, FAILED_EXTEN);
        }
    }

    /** The far end is in: the centre joins as the third party through the ACD, with the fallback's route. */
    private void queueForAgent(ActiveCall call, Instant now) {
        RoutingRequest route = call.transferFallback;
        if (route == null) {
            LOG.info("call {}: the transfer has no route to the 12345 pool; caller and {} talk on their own",
                    call.linkedId, call.threeParty.number);
            return;
        }
        call.line = route.line();
        call.skill = route.skill();
        call.minLevel = route.minLevel();
        call.priority = route.priority();
        call.routeRequested = true;
        call.queuedAt = now;
        call.addPath("threeparty:queue:" + route.skill());
        host.enqueue(call);
    }

    /**
     * The ACD offered the call to an agent: the agent's phone is rung into the conference. Returns false when the
     * call is not a three-party call in conference (the normal Redirect applies).
     */
    boolean offer(ActiveCall call, String agentId, int offerAttempt, String extension) {
        Attempt attempt = call.threeParty;
        if (attempt == null || !attempt.farAnswered) {
            return false;
        }
        String linkedId = call.linkedId;
        attempt.agentLegId = legId(linkedId, AGENT_ROLE + offerAttempt);
        attempt.agentLegName = null;
        OriginateRequest request = new OriginateRequest("PJSIP/agent" + extension, CONFERENCE_CONTEXT, linkedId,
                ringTimeout, call.callerNumber, attempt.agentLegId, Map.of());
        LOG.info("call {}: ringing agent {} into the three-party conference", linkedId, agentId);
        originate(request, (result, failure) -> agentOutcome(linkedId, agentId, offerAttempt, result, failure));
        return true;
    }

    private void agentOutcome(String linkedId, String agentId, int offerAttempt, OriginateResult result,
            Throwable failure) {
        ActiveCall call = host.call(linkedId);
        if (call == null || call.threeParty == null || !host.stillOffered(call, agentId, offerAttempt)) {
            if (result != null && result.answered()) {
                LOG.info("agent {} answered for call {}, which no longer wants them; hanging up", agentId, linkedId);
                hangup(result.channel());
            }
            return;
        }
        Attempt attempt = call.threeParty;
        if (result != null && result.answered()) {
            attempt.joinedAgent = agentId;
            attempt.agentLegName = result.channel();
            ChannelRef leg = new ChannelRef(result.channel(), attempt.agentLegId, linkedId);
            host.agentAnswered(call, leg);
            call.addPath("threeparty:agent " + agentId + " joined");
            return;
        }
        attempt.agentLegId = null;
        if (failure != null) {
            LOG.warn("call {}: could not ring agent {} into the conference: {}", linkedId, agentId,
                    failure.getMessage());
            host.offerFailed(call, agentId, null);
            return;
        }
        host.offerFailed(call, agentId, switch (result.reason()) {
            case OriginateResult.REASON_NO_ANSWER -> OfferFailure.NO_ANSWER;
            case OriginateResult.REASON_BUSY -> OfferFailure.BUSY;
            default -> OfferFailure.UNREACHABLE;
        });
    }

    /**
     * The queue let the call go (max wait, closed) while caller and far end talk: no agent joins; nobody is
     * redirected (the caller stays in its conference).
     */
    void queueExited(ActiveCall call) {
        call.queued = false;
        call.addPath("threeparty:no agent joined");
        LOG.info("call {}: no agent joined the three-party conference before the queue let it go", call.linkedId);
    }

    /**
     * A channel other than the caller's asked to hang up or hung up. When the far end and the agent have all left, the
     * caller would sit alone in the conference: the CTI hangs it up, ended by whoever left last.
     */
    void legGone(ActiveCall call, ChannelRef leg) {
        Attempt attempt = call.threeParty;
        String id = leg.uniqueId();
        String endedBy;
        if (id.equals(legId(call.linkedId, FAR_ROLE))) {
            if (attempt.farGone || !attempt.farAnswered) {
                return;
            }
            attempt.farGone = true;
            endedBy = "external";
        } else if (attempt.joinedAgent != null && id.equals(attempt.agentLegId)) {
            if (attempt.agentGone) {
                return;
            }
            attempt.agentGone = true;
            endedBy = "agent";
        } else {
            return;
        }
        boolean agentIn = attempt.joinedAgent != null && !attempt.agentGone;
        boolean farIn = attempt.farAnswered && !attempt.farGone;
        if (!agentIn && !farIn && call.callerChannel != null) {
            if (call.endedBy == null) {
                call.endedBy = endedBy;
            }
            LOG.info("call {}: everyone else left the three-party conference; hanging up the caller", call.linkedId);
            hangup(call.callerChannel.name());
        }
    }

    /** The call ended (the caller's channel is gone): legs still ringing are hung up; the ticket says who joined. */
    void callEnded(ActiveCall call) {
        Attempt attempt = call.threeParty;
        if (attempt.farAnswered && attempt.joinedAgent == null) {
            call.addPath("threeparty:no agent joined");
        }
        record(call, CallEventKind.TRANSFERRED, attempt.joinedAgent, "target", attempt.number, "mode", "three_party",
                "step", "ended", "agent_joined", String.valueOf(attempt.joinedAgent != null));
        if (!attempt.farAnswered && !attempt.failed && attempt.farLegName != null) {
            hangup(attempt.farLegName);
        }
        if (attempt.agentLegId != null && attempt.joinedAgent == null && attempt.agentLegName != null) {
            hangup(attempt.agentLegName);
        }
    }

    private void originate(OriginateRequest request,
            java.util.function.BiConsumer<OriginateResult, Throwable> onLoop) {
        try {
            pbx.originate(request).whenComplete((result, failure) -> host.post(() -> onLoop.accept(result,
                    failure == null ? null : unwrap(failure))));
        } catch (RuntimeException e) {
            onLoop.accept(null, e);
        }
    }

    private void redirect(ActiveCall call, String context, String exten) {
        String linkedId = call.linkedId;
        try {
            pbx.redirect(call.callerChannel.name(), context, exten, Map.of()).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warn("call {}: could not take the caller out of the conference to {},{}: {}", linkedId,
                            context, exten, unwrap(failure).getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("call {}: could not take the caller out of the conference: {}", linkedId, e.getMessage());
        }
    }

    private void hangup(String channel) {
        try {
            pbx.hangup(channel, 16).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.debug("hang-up of {} refused (already gone?): {}", channel, unwrap(failure).getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not hang up {}: {}", channel, e.getMessage());
        }
    }

    private void record(ActiveCall call, CallEventKind kind, String agent, String... details) {
        ledger.get().record(CallEvent.of(call.linkedId, kind, clock.instant(), agent, call.skill,
                CallEvent.details(details)));
        LOG.debug("call {} from {}: {} {}", call.linkedId, PhoneNumbers.mask(call.callerNumber), kind,
                String.join(",", details));
    }

    private static String legId(String linkedId, String role) {
        return LEG_ID_PREFIX + linkedId + "-" + role;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
