package org.hotlinecti.cti.call;

/**
 * Identifies one Asterisk channel as AMI reports it.
 *
 * @param name     channel name, e.g. {@code PJSIP/trunk-00000002}
 * @param uniqueId the channel's Uniqueid, e.g. {@code 1795322295.2}
 * @param linkedId the Linkedid of the call the channel belongs to; equals {@code uniqueId} for the caller channel
 */
public record ChannelRef(String name, String uniqueId, String linkedId) {

    /** Whether this is the channel that started the call (the caller's, for inbound calls). */
    public boolean isCallOrigin() {
        return uniqueId.equals(linkedId);
    }
}
