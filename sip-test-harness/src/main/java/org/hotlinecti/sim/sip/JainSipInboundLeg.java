package org.hotlinecti.sim.sip;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trunk caller's call as the sim PBX (UAS) sees it. State changes happen under the leg's lock; listener callbacks
 * run after the lock is released, on the stack's event thread, in message order.
 */
final class JainSipInboundLeg implements InboundLeg {

    private static final Logger LOG = LoggerFactory.getLogger(JainSipInboundLeg.class);
    private static final InboundLegListener NO_LISTENER = new InboundLegListener() {
        @Override
        public void onDtmf(char digit, int durationMs) {
        }

        @Override
        public void onRemoteHangup() {
        }
    };

    private enum State { OFFERED, ANSWERED, CONFIRMED, ENDED }

    private final JainSipPbxEndpoint endpoint;
    private final SipProvider provider;
    private final ServerTransaction inviteTx;
    private final Request invite;
    private final String localTag = SipMessages.newTag();
    private final String callId;
    private final String fromUser;
    private final String fromDisplayName;
    private final String toUser;
    private final String answerSdp;
    private final Object lock = new Object();
    private State state = State.OFFERED;
    private boolean byeWhenAcked;
    private boolean remoteHangupReported;
    private volatile InboundLegListener listener = NO_LISTENER;

    JainSipInboundLeg(JainSipPbxEndpoint endpoint, SipProvider provider, ServerTransaction inviteTx, String answerSdp) {
        this.endpoint = endpoint;
        this.provider = provider;
        this.inviteTx = inviteTx;
        this.invite = inviteTx.getRequest();
        this.answerSdp = answerSdp;
        this.callId = SipMessages.callIdOf(invite);
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        this.fromUser = SipMessages.userOf(from.getAddress().getURI());
        this.fromDisplayName = SipMessages.displayNameOf(from.getAddress());
        this.toUser = SipMessages.userOf(invite.getRequestURI());
    }

