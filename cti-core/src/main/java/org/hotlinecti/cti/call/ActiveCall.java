package org.hotlinecti.cti.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hotlinecti.acd.OfferFailure;
import org.hotlinecti.cti.api.ScreenPop;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.ivr.DepartmentLine;

/** A call the CTI is following, keyed by Linkedid. Confined to the call loop. */
final class ActiveCall {

    final String linkedId;
    final Instant startedAt;
    /** The AMI session (login count) in which the call was last known alive; see CallService#resynced. */
    int amiSession;
    ChannelRef callerChannel;
    String callerNumber = "";
    String dialled = "";
    DepartmentLine line;
    String skill;
    int minLevel = 1;
    int priority;
    final List<String> ivrPath = new ArrayList<>();
    CallStage stage = CallStage.IVR;

    boolean routeRequested;
    boolean queued;
    Instant queuedAt;
    /** Where the call left its queue without an agent (voicemail, callback); null while it may still be queued. */
    org.hotlinecti.acd.ExitTarget.Kind queueExit;

    /** The agent the call is offered to now (between the ACD's offer and its resolution), else null. */
    String offeredAgent;
    int offerAttempt;
    /** The offer waits for the AMI connection before its Redirect can be sent. */
    boolean connectPending;
    OfferFailure dialFailure;
    /** The dial to the offered agent ended with CANCEL while the caller stayed (not the agent's fault). */
    boolean dialCancelled;
    ChannelRef agentChannel;
    /** The caller's earlier tickets, fetched while the call waits, for the screen-pop. */
    List<ScreenPop.TicketBrief> history = List.of();

    String agent;
    Instant answeredAt;
    Instant talkEndedAt;
    String draftId;

    String endedBy;
    Integer surveyScore;

    /** Outcomes the IVR decided instead of a route (see {@link IvrOutcomeTracking}). */
    Disposition ivrDisposition;
    /** The voicemail, relative to the recording root, with extension. */
    String recording;
    String transferTarget;
    /** Who answered the transfer: {@code sub_centre} or {@code external}; null until the far end answered. */
    String transferHandledBy;
    /** Where the caller goes when the transfer fails; null for a transfer without fallback. */
    org.hotlinecti.ivr.RoutingRequest transferFallback;
    /** The transfer goes to the line's sub-centre (设分中心), not to an outside number such as 120. */
    boolean transferToSubCentre;
    ChannelRef transferLeg;
    Instant transferAnsweredAt;
    /** The three-party attempt (caller, far end and an agent in one conference), or null for other calls. */
    ThreePartyTransfers.Attempt threeParty;

    ActiveCall(String linkedId, Instant startedAt) {
        this.linkedId = linkedId;
        this.startedAt = startedAt;
    }

    void addPath(String step) {
        if (ivrPath.isEmpty() || !ivrPath.get(ivrPath.size() - 1).equals(step)) {
            ivrPath.add(step);
        }
    }

    CallSummary summarize(Instant endedAt) {
        // a three-party call the far end answered is a transfer, even when an agent joined the conference
        boolean threePartyTransfer = threeParty != null && transferAnsweredAt != null;
        Disposition disposition = threePartyTransfer ? Disposition.TRANSFERRED
                : answeredAt != null ? Disposition.ANSWERED
                : ivrDisposition != null ? ivrDisposition : Disposition.ABANDONED;
        Instant waitEnd = answeredAt != null ? answeredAt : endedAt;
        long wait = queuedAt == null ? 0 : Math.max(0, Duration.between(queuedAt, waitEnd).toSeconds());
        long talk = 0;
        if (answeredAt != null) {
            Instant end = talkEndedAt != null ? talkEndedAt : endedAt;
            talk = Math.max(0, Duration.between(answeredAt, end).toSeconds());
        }
        if (transferAnsweredAt != null) {
            talk = Math.max(0, Duration.between(transferAnsweredAt, endedAt).toSeconds());
        }
        boolean callback = disposition == Disposition.VOICEMAIL || (disposition == Disposition.ABANDONED
                && (stage == CallStage.QUEUED || stage == CallStage.RINGING));
        String handledBy = answeredAt != null && !threePartyTransfer ? CallSummary.HANDLED_BY_CENTRE
                : transferHandledBy;
        return new CallSummary(linkedId, draftId, callerNumber, dialled,
                line == null ? null : line.name(), line == null ? null : line.department(), skill, ivrPath,
                disposition, stage, endedBy == null ? "caller" : endedBy, agent, startedAt, queuedAt, answeredAt,
                endedAt, wait, talk, surveyScore, callback, recording, transferTarget, handledBy);
    }
}
