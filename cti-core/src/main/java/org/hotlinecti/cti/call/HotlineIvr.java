package org.hotlinecti.cti.call;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.InboundFlow;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.LineDirectory;
import org.hotlinecti.ivr.SurveyFlow;

/** Binds the IVR flows to FastAGI sessions and reports their outcome to the call model. */
public final class HotlineIvr implements IvrSessions {

    private final LineDirectory lines;
    private final CallService calls;
    private final InboundFlow inbound = new InboundFlow();
    private final SurveyFlow survey;

    public HotlineIvr(LineDirectory lines, CallService calls, Duration surveyTimeout) {
        this.lines = lines;
        this.calls = calls;
        this.survey = new SurveyFlow(surveyTimeout);
    }

    @Override
    public CompletionStage<Void> inbound(Channel channel, AgiCall call) {
        DepartmentLine line = lines.serving(call.dialledNumber());
        calls.ivrStarted(call, line);
        return inbound.run(channel, line).thenAccept(outcome -> {
            if (outcome instanceof IvrOutcome.Route route) {
                calls.routeRequested(call, route.request());
            } else {
                calls.ivrAbandoned(call, outcome.ivrPath());
            }
        });
    }

    @Override
    public CompletionStage<Void> survey(Channel channel, AgiCall call) {
        calls.surveyStarted(call);
        return survey.run(channel).thenAccept(score -> calls.surveyAnswered(call, score));
    }
}