    void listen(InboundLegListener l) {
        this.listener = l;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String fromUser() {
        return fromUser;
    }

    @Override
    public String fromDisplayName() {
        return fromDisplayName;
    }

    @Override
    public String toUser() {
        return toUser;
    }

    @Override
    public void answer() {
        synchronized (lock) {
            if (state != State.OFFERED) {
                LOG.debug("answer() on {} ignored: leg is {}", callId, state);
                return;
            }
            SipMessages m = endpoint.messages();
            Response ok = m.response(Response.OK, invite, localTag, JainSipPbxEndpoint.SERVER);
            SipURI contact = m.sipUri(null, endpoint.host(), endpoint.port());
            ok.addHeader(m.contact(contact));
            m.addHeader(ok, "Allow", SipMessages.ALLOW);
            m.setSdp(ok, answerSdp);
            try {
                inviteTx.sendResponse(ok);
                state = State.ANSWERED;
            } catch (SipException | InvalidArgumentException e) {
                LOG.warn("could not answer {}: {}", callId, e.toString());
                end();
            }
        }
    }

    @Override
    public void reject(int statusCode) {
        if (statusCode < 300 || statusCode > 699) {
            throw new IllegalArgumentException("a rejection needs a final error status 300-699, got " + statusCode);
        }
        synchronized (lock) {
            if (state != State.OFFERED) {
                LOG.debug("reject({}) on {} ignored: leg is {}", statusCode, callId, state);
                return;
            }
            sendFinal(statusCode);
            end();
        }
    }

    @Override
    public void hangup() {
        synchronized (lock) {
            switch (state) {
                case OFFERED -> {
                    // chan_pjsip ends an unanswered session with 603 unless the hangup cause maps to another code.
                    sendFinal(Response.DECLINE);
                    end();
                }
                case ANSWERED -> byeWhenAcked = true; // RFC 3261 §15: no BYE before the ACK of our 2xx
                case CONFIRMED -> {
                    sendBye();
                    end();
                }
                case ENDED -> {
                }
            }
        }
    }

    void onAck() {
        synchronized (lock) {
            if (state != State.ANSWERED) {
                return;
            }
            state = State.CONFIRMED;
            if (byeWhenAcked) {
                sendBye();
                end();
            }
        }
    }

    /*
     * CANCEL, BYE and INFO are reported to the listener before they are answered, so that a peer which saw the
     * answer knows the PBX core has seen the event (tests and scenario steps rely on that order).
     */

    void onCancel(RequestEvent event, ServerTransaction cancelTx) {
        boolean report;
        synchronized (lock) {
            report = state == State.OFFERED && markRemoteHangup();
            if (state == State.OFFERED) {
                end();
            }
        }
        if (report) {
            listener.onRemoteHangup();
        }
        endpoint.messages().respond(event, cancelTx, Response.OK, JainSipPbxEndpoint.SERVER);
        if (report) {
            sendFinal(Response.REQUEST_TERMINATED);
        }
    }

    void onBye(RequestEvent event, ServerTransaction byeTx) {
        boolean report;
        boolean unanswered;
        synchronized (lock) {
            unanswered = state == State.OFFERED;
            report = state != State.ENDED && markRemoteHangup();
            end();
        }
        if (report) {
            listener.onRemoteHangup();
        }
        endpoint.messages().respond(event, byeTx, Response.OK, JainSipPbxEndpoint.SERVER);
        if (unanswered) {
            sendFinal(Response.REQUEST_TERMINATED);
        }
    }

    void onInfo(RequestEvent event, ServerTransaction infoTx) {
        Request info = event.getRequest();
        String type = SipMessages.contentSubtypeOf(info);
        String body = SipMessages.bodyOf(info);
        SipMessages m = endpoint.messages();
        if (type == null && body.isEmpty()) {
            m.respond(event, infoTx, Response.OK, JainSipPbxEndpoint.SERVER); // an empty INFO is a keep-alive
            return;
        }
        if (!DtmfInfo.DTMF_RELAY.equals(type) && !DtmfInfo.DTMF.equals(type)) {
            LOG.warn("INFO on {} with unsupported body type {}: 415", callId, type);
            m.respond(event, infoTx, Response.UNSUPPORTED_MEDIA_TYPE, JainSipPbxEndpoint.SERVER,
                    "Accept", DtmfInfo.DTMF_RELAY + ", " + DtmfInfo.DTMF);
            return;
        }
        DtmfInfo dtmf;
        try {
            dtmf = DtmfInfo.parse(type, body);
        } catch (IllegalArgumentException e) {
            LOG.warn("INFO on {} with a bad {} body: {}: 400", callId, type, e.getMessage());
            m.respond(event, infoTx, Response.BAD_REQUEST, JainSipPbxEndpoint.SERVER);
            return;
        }
        boolean live;
        synchronized (lock) {
            live = state != State.ENDED;
        }
        if (live) {
            listener.onDtmf(dtmf.digit(), dtmf.durationMs());
        }
        m.respond(event, infoTx, Response.OK, JainSipPbxEndpoint.SERVER);
    }

    /** The caller never ACKed our 200: PJSIP then ends the session with BYE; the caller is as good as gone. */
    void onAckTimeout() {
        boolean report;
        synchronized (lock) {
            if (state != State.ANSWERED) {
                return;
            }
            LOG.info("no ACK from caller {} on {}: ending the call", PhoneNumbers.mask(fromUser), callId);
            sendBye();
            end();
            report = markRemoteHangup();
        }
        if (report) {
            listener.onRemoteHangup();
        }
    }

    private boolean markRemoteHangup() {
        boolean first = !remoteHangupReported;
        remoteHangupReported = true;
        return first;
    }

    private void end() {
        if (state != State.ENDED) {
            state = State.ENDED;
            endpoint.legEnded(callId, this);
        }
    }

    private void sendFinal(int statusCode) {
        try {
            inviteTx.sendResponse(endpoint.messages().response(statusCode, invite, localTag, JainSipPbxEndpoint.SERVER));
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not send {} on {}: {}", statusCode, callId, e.toString());
        }
    }

    private void sendBye() {
        Dialog dialog = inviteTx.getDialog();
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
