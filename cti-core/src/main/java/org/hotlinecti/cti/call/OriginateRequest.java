package org.hotlinecti.cti.call;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A call the CTI places itself ({@link PbxControl#originate}): Asterisk dials {@code channel} and, once it answers, runs
 * the new channel at {@code context,exten,1}.
 *
 * @param channel     the dial string, e.g. {@code PJSIP/110@trunk} (an outside number over a trunk endpoint) or
 *                    {@code PJSIP/agent1001} (an agent's phone)
 * @param context     where the answered channel starts
 * @param exten       the extension in {@code context}
 * @param timeout     how long it may ring before Asterisk gives up (OriginateResponse reason 3)
 * @param callerIdNum the calling number the far end sees (e.g. the caller's number when 110 is rung for the caller);
 *                    empty: the endpoint's own
 * @param channelId   the Uniqueid the new channel gets (AMI {@code ChannelId}), so its events can be told apart before
 *                    the outcome is known; empty: Asterisk picks one
 * @param variables   channel variables set on the new channel before its dialplan runs
 */
public record OriginateRequest(String channel, String context, String exten, Duration timeout, String callerIdNum,
        String channelId, Map<String, String> variables) {

    public OriginateRequest {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(exten, "exten");
        Objects.requireNonNull(timeout, "timeout");
        if (channel.isBlank() || context.isBlank() || exten.isBlank()) {
            throw new IllegalArgumentException("originate needs a channel, a context and an extension, got '"
                    + channel + "', '" + context + "', '" + exten + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("originate timeout must be positive, got " + timeout);
        }
        callerIdNum = callerIdNum == null ? "" : callerIdNum;
        channelId = channelId == null ? "" : channelId;
        variables = Map.copyOf(variables);
    }
}
