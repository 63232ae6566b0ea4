package org.hotlinecti.ivr;

/** The caller hung up (or the channel left the IVR) while a flow was using it. Ends the flow; not an error. */
public class ChannelHungUpException extends RuntimeException {

    public ChannelHungUpException(String message) {
        super(message, null, false, false);
    }
}
