package org.hotlinecti.cti.call;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the call model asks of the PBX. Implemented by the Asterisk adapter over AMI actions; the dialplan contract
 * behind each method is the one shipped in {@code deploy/asterisk/extensions.conf}.
 *
 * <p>Every method returns at once; the stage completes when Asterisk answered the action, and fails with
 * {@link PbxActionException} when Asterisk refused it (for example because the channel has just hung up) or did not
 * answer in time. Callers must treat a refusal as final for that attempt, never retry blindly.
 */
public interface PbxControl {

    /**
     * Sends a waiting caller to an agent: sets each variable on the caller's channel (AMI Setvar), then moves the
     * channel to {@code hotline-connect,<agentExtension>,1} (AMI Redirect), whose dialplan dials the agent's endpoint.
     * Variable names and values must be free of CR/LF.
     */
    CompletionStage<Void> connectToAgent(String callerChannel, String agentExtension, Map<String, String> variables);

    /**
     * Takes a waiting caller off music on hold to {@code context,exten,1} (AMI Setvar for each variable, then AMI
     * Redirect), e.g. the queue's voicemail exit ({@code hotline-queue-exit,voicemail,1}). Implementations that cannot
     * redirect return a failed stage.
     */
    default CompletionStage<Void> redirect(String channel, String context, String exten,
            Map<String, String> variables) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this PBX control cannot redirect to " + context));
    }

    /**
     * Sets a dialplan global variable (AMI Setvar without a channel), e.g. the ring timeout the connect context uses.
     * Globals set this way are lost when Asterisk restarts, so the CTI sets them again after every login.
     * Implementations that cannot set globals return a failed stage.
     */
    default CompletionStage<Void> setGlobalVariable(String name, String value) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this PBX control cannot set global " + name));
    }

    /**
     * Places a call (AMI Originate with {@code Async: true}): Asterisk dials {@link OriginateRequest#channel()} and,
     * once it answers, runs the new channel at {@code context,exten,1}. Unlike the other methods, the stage completes
     * only when the outcome is known (the OriginateResponse event, after the dialled party answered or the attempt
     * ended), with {@link OriginateResult#answered()} telling which. It fails with {@link PbxActionException} when
     * Asterisk refused the action or the AMI session was lost before the outcome. Implementations that cannot originate
     * return a failed stage.
     */
    default CompletionStage<OriginateResult> originate(OriginateRequest request) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this PBX control cannot originate " + request.channel()));
    }

    /** Sets one channel variable (AMI Setvar). */
    CompletionStage<Void> setVariable(String channel, String name, String value);

    /** Hangs up a channel (AMI Hangup) with a Q.850 cause, normally 16. */
    CompletionStage<Void> hangup(String channel, int cause);
}
