package org.hotlinecti.cti.call;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.flow.FlowInterpreter;
import org.hotlinecti.ivr.flow.IvrCall;
import org.hotlinecti.ivr.flow.IvrRegistry;
import org.hotlinecti.ivr.flow.VoicemailNaming;

/**
 * Runs the YAML flows of {@code ivr-flows} for a FastAGI caller: the line's flow (by its mode unless it names one),
 * the business calendar's hours, and the configuration in force in {@link IvrRegistry} (a reload applies to the next
 * caller). Never blocks; the stage does not fail for a caller hang-up.
 */
public final class FlowInterpreterRunner implements IvrFlowRunner {

    private final FlowInterpreter interpreter;

    /**
     * @param registry the IVR configuration in force
     * @param naming   names voicemail files relative to the PBX's recording directory
     */
    public FlowInterpreterRunner(IvrRegistry registry, VoicemailNaming naming) {
        this.interpreter = new FlowInterpreter(registry::current, naming);
    }

    /** Runs the flow of {@code line} for the caller; voicemails are named after the call's Linkedid. */
    @Override
    public CompletionStage<IvrOutcome> run(Channel channel, AgiCall call, DepartmentLine line) {
        return interpreter.run(channel, ivrCall(call, line));
    }

    /** Runs the configured {@code survey} flow: 5 非常满意 … 1 非常不满意, empty for no (valid) answer. */
    @Override
    public CompletionStage<Optional<Integer>> survey(Channel channel, AgiCall call, DepartmentLine line) {
        return interpreter.survey(channel, ivrCall(call, line));
    }

    private static IvrCall ivrCall(AgiCall call, DepartmentLine line) {
        String linkedId = call.channel() == null ? "" : call.channel().linkedId();
        return new IvrCall(line, call.callerNumber(), linkedId, Map.of());
    }
}
