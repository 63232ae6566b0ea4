package org.hotlinecti.cti.call;

import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;

/**
 * The caller's side of callback in queue (按1预约回拨, {@code agi://.../callback} from {@code hotline-wait}): the call
 * model keeps the place ({@link CallService#callbackRequested}); the caller hears {@value #CONFIRMED} (已为您保留排队
 * 位置，轮到您时坐席将回拨) and the dialplan hangs up ({@code CTI_NEXT=hangup}). When the place cannot be kept the
 * caller hears {@value #REFUSED} and waits on ({@code CTI_NEXT=wait}).
 */
final class QueueCallbackSession {

    static final String CONFIRMED = "hotline/callback-confirmed";
    static final String REFUSED = "hotline/callback-unavailable";

    private QueueCallbackSession() {
    }

    static CompletionStage<Void> run(Channel channel, AgiCall call, CallService calls) {
        return calls.callbackRequested(call).thenCompose(kept -> channel.play(kept ? CONFIRMED : REFUSED, "")
                .thenCompose(played -> channel.setVariable("CTI_NEXT", kept ? "hangup" : "wait")));
    }
}
