package org.hotlinecti.sim.sip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import javax.sip.DialogTerminatedEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/**
 * What one SipProvider of a {@link DispatchingSipStack} does with its events. All methods run on the stack's single
 * event thread, in arrival order, and must not block.
 */
interface SipEventHandler {

    void onRequest(RequestEvent event);

    void onResponse(ResponseEvent event);

    /** A client transaction got no response (Timer B/F) or a server transaction gave up retransmitting. */
    void onTimeout(TimeoutEvent event);

    /** The RI gave up on a dialog: no ACK for our 2xx, or an early dialog that never completed. */
    default void onDialogTimeout(DialogTimeoutEvent event) {
    }

    default void onDialogTerminated(DialogTerminatedEvent event) {
    }
}
