package org.hotlinecti.bench.agi;

import java.util.concurrent.CompletionStage;
import org.hotlinecti.cti.call.AgiCall;
import org.hotlinecti.cti.call.IvrSessions;
import org.hotlinecti.ivr.Channel;

/**
 * The IVR the CTI's server runs in the benchmark: with the server's own GET FULL VARIABLE for the Linkedid, a session
 * sends the same four commands as the stock server's script (ANSWER, GET FULL VARIABLE, STREAM FILE, SET VARIABLE).
 */
final class BenchIvr implements IvrSessions {

    @Override
    public CompletionStage<Void> inbound(Channel channel, AgiCall call) {
        return channel.answer()
                .thenCompose(answered -> channel.play("beep", ""))
                .thenCompose(played -> channel.setVariable("IVR_CHOICE", "1"));
    }

    @Override
    public CompletionStage<Void> survey(Channel channel, AgiCall call) {
        return inbound(channel, call);
    }
}
