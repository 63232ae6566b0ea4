package org.hotlinecti.ivr;

import java.util.concurrent.CompletionException;

/** The caller hung up (or the channel left the IVR) while a flow was using it. Ends the flow; not an error. */
public class ChannelHungUpException extends RuntimeException {

    public ChannelHungUpException(String message) {
        super(message, null, false, false);
    }

    /**
     * Whether a failed stage failed because the caller hung up, directly or wrapped (once or more) in the
     * {@link CompletionException}s the stage machinery adds.
     */
    public static boolean isCauseOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof ChannelHungUpException;
    }
}
