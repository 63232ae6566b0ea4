package org.hotlinecti.cti.call;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.LineDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the IVR flows to FastAGI sessions and reports their outcome to the call model.
 *
 * <p>What happens after the flow is said to the dialplan with channel variables set before the AGI session ends
 * (see {@code deploy/asterisk/extensions.conf}, context {@code from-trunk}): {@code CTI_NEXT} is empty for a queued
 * caller (the dialplan goes on to the wait context), {@code hangup} after a voicemail or a notice, {@code transfer}
 * for a transfer without fallback (context {@code hotline-transfer}) and {@code subcentre} for one that falls back to
 * the 12345 pool (context {@code hotline-subcentre}: a sub-centre, or an emergency number whose flow gives a
 * fallback), and {@code threeparty} for an outside number with {@code three_party} (context {@code hotline-threeparty}:
 * the caller waits in a conference the CTI rings the number and then an agent into, see {@link ThreePartyTransfers});
 * transfers also set {@code CTI_TRANSFER_NUMBER}, {@code CTI_TRANSFER_TIMEOUT} (seconds) and, for a
 * sub-centre with a trunk of its own, {@code CTI_TRANSFER_TRUNK}. Telling the dialplan rather than redirecting
 * over AMI keeps the caller out of a Redirect-during-AGI, which Asterisk holds until the session ends anyway.
 */
public final class HotlineIvr implements IvrSessions {

    private static final Logger LOG = LoggerFactory.getLogger(HotlineIvr.class);

    private final LineDirectory lines;
    private final CallService calls;
    private final IvrFlowRunner runner;
    private final String recordingDir;
    private volatile IvrFlowRunner queueVoicemail;

    /**
     * @param runner       runs the inbound flow and the survey of each caller (the YAML flows:
     *                     {@link FlowInterpreterRunner})
     * @param recordingDir the PBX's recording directory (absolute, as the PBX sees it): a flow's recording names
     *                     are relative to it
     */
    public HotlineIvr(LineDirectory lines, CallService calls, IvrFlowRunner runner, String recordingDir) {
        this.lines = lines;
        this.calls = calls;
        this.runner = runner;
        this.recordingDir = recordingDir.endsWith("/") ? recordingDir.substring(0, recordingDir.length() - 1)
                : recordingDir;
    }

    @Override
    public CompletionStage<Void> inbound(Channel channel, AgiCall call) {
        DepartmentLine line = lines.serving(call.dialledNumber());
        calls.ivrStarted(call, line);
        return runner.run(new RecordingRootChannel(channel, recordingDir), call, line)
                .thenCompose(outcome -> settle(channel, call, outcome));
    }

    /** Tells the dialplan and the call model what the flow decided. */
    private CompletionStage<Void> settle(Channel channel, AgiCall call, IvrOutcome outcome) {
        if (outcome instanceof IvrOutcome.Route route) {
            calls.routeRequested(call, route.request());
            return done();
        }
        if (outcome instanceof IvrOutcome.Voicemail voicemail) {
            return next(channel, "hangup").whenComplete((ok, e) -> calls.voicemailLeft(call, voicemail));
        }
        if (outcome instanceof IvrOutcome.Transfer transfer) {
            long seconds = Math.max(1, transfer.answerTimeout().toSeconds());
            CompletionStage<Void> set = channel.setVariable("CTI_TRANSFER_NUMBER", transfer.number())
                    .thenCompose(x -> channel.setVariable("CTI_TRANSFER_TIMEOUT", String.valueOf(seconds)));
            if (transfer.trunk().isPresent()) {
                // without it the dialplan dials over its CTI_DEFAULT_TRUNK (the carrier)
                set = set.thenCompose(x -> channel.setVariable("CTI_TRANSFER_TRUNK", transfer.trunk().get()));
            }
            return ignoringHangUp(set.thenCompose(x -> channel.setVariable("CTI_NEXT",
                            ThreePartyTransfers.isThreeParty(transfer) ? "threeparty"
                                    : transfer.fallback().isPresent() ? "subcentre" : "transfer")))
                    .whenComplete((ok, e) -> calls.transferRequested(call, transfer));
        }
        if (outcome instanceof IvrOutcome.Ended ended) {
            return next(channel, "hangup").whenComplete((ok, e) -> calls.ivrEnded(call, ended));
        }
        calls.ivrAbandoned(call, outcome.ivrPath());
        return done();
    }

    private static CompletionStage<Void> next(Channel channel, String what) {
        return ignoringHangUp(channel.setVariable("CTI_NEXT", what));
    }

    /** A caller who hung up meanwhile needs no instructions; the outcome is still reported. */
    private static CompletionStage<Void> ignoringHangUp(CompletionStage<Void> stage) {
        return stage.exceptionally(failure -> {
            LOG.debug("could not tell the dialplan the IVR's outcome: {}", failure.toString());
            return null;
        });
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Enables {@code agi://.../voicemail}, the queue's voicemail exit, with this flow (e.g. {@link QueueVoicemailFlow});
     * call before the FastAGI server starts. Returns this.
     */
    public HotlineIvr withQueueVoicemail(IvrFlowRunner flow) {
        this.queueVoicemail = flow;
        return this;
    }

    @Override
    public CompletionStage<Void> voicemail(Channel channel, AgiCall call) {
        IvrFlowRunner flow = queueVoicemail;
        if (flow == null) {
            return IvrSessions.super.voicemail(channel, call);
        }
        // the CTI names the line when it redirects the caller here (CTI_LINE); the DNID is the fallback
        String number = call.arguments().getOrDefault("line", "");
        DepartmentLine line = lines.serving(number.isBlank() ? call.dialledNumber() : number);
        return flow.run(new RecordingRootChannel(channel, recordingDir), call, line)
                .thenCompose(outcome -> settle(channel, call, outcome));
    }

    @Override
    public CompletionStage<Void> callback(Channel channel, AgiCall call) {
        return QueueCallbackSession.run(channel, call, calls);
    }

    @Override
    public CompletionStage<Void> survey(Channel channel, AgiCall call) {
        calls.surveyStarted(call);
        return runner.survey(channel, call, lines.serving(call.dialledNumber()))
                .thenAccept(score -> calls.surveyAnswered(call, score));
    }
}
