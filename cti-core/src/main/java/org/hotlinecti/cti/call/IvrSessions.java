package org.hotlinecti.cti.call;

import org.hotlinecti.ivr.Channel;

/**
 * Runs the IVR for FastAGI sessions. The FastAGI adapter calls one method per session, on a thread it owns for that
 * session, and closes the session (so the dialplan continues at its next priority) when the method returns or throws.
 * Methods may block for as long as the caller is in the IVR.
 */
public interface IvrSessions {

    /**
     * A caller entered the hotline ({@code agi://.../inbound}): run the line's flow. When this returns normally and the
     * flow asked for an agent, the caller has been queued and the dialplan takes it to the waiting context.
     */
    void inbound(Channel channel, AgiCall call);

    /** The agent hung up first ({@code agi://.../survey}): ask the caller for a satisfaction score. */
    void survey(Channel channel, AgiCall call);
}
