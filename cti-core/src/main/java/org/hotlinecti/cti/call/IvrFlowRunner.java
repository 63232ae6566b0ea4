package org.hotlinecti.cti.call;

import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.InboundFlow;
import org.hotlinecti.ivr.IvrOutcome;

/**
 * Runs the inbound IVR flow of one caller and says how it ended. {@link HotlineIvr} turns the outcome into what the
 * PBX does next (queue, voicemail hang-up, transfer, hang-up after a notice) and what the ticket records.
 *
 * <p>Implementations: the walking skeleton's {@link InboundFlow} ({@link #walkingSkeleton()}), the interim
 * {@link LineModeFlowRunner} (closed lines, sub-centres, transfer keys from the line configuration), and the YAML flow
 * interpreter of {@code ivr-flows} once it lands.
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

    /** The walking skeleton's flow: welcome (with the line's optional menu keys), then queue. */
    static IvrFlowRunner walkingSkeleton() {
        InboundFlow flow = new InboundFlow();
        return (channel, call, line) -> flow.run(channel, line);
    }
}
