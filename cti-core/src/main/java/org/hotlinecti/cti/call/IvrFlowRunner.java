package org.hotlinecti.cti.call;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.SurveyFlow;

/**
 * Runs the inbound IVR flow of one caller and says how it ended. {@link HotlineIvr} turns the outcome into what the
 * PBX does next (queue, voicemail hang-up, transfer, hang-up after a notice) and what the ticket records.
 *
 * <p>The implementation is {@link FlowInterpreterRunner}: the YAML flows, business calendar and line modes of
 * {@code ivr-flows}. Tests script their own.
 *
 * <p>Contract: returns at once; the stage completes when the flow is over and must not fail because the caller hung
 * up (that is {@link IvrOutcome.CallerHungUp}); a flow that records voicemail names the file relative to the PBX's
 * recording directory, as {@link Channel#record} says. The flow must not hang the caller up itself for a voicemail or
 * a notice: the dialplan does, once the AGI session ends.
 */
@FunctionalInterface
public interface IvrFlowRunner {

    /**
     * Runs the flow for a caller on {@code line}.
     *
     * @param channel the caller, over FastAGI
     * @param call    the call as the FastAGI session introduced it (Linkedid, caller number, dialled number)
     * @param line    the line serving the dialled number
     */
    CompletionStage<IvrOutcome> run(Channel channel, AgiCall call, DepartmentLine line);

    /**
     * Runs the post-call satisfaction survey for a caller whose agent hung up first: 5 非常满意 … 1 非常不满意, empty
     * for no (valid) answer. Never fails for a caller hang-up. The default (for scripted runners in tests) is the
     * fixed {@link SurveyFlow} with an 8 s timeout; {@link FlowInterpreterRunner} runs the {@code survey} flow.
     *
     * @param line the line the caller dialled
     */
    default CompletionStage<Optional<Integer>> survey(Channel channel, AgiCall call, DepartmentLine line) {
        return new SurveyFlow(Duration.ofSeconds(8)).run(channel);
    }
}
