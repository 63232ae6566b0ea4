package org.hotlinecti.cti.call;

import java.time.Instant;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.RecordingResult;
import org.hotlinecti.ivr.RoutingRequest;

/**
 * What the call model does with IVR outcomes other than a route: voicemail, transfer to a number outside the centre
 * (with or without a fallback to the 12345 pool), and calls the IVR ended after a notice. {@link CallService} calls
 * these on its call loop; they only change the {@link ActiveCall}, so that the call's one ticket says what happened.
 *
 * <p>The transfer's PBX side (deploy/asterisk/extensions.conf): the caller's channel dials the far end from context
 * {@code hotline-transfer} or {@code hotline-subcentre}; DialBegin/DialEnd of that dial carry the caller's Linkedid.
 * ANSWER means the far end took the call. Any other status on a transfer with a fallback sends the caller to the wait
 * context, where its MusicOnHoldStart queues it for the fallback; without a fallback the dialplan plays a notice and
 * hangs up.
 */
final class IvrOutcomeTracking {

    private IvrOutcomeTracking() {
    }

    static void voicemail(ActiveCall call, IvrOutcome.Voicemail voicemail) {
        voicemail.ivrPath().forEach(call::addPath);
        RecordingResult r = voicemail.recording();
        call.ivrDisposition = Disposition.VOICEMAIL;
        call.recording = r.file() + "." + r.format();
        call.stage = CallStage.IVR;
        if (r.endedBy() != RecordingResult.End.CALLER_HUNG_UP && call.endedBy == null) {
            // the dialplan hangs up after the recording: the centre ended the call
            call.endedBy = "system";
        }
    }

    static void ended(ActiveCall call, IvrOutcome.Ended ended) {
        ended.ivrPath().forEach(call::addPath);
        call.ivrDisposition = Disposition.ENDED_BY_IVR;
        call.stage = CallStage.IVR;
        if (call.endedBy == null) {
            call.endedBy = "system";
        }
    }

    static void transferRequested(ActiveCall call, IvrOutcome.Transfer transfer) {
        transfer.ivrPath().forEach(call::addPath);
        call.transferTarget = transfer.number();
        call.transferFallback = transfer.fallback().orElse(null);
        call.transferToSubCentre = transfer.kind() == IvrOutcome.TransferKind.SUB_CENTRE;
        call.stage = CallStage.TRANSFER;
    }

    /** Whether this dial is the call's transfer (then it is handled here). */
    static boolean dialStarted(ActiveCall call, PbxEvent.DialStarted e) {
        if (!isTransferDial(call)) {
            return false;
        }
        call.transferLeg = e.dest();
        return true;
    }

    /** Whether this dial end is the call's transfer (then it is handled here). */
    static boolean dialEnded(ActiveCall call, PbxEvent.DialEnded e, Instant now) {
        if (!isTransferDial(call)) {
            return false;
        }
        if ("ANSWER".equals(e.dialStatus())) {
            call.transferAnsweredAt = now;
            call.transferHandledBy = call.transferToSubCentre ? CallSummary.HANDLED_BY_SUB_CENTRE
                    : CallSummary.HANDLED_BY_EXTERNAL;
            call.ivrDisposition = Disposition.TRANSFERRED;
            call.addPath("transfer:" + call.transferTarget + " answered");
        } else {
            call.addPath("transfer:" + call.transferTarget + " " + e.dialStatus().toLowerCase(java.util.Locale.ROOT));
            if (call.transferFallback == null && !"CANCEL".equals(e.dialStatus())) {
                // the dialplan tells the caller and hangs up: the centre could not serve the call
                call.ivrDisposition = Disposition.FAILED;
                call.endedBy = call.endedBy == null ? "system" : call.endedBy;
            }
        }
        return true;
    }

    /**
     * The caller is on hold after a failed transfer with a fallback: the fallback becomes the call's routing
     * request. Its IVR path is the transfer's, already on the call. Returns whether it did (the caller then waits to be queued like any routed call).
     */
    static boolean fallBack(ActiveCall call, Instant now) {
        RoutingRequest fallback = call.transferFallback;
        if (fallback == null || call.routeRequested || call.transferAnsweredAt != null) {
            return false;
        }
        call.line = fallback.line();
        call.skill = fallback.skill();
        call.minLevel = fallback.minLevel();
        call.priority = fallback.priority();
        call.addPath("fallback:queue:" + fallback.skill());
        call.routeRequested = true;
        call.queuedAt = now;
        call.stage = CallStage.QUEUED;
        return true;
    }

    /** The far end of an answered transfer hung up first. */
    static boolean farEndHungUp(ActiveCall call, ChannelRef channel) {
        if (call.transferLeg == null || call.transferAnsweredAt == null
                || !call.transferLeg.uniqueId().equals(channel.uniqueId())) {
            return false;
        }
        call.endedBy = "external";
        return true;
    }

    /** A dial of the caller's channel while the call is transferring and not offered to an agent. */
    private static boolean isTransferDial(ActiveCall call) {
        return call.transferTarget != null && call.offeredAgent == null && !call.routeRequested;
    }
}
