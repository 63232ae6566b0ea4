package org.hotlinecti.cti.call;

import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;

/**
 * Runs the IVR for FastAGI sessions. The FastAGI adapter calls one method per session and closes the session (so the
 * dialplan continues at its next priority) when the returned stage completes, normally or not. Methods return at once:
 * the flow runs as a chain of {@link Channel} stages and never holds a thread while the caller listens.
 */
public interface IvrSessions {

    /**
     * A caller entered the hotline ({@code agi://.../inbound}): run the line's flow. When the stage completes normally
     * and the flow asked for an agent, the caller has been queued and the dialplan takes it to the waiting context.
     */
    CompletionStage<Void> inbound(Channel channel, AgiCall call);

    /** The agent hung up first ({@code agi://.../survey}): ask the caller for a satisfaction score. */
    CompletionStage<Void> survey(Channel channel, AgiCall call);

    /**
     * A waiting caller whose queue exits to voicemail (max wait, diversion, queue closed) was redirected to
     * {@code hotline-queue-exit,voicemail} ({@code agi://.../voicemail?line=<number>}): record a message. When the
     * stage completes the dialplan hangs up. Sessions that do not take voicemail fail the stage (the dialplan then
     * hangs up without a recording).
     */
    default CompletionStage<Void> voicemail(Channel channel, AgiCall call) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("no voicemail entry point"));
    }

    /**
     * A waiting caller pressed 1 for a call back ({@code agi://.../callback} from {@code hotline-wait}): keep its
     * place, play the confirmation and set {@code CTI_NEXT=hangup}; when the place cannot be kept set
     * {@code CTI_NEXT=wait} (the dialplan takes the caller back to the music). Sessions without call backs fail the
     * stage (the dialplan then hangs up).
     */
    default CompletionStage<Void> callback(Channel channel, AgiCall call) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("no callback entry point"));
    }
}
