package org.hotlinecti.sim.sip;

import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call from the sim PBX (UAC) to an agent phone. Like PJSIP, a {@link #cancel()} before any provisional response
 * is remembered and the CANCEL goes out with the first 1xx; once cancel was asked for, the leg never reports
 * {@code onAnswered}: a 200 that crosses the CANCEL is ACKed, hung up with BYE and reported as {@code onRejected(487)}.
 */
final class JainSipOutboundLeg implements OutboundLeg {

    private static final Logger LOG = LoggerFactory.getLogger(JainSipOutboundLeg.class);

    private enum State { CALLING, PROCEEDING, ANSWERED, ENDED }

    private final JainSipPbxEndpoint endpoint;
    private final SipProvider provider;
    private final ClientTransaction inviteTx;
    private final String callId;
    private final String contact;
    private final OutboundLegListener listener;
    private final Object lock = new Object();
    private State state = State.CALLING;
    private Dialog dialog;
    private boolean cancelRequested;
    private boolean cancelSent;
    private boolean ringingReported;
    private boolean outcomeReported;
    private boolean remoteHangupReported;

    JainSipOutboundLeg(JainSipPbxEndpoint endpoint, SipProvider provider, ClientTransaction inviteTx, String contact,
            OutboundLegListener listener) {
        this.endpoint = endpoint;
        this.provider = provider;
        this.inviteTx = inviteTx;
        this.callId = SipMessages.callIdOf(inviteTx.getRequest());
        this.contact = contact;
        this.listener = listener;
    }

    @Override
    public String callId() {
        return callId;
    }

    ClientTransaction inviteTransaction() {
        return inviteTx;
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            if (state == State.ANSWERED || state == State.ENDED || cancelRequested) {
                return;
            }
            cancelRequested = true;
            if (state == State.PROCEEDING) {
                sendCancel();
            }
        }
    }

    @Override
    public void hangup() {
        synchronized (lock) {
            if (state == State.ANSWERED) {
                sendBye();
                end();
                return;
            }
        }
        cancel();
    }

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        String method = SipMessages.methodOf(response);
        int code = response.getStatusCode();
        if (!Request.INVITE.equals(method)) {
            if (code >= 300) {
                LOG.debug("{} on {} answered {}", method, callId, code);
            }
            return;
        }
        Runnable notification = null;
        synchronized (lock) {
            if (code < 200) {
                if (state == State.CALLING) {
                    state = State.PROCEEDING;
                }
                if (state == State.PROCEEDING && cancelRequested && !cancelSent) {
                    sendCancel();
                }
                if ((code == Response.RINGING || code == Response.SESSION_PROGRESS) && state == State.PROCEEDING
                        && !cancelRequested && !ringingReported) {
                    ringingReported = true;
                    notification = listener::onRinging;
                }
            } else if (code < 300) {
                Dialog d = event.getDialog() != null ? event.getDialog() : inviteTx.getDialog();
                if (dialog != null && dialog == d) {
                    return; // a retransmitted 200: the RI resends our ACK itself
                }
                dialog = d;
                sendAck(response);
                if (state == State.ENDED || cancelRequested) {
                    sendBye();
                    end();
                    notification = outcome(() -> listener.onRejected(Response.REQUEST_TERMINATED));
                } else {
                    state = State.ANSWERED;
                    notification = outcome(listener::onAnswered);
                }
            } else {
                end();
                notification = outcome(() -> listener.onRejected(code));
            }
        }
        if (notification != null) {
            notification.run();
        }
    }

    void onInviteTimeout() {
        Runnable notification;
        synchronized (lock) {
            if (state == State.ANSWERED || state == State.ENDED) {
                return;
            }
            end();
            notification = outcome(() -> listener.onFailed("no response from " + contact + " (transaction timeout)"));
        }
        if (notification != null) {
            notification.run();
        }
    }

    /** Sending the INVITE failed at once (unresolvable or unreachable contact). */
    void onSendFailure(String reason) {
        Runnable notification;
        synchronized (lock) {
            end();
            notification = outcome(() -> listener.onFailed(reason));
        }
        if (notification != null) {
            notification.run();
        }
    }

    /** Reported before the 200 goes out, so a phone that saw the 200 knows the PBX core saw the hang-up. */
    void onBye(RequestEvent event, ServerTransaction byeTx) {
        boolean report = false;
        synchronized (lock) {
            if (state == State.ANSWERED) {
                end();
                report = !remoteHangupReported;
                remoteHangupReported = true;
            }
        }
        if (report) {
            listener.onRemoteHangup();
        }
        endpoint.messages().respond(event, byeTx, Response.OK, JainSipPbxEndpoint.SERVER);
    }

    /** Chooses the leg's single outcome; {@code null} when one was already reported. Call under the lock. */
    private Runnable outcome(Runnable report) {
        if (outcomeReported) {
            return null;
        }
        outcomeReported = true;
        return report;
    }

    private void end() {
        if (state != State.ENDED) {
            state = State.ENDED;
            endpoint.legEnded(callId, this);
        }
    }

    private void sendCancel() {
        try {
            Request cancel = inviteTx.createCancel();
            ClientTransaction ct = provider.getNewClientTransaction(cancel);
            endpoint.tune(ct);
            ct.sendRequest();
            cancelSent = true;
        } catch (SipException | RuntimeException e) {
            LOG.warn("could not CANCEL {}: {}", callId, e.toString());
        }
        // RFC 3261 §9.1: without a final response 64*T1 after the CANCEL, give up on the INVITE.
        endpoint.schedule(this::onCancelUnanswered, endpoint.transactionTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private void onCancelUnanswered() {
        Runnable notification;
        synchronized (lock) {
            if (state == State.ANSWERED || state == State.ENDED) {
                return;
            }
            LOG.debug("no final response on {} after CANCEL: giving up", callId);
            end();
            notification = outcome(() -> listener.onRejected(Response.REQUEST_TERMINATED));
        }
        if (notification != null) {
            notification.run();
        }
    }

    private void sendAck(Response ok) {
        try {
            long cseq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not ACK {}: {}", callId, e.toString());
        }
    }

    private void sendBye() {
        try {
            Request bye = dialog.createRequest(Request.BYE);
            endpoint.messages().addHeader(bye, "Reason", "Q.850;cause=16");
            ClientTransaction ct = provider.getNewClientTransaction(bye);
            endpoint.tune(ct);
            dialog.sendRequest(ct);
        } catch (SipException | RuntimeException e) {
            LOG.warn("could not send BYE on {}: {}", callId, e.toString());
        }
    }
}
