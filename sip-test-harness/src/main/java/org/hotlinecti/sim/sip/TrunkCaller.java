package org.hotlinecti.sim.sip;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PSTN caller arriving over the carrier trunk: places one call to the PBX, like the SIPp caller of the Asterisk
 * traces (INVITE with PCMU/PCMA/telephone-event SDP, DTMF as SIP INFO {@code application/dtmf-relay}).
 *
 * <p>State changes are visible through {@link #state()} as soon as the SIP message is handled; futures complete
 * shortly after, on a pool thread of the {@link SipPhoneStack} (never on the SIP thread, so stages may block on other
 * futures). All methods are thread-safe.
 */
public final class TrunkCaller {

    static final String USER_AGENT = "hotline-cti-sim-caller";
    /** The key-press length the caller announces in each INFO, as SIPp did in the traces. */
    static final int DTMF_DURATION_MS = 250;

    private static final Logger LOG = LoggerFactory.getLogger(TrunkCaller.class);

    private final SipPhoneStack owner;
    private final SipProvider provider;
    private final String number;
    private final String displayName;
    private final String pbxHost;
    private final int pbxPort;
    private final CompletableFuture<Void> dialled = new CompletableFuture<>();
    private final CompletableFuture<CallerState> ended = new CompletableFuture<>();
    private final Map<ClientTransaction, CompletableFuture<Void>> pendingInfos = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private CallerState state = CallerState.IDLE;
    private volatile String callId;
    private ClientTransaction inviteTx;
    private Dialog dialog;
    private boolean provisionalReceived;
    private boolean cancelSent;
    private CompletableFuture<Void> hangupDone;
    private ClientTransaction byeTx;
    private volatile Instant connectedAt;
    private volatile Instant endedAt;

    TrunkCaller(SipPhoneStack owner, SipProvider provider, String number, String displayName, String pbxHost,
            int pbxPort) {
        this.owner = owner;
        this.provider = provider;
        this.number = number;
        this.displayName = displayName;
        this.pbxHost = pbxHost;
        this.pbxPort = pbxPort;
    }

    /** The caller's number (From user part). */
    public String number() {
        return number;
    }

    /**
     * Calls {@code dialledNumber} at the PBX ({@code INVITE sip:<dialled>@<pbx>}).
     *
     * @return completes when 200 OK arrived and was ACKed; fails with {@link SipCallFailedException} carrying the
     *         final status (or {@link SipCallFailedException#NO_RESPONSE} on timeout), also when the caller hung up
     *         before the answer (487)
     * @throws IllegalStateException if this caller already dialled
     * @throws IllegalArgumentException if the number cannot be a SIP user part
     */
    public CompletableFuture<Void> dial(String dialledNumber) {
        if (dialledNumber == null || dialledNumber.isBlank()) {
            throw new IllegalArgumentException("dialled number must not be blank");
        }
        SipMessages m = owner.messages();
        synchronized (lock) {
            if (state != CallerState.IDLE) {
                throw new IllegalStateException("caller " + PhoneNumbers.mask(number) + " already dialled (" + state + ")");
            }
            var lp = provider.getListeningPoints()[0];
            SipURI target = m.sipUri(dialledNumber, pbxHost, pbxPort);
            Address from = m.address(displayName, m.sipUri(number, lp.getIPAddress(), lp.getPort()));
            Address to = m.address(null, m.sipUri(dialledNumber, pbxHost, pbxPort));
            Address contact = m.address(null, m.sipUri(number, lp.getIPAddress(), lp.getPort()));
            Request invite = m.newRequest(provider, Request.INVITE, target, from, to, contact, 1, USER_AGENT);
            m.setSdp(invite, SdpOfferAnswer.offer(lp.getIPAddress()));
            try {
                inviteTx = provider.getNewClientTransaction(invite);
            } catch (SipException e) {
                throw new IllegalStateException("cannot create the INVITE transaction: " + e.getMessage(), e);
            }
            owner.tune(inviteTx);
            callId = SipMessages.callIdOf(invite);
            state = CallerState.DIALLING;
            owner.callerDialling(callId, this);
            try {
                inviteTx.sendRequest();
                LOG.debug("caller {} dials {} ({})", PhoneNumbers.mask(number), dialledNumber, callId);
            } catch (SipException e) {
                finish(CallerState.FAILED, new SipCallFailedException(SipCallFailedException.NO_RESPONSE,
                        "cannot send INVITE: " + e.getMessage()));
            }
        }
        return dialled;
    }

    /**
     * Sends one DTMF digit as SIP INFO {@code application/dtmf-relay} ({@code Signal=<d>}, {@code Duration=250}).
     *
     * @return completes on 200; fails with {@link SipCallFailedException} on an error response or timeout, or with
     *         {@link IllegalStateException} when the call is not connected
     * @throws IllegalArgumentException if {@code digit} is not one of {@code 0-9 * # A-D}
     */
    public CompletableFuture<Void> sendDtmf(char digit) {
        DtmfInfo dtmf = new DtmfInfo(digit, DTMF_DURATION_MS);
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (state != CallerState.CONNECTED) {
                done.completeExceptionally(new IllegalStateException("cannot send DTMF: call is " + state));
                return done;
            }
            try {
                Request info = dialog.createRequest(Request.INFO);
                owner.messages().setBody(info, "application", "dtmf-relay", dtmf.relayBody());
                ClientTransaction ct = provider.getNewClientTransaction(info);
                owner.tune(ct);
                pendingInfos.put(ct, done);
                dialog.sendRequest(ct);
            } catch (SipException e) {
                done.completeExceptionally(new SipCallFailedException(SipCallFailedException.NO_RESPONSE,
                        "cannot send INFO: " + e.getMessage()));
            }
        }
        return done;
    }

    /**
     * Sends the digits one after the other, each INFO after the previous one's 200.
     *
     * @throws IllegalArgumentException if any character is not a DTMF digit (nothing is sent then)
     */
    public CompletableFuture<Void> sendDtmf(String digits) {
        Objects.requireNonNull(digits, "digits");
        for (char c : digits.toCharArray()) {
            if (!DtmfInfo.isDtmfDigit(c)) {
                throw new IllegalArgumentException("not a DTMF digit: '" + c + "' in \"" + digits + "\"");
            }
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (char c : digits.toCharArray()) {
            chain = chain.thenCompose(v -> sendDtmf(c));
        }
        return chain;
    }

    /**
     * Hangs up: BYE when connected, CANCEL while dialling (sent once a provisional response arrived, as RFC 3261
     * requires). Completes when the BYE was answered, or when the cancelled INVITE got its final response; at once
     * when there is no call.
     */
    public CompletableFuture<Void> hangup() {
        synchronized (lock) {
            switch (state) {
                case DIALLING -> {
                    if (hangupDone == null) {
                        hangupDone = new CompletableFuture<>();
                        if (provisionalReceived) {
                            sendCancel();
                        }
                    }
                    return hangupDone;
                }
                case CONNECTED -> {
                    hangupDone = new CompletableFuture<>();
                    byeTx = sendBye();
                    finish(CallerState.ENDED_BY_CALLER, null);
                    if (byeTx == null) {
                        completeLater(hangupDone);
                    }
                    return hangupDone;
                }
                default -> {
                    return hangupDone != null ? hangupDone : CompletableFuture.completedFuture(null);
                }
            }
        }
    }

    /** The current state; changes as soon as the SIP message is handled. */
    public CallerState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Completes with the final state ({@code ENDED_BY_CALLER}, {@code ENDED_BY_PBX} or {@code FAILED}). */
    public CompletableFuture<CallerState> ended() {
        return ended;
    }

    /** The SIP Call-ID, {@code null} before {@link #dial}. */
    public String callId() {
        return callId;
    }

    /** When the 200 OK arrived, or {@code null}. */
    public Instant connectedAt() {
        return connectedAt;
    }

    /** When the call ended, or {@code null}. */
    public Instant endedAt() {
        return endedAt;
    }

    // ---- SIP events (stack event thread) ----

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int code = response.getStatusCode();
        ClientTransaction ct = event.getClientTransaction();
        String method = SipMessages.methodOf(response);
        if (Request.INFO.equals(method)) {
            CompletableFuture<Void> f = ct == null ? null : pendingInfos.remove(ct);
            if (f != null && code >= 200) {
                if (code < 300) {
                    completeLater(f);
                } else {
                    failLater(f, new SipCallFailedException(code, response.getReasonPhrase()));
                }
            }
            return;
        }
        if (Request.BYE.equals(method)) {
            if (code >= 200) {
                synchronized (lock) {
                    if (hangupDone != null && ct == byeTx) {
                        completeLater(hangupDone);
                    }
                }
            }
            return;
        }
        if (!Request.INVITE.equals(method)) {
            return;
        }
        synchronized (lock) {
            if (code < 200) {
                provisionalReceived = true;
                if (state == CallerState.DIALLING && hangupDone != null && !cancelSent) {
                    sendCancel();
                }
            } else if (code < 300) {
                Dialog d = event.getDialog() != null ? event.getDialog() : inviteTx.getDialog();
                if (dialog != null) {
                    return; // retransmitted 200: the RI re-sends our ACK
                }
                dialog = d;
                sendAck(response);
                if (state != CallerState.DIALLING) {
                    byeTx = sendBye(); // ended meanwhile (timeout): leave cleanly
                } else if (hangupDone != null) {
                    byeTx = sendBye(); // the 200 crossed our CANCEL
                    finish(CallerState.ENDED_BY_CALLER,
                            new SipCallFailedException(Response.REQUEST_TERMINATED, "caller hung up before the answer"));
                    if (byeTx == null) {
                        completeLater(hangupDone);
                    }
                } else {
                    state = CallerState.CONNECTED;
                    connectedAt = owner.clock().instant();
                    completeLater(dialled);
                }
            } else if (state == CallerState.DIALLING) {
                SipCallFailedException failure = new SipCallFailedException(code, response.getReasonPhrase());
                if (hangupDone != null) {
                    finish(CallerState.ENDED_BY_CALLER, failure);
                    completeLater(hangupDone);
                } else {
                    finish(CallerState.FAILED, failure);
                }
            }
        }
    }

    void onTimeout(ClientTransaction ct) {
        CompletableFuture<Void> info = pendingInfos.remove(ct);
        if (info != null) {
            failLater(info, new SipCallFailedException(SipCallFailedException.NO_RESPONSE, "INFO timed out"));
            return;
        }
        synchronized (lock) {
            if (ct == byeTx && hangupDone != null) {
                completeLater(hangupDone); // nobody answered our BYE: the call is over for us anyway
            } else if (ct == inviteTx && state == CallerState.DIALLING) {
                SipCallFailedException failure = new SipCallFailedException(SipCallFailedException.NO_RESPONSE,
                        "no response to INVITE from " + pbxHost + ":" + pbxPort);
                finish(hangupDone != null ? CallerState.ENDED_BY_CALLER : CallerState.FAILED, failure);
                if (hangupDone != null) {
                    completeLater(hangupDone);
                }
            }
        }
    }

    void onRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return;
        }
        ServerTransaction st = SipMessages.serverTransactionOf(event);
        SipMessages m = owner.messages();
        switch (method) {
            case Request.BYE -> {
                m.respond(event, st, Response.OK, USER_AGENT);
                synchronized (lock) {
                    if (state == CallerState.CONNECTED) {
                        finish(CallerState.ENDED_BY_PBX, null);
                    }
                }
            }
            case Request.INFO, Request.OPTIONS -> m.respond(event, st, Response.OK, USER_AGENT);
            default -> m.respond(event, st, Response.METHOD_NOT_ALLOWED, USER_AGENT, "Allow", SipMessages.ALLOW);
        }
    }

    /** The stack closed under a live call: fail what still waits. */
    void abandon() {
        SipCallFailedException closed = new SipCallFailedException(SipCallFailedException.NO_RESPONSE,
                "SIP phone stack closed");
        List<CompletableFuture<?>> waiting = new ArrayList<>(pendingInfos.values());
        pendingInfos.clear();
        synchronized (lock) {
            waiting.add(dialled);
            waiting.add(ended);
            if (hangupDone != null) {
                waiting.add(hangupDone);
            }
        }
        for (CompletableFuture<?> f : waiting) {
            f.completeExceptionally(closed);
        }
    }

    // ---- helpers, called under the lock ----

    /** Moves to a final state once; fails the dial future with {@code dialFailure} unless it completed. */
    private void finish(CallerState finalState, SipCallFailedException dialFailure) {
        if (state == CallerState.ENDED_BY_CALLER || state == CallerState.ENDED_BY_PBX || state == CallerState.FAILED) {
            return;
        }
        state = finalState;
        endedAt = owner.clock().instant();
        if (dialFailure != null) {
            failLater(dialled, dialFailure);
        }
        owner.completeLater(() -> ended.complete(finalState));
        owner.callerEnded(callId, this);
        LOG.debug("caller {} call {} ended: {}", PhoneNumbers.mask(number), callId, finalState);
    }

    private void sendCancel() {
        try {
            ClientTransaction ct = provider.getNewClientTransaction(inviteTx.createCancel());
            owner.tune(ct);
            ct.sendRequest();
            cancelSent = true;
            owner.schedule(this::onCancelUnanswered, owner.transactionTimeoutMillis());
        } catch (SipException e) {
            LOG.warn("caller {} could not CANCEL {}: {}", PhoneNumbers.mask(number), callId, e.toString());
        }
    }

    private void onCancelUnanswered() {
        synchronized (lock) {
            if (state == CallerState.DIALLING) {
                finish(CallerState.ENDED_BY_CALLER, new SipCallFailedException(SipCallFailedException.NO_RESPONSE,
                        "no final response after CANCEL"));
                completeLater(hangupDone);
            }
        }
    }

    private void sendAck(Response ok) {
        try {
            long cseq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
        } catch (SipException | InvalidArgumentException e) {
            LOG.warn("caller {} could not ACK {}: {}", PhoneNumbers.mask(number), callId, e.toString());
        }
    }

    private ClientTransaction sendBye() {
        try {
            ClientTransaction ct = provider.getNewClientTransaction(dialog.createRequest(Request.BYE));
            owner.tune(ct);
            dialog.sendRequest(ct);
            return ct;
        } catch (SipException e) {
            LOG.warn("caller {} could not send BYE on {}: {}", PhoneNumbers.mask(number), callId, e.toString());
            return null;
        }
    }

    private void completeLater(CompletableFuture<Void> f) {
        owner.completeLater(() -> f.complete(null));
    }

    private void failLater(CompletableFuture<?> f, Throwable t) {
        owner.completeLater(() -> f.completeExceptionally(t));
    }
}
