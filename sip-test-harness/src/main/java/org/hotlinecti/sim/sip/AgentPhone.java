package org.hotlinecti.sim.sip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's SIP desk phone (endpoint such as {@code agent1001}) on its own UDP port, answering INVITEs from the PBX
 * the way its {@link PhoneBehaviour} says, like the SIPp agent scenarios of the Asterisk traces (180 Ringing, then
 * 200 OK with PCMU + telephone-event; 486 when busy; 200 + 487 on CANCEL).
 *
 * <p>One call at a time: a ringing or talking phone answers any further INVITE with 486 Busy Here. The default
 * behaviour is {@code answerAfter(2 s)}, as agent1001 did in the traces. All methods are thread-safe; futures
 * complete and {@link AgentPhoneListener} callbacks run on a pool thread of the {@link SipPhoneStack} (listener
 * callbacks one at a time, in order).
 */
public final class AgentPhone {

    static final String USER_AGENT = "hotline-cti-sim-phone";
    static final int REGISTER_EXPIRES = 3600;

    private static final Logger LOG = LoggerFactory.getLogger(AgentPhone.class);
    private static final AgentPhoneListener NO_LISTENER = new AgentPhoneListener() {
    };

    private final SipPhoneStack owner;
    private final String endpoint;
    private final String password;
    private final String pbxHost;
    private final int pbxPort;
    private final SerialExecutor callbacks;
    private final Handler handler = new Handler();
    private final Object lock = new Object();
    private final List<PhoneCall> history = new ArrayList<>();
    private final Map<ClientTransaction, Registration> registrations = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, CompletableFuture<Void>> pendingByes = new ConcurrentHashMap<>();
    private volatile SipProvider provider;
    private volatile String contactUri;
    private volatile PhoneBehaviour behaviour = PhoneBehaviour.answerAfter(Duration.ofSeconds(2));
    private volatile AgentPhoneListener listener = NO_LISTENER;
    private volatile java.util.function.LongConsumer inviteClock = nanos -> { };
    private AuthenticationHelper authHelper;
    private CallIdHeader registerCallId;
    private long registerCseq;
    private ScheduledFuture<?> refreshTask;
    private ActiveCall current;

    AgentPhone(SipPhoneStack owner, String endpoint, String password, String pbxHost, int pbxPort) {
        this.owner = owner;
        this.endpoint = endpoint;
        this.password = password;
        this.pbxHost = pbxHost;
        this.pbxPort = pbxPort;
        this.callbacks = owner.newSerialExecutor();
    }

    SipEventHandler handler() {
        return handler;
    }

    void attach(SipProvider p) {
        this.provider = p;
        var lp = p.getListeningPoints()[0];
        this.contactUri = "sip:" + endpoint + "@" + lp.getIPAddress() + ":" + lp.getPort();
        AccountManager accounts = (ct, realm) -> new UserCredentials() {
            @Override
            public String getUserName() {
                return endpoint;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public String getSipDomain() {
                return pbxHost;
            }
        };
        this.authHelper = ((SipStackExt) owner.sipStack().stack())
                .getAuthenticationHelper(accounts, owner.messages().headers);
        this.registerCallId = p.getNewCallId();
    }

    /** The endpoint name (e.g. {@code agent1001}). */
    public String endpoint() {
        return endpoint;
    }

    /** {@code sip:<endpoint>@127.0.0.1:<port>}: where the PBX reaches this phone. */
    public String contactUri() {
        return contactUri;
    }

    /**
     * Registers {@link #contactUri()} with the PBX for {@value #REGISTER_EXPIRES} s, answering one digest challenge
     * with the password (two if the first nonce turned out stale). Once registered, the phone refreshes the
     * registration by itself at 90 % of the granted time (wall clock) until {@link #unregister()}.
     *
     * @return completes on 200; fails with {@link SipCallFailedException}: 401 when the credentials were refused or
     *         there is no password, 403/404 and other errors as received, {@link SipCallFailedException#NO_RESPONSE}
     *         on timeout
     */
    public CompletableFuture<Void> register() {
        return sendRegister(REGISTER_EXPIRES);
    }

    /** Removes the registration ({@code Expires: 0}) and stops refreshing it; completes on 200, fails as {@link #register()}. */
    public CompletableFuture<Void> unregister() {
        return sendRegister(0);
    }

    /** How the phone treats the next INVITEs; a call already ringing keeps its behaviour. */
    public void setBehaviour(PhoneBehaviour behaviour) {
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
    }

    /**
     * Told the {@link System#nanoTime()} of every new INVITE as it reaches the phone, on the SIP stack's thread
     * (before SDP and behaviour are looked at); it must only record. {@code null}: nobody.
     */
    public void setInviteClock(java.util.function.LongConsumer observer) {
        this.inviteClock = observer == null ? nanos -> { } : observer;
    }

    /** Replaces the observer ({@code null}: none). */
    public void setListener(AgentPhoneListener listener) {
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    public PhoneState state() {
        synchronized (lock) {
            return current == null ? PhoneState.IDLE : current.state;
        }
    }

    /** The ringing or talking call, if any. */
    public Optional<PhoneCall> currentCall() {
        synchronized (lock) {
            return current == null ? Optional.empty() : Optional.of(current.snapshot(null, null));
        }
    }

    /** Finished and refused calls, oldest first. */
    public List<PhoneCall> history() {
        synchronized (lock) {
            return List.copyOf(history);
        }
    }

    /**
     * The agent hangs up first: BYE on the talking call, completing when the PBX answered it; a ringing call is
     * declined (603) instead. Completes at once when idle.
     */
    public CompletableFuture<Void> hangup() {
        synchronized (lock) {
            if (current == null) {
                return CompletableFuture.completedFuture(null);
            }
            ActiveCall call = current;
            if (call.state == PhoneState.RINGING) {
                call.sendFinal(Response.DECLINE);
                end(call, PhoneCall.EndReason.REJECTED_DECLINE);
                return CompletableFuture.completedFuture(null);
            }
            if (call.hangupDone == null) {
                call.hangupDone = new CompletableFuture<>();
                if (call.acked) {
                    call.sendBye();
                    end(call, PhoneCall.EndReason.LOCAL_HANGUP);
                } else {
                    call.byeWhenAcked = true; // RFC 3261 §15: no BYE before the ACK of our 2xx
                }
            }
            return call.hangupDone;
        }
    }

    /** The stack closed: fail what still waits. */
    void abandon() {
        SipCallFailedException closed = new SipCallFailedException(SipCallFailedException.NO_RESPONSE,
                "SIP phone stack closed");
        for (Registration r : registrations.values()) {
            r.done.completeExceptionally(closed);
        }
        registrations.clear();
        for (CompletableFuture<Void> f : pendingByes.values()) {
            f.completeExceptionally(closed);
        }
        pendingByes.clear();
        synchronized (lock) {
            if (current != null && current.hangupDone != null) {
                current.hangupDone.completeExceptionally(closed);
            }
        }
    }

    // ---- registration ----

    private record Registration(CompletableFuture<Void> done, int expires, int challengesAnswered) {
    }

    private CompletableFuture<Void> sendRegister(int expires) {
        if (expires == 0) {
            scheduleRefresh(0);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        SipMessages m = owner.messages();
        synchronized (lock) {
            SipProvider p = provider;
            SipURI registrar = m.sipUri(null, pbxHost, pbxPort);
            Address aor = m.address(null, m.sipUri(endpoint, pbxHost, 0));
            Request register = m.newRequest(p, Request.REGISTER, registrar, aor, aor,
                    m.address(null, m.parseSipUri(contactUri)), ++registerCseq, USER_AGENT);
            // RFC 3261 §10.2: one Call-ID for all registrations of a UA to one registrar.
            register.setHeader(registerCallId);
            m.addHeader(register, "Expires", String.valueOf(expires));
            try {
                ClientTransaction ct = p.getNewClientTransaction(register);
                owner.tune(ct);
                registrations.put(ct, new Registration(done, expires, 0));
                ct.sendRequest();
            } catch (SipException e) {
                done.completeExceptionally(new SipCallFailedException(SipCallFailedException.NO_RESPONSE,
                        "cannot send REGISTER: " + e.getMessage()));
            }
        }
        return done;
    }

    private void onRegisterResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        Response response = event.getResponse();
        int code = response.getStatusCode();
        Registration r = ct == null || code < 200 ? null : registrations.remove(ct);
        if (r == null) {
            return;
        }
        if (code < 300) {
            LOG.debug("{} {} at {}", endpoint, r.expires() == 0 ? "unregistered" : "registered", contactUri);
            scheduleRefresh(r.expires() == 0 ? 0 : grantedExpiry(response, r.expires()));
            owner.completeLater(() -> r.done().complete(null));
            return;
        }
        if (code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED) {
            WWWAuthenticateHeader challenge = (WWWAuthenticateHeader) response.getHeader(WWWAuthenticateHeader.NAME);
            boolean stale = challenge != null && challenge.isStale();
            boolean mayAnswer = password != null && (r.challengesAnswered() == 0 || stale && r.challengesAnswered() < 2);
            if (mayAnswer) {
                try {
                    synchronized (lock) {
                        ClientTransaction retry = authHelper.handleChallenge(response, ct, provider, 0, true);
                        owner.tune(retry);
                        registerCseq = Math.max(registerCseq,
                                ((CSeqHeader) retry.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber());
                        registrations.put(retry, new Registration(r.done(), r.expires(), r.challengesAnswered() + 1));
                        retry.sendRequest();
                    }
                    return;
                } catch (SipException | RuntimeException e) {
                    fail(r, SipCallFailedException.NO_RESPONSE, "cannot answer the digest challenge: " + e.getMessage());
                    return;
                }
            }
        }
        LOG.debug("{} REGISTER refused: {} {}", endpoint, code, response.getReasonPhrase());
        fail(r, code, response.getReasonPhrase());
    }

    /** The expiry the registrar granted our contact, from its 200; the requested one if it does not say. */
    private int grantedExpiry(Response ok, int requested) {
        ListIterator<?> contacts = ok.getHeaders(ContactHeader.NAME);
        while (contacts != null && contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (contactUri.equals(c.getAddress().getURI().toString()) && c.getExpires() > 0) {
                return c.getExpires();
            }
        }
        return ok.getExpires() != null && ok.getExpires().getExpires() > 0 ? ok.getExpires().getExpires() : requested;
    }

    /**
     * Like a desk phone, re-registers before the registration runs out (at 90 % of the granted time, measured on the
     * wall clock); {@code 0} cancels the refresh.
     */
    private void scheduleRefresh(int grantedSeconds) {
        synchronized (lock) {
            if (refreshTask != null) {
                refreshTask.cancel(false);
                refreshTask = null;
            }
            if (grantedSeconds > 0) {
                long delayMillis = Math.max(1000L, grantedSeconds * 900L);
                refreshTask = owner.schedule(() -> register().exceptionally(e -> {
                    if (!owner.isClosed()) {
                        LOG.warn("{} could not refresh its registration: {}", endpoint, e.toString());
                    }
                    return null;
                }), delayMillis);
            }
        }
    }

    private void fail(Registration r, int code, String reason) {
        owner.completeLater(() -> r.done().completeExceptionally(new SipCallFailedException(code, reason)));
    }

    // ---- calls ----

    /** The phone's view of its ringing or talking call. Fields are guarded by the phone's lock. */
    private final class ActiveCall {
        final ServerTransaction inviteTx;
        final Request invite;
        final String callId;
        final String fromNumber;
        final String fromName;
        final Instant ringingAt;
        final String localTag = SipMessages.newTag();
        final String answerSdp;
        PhoneState state = PhoneState.RINGING;
        Instant answeredAt;
        ScheduledFuture<?> answerTask;
        boolean acked;
        boolean byeWhenAcked;
        CompletableFuture<Void> hangupDone;

        ActiveCall(ServerTransaction inviteTx, String answerSdp) {
            this.inviteTx = inviteTx;
            this.invite = inviteTx.getRequest();
            this.callId = SipMessages.callIdOf(invite);
            Address from = ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress();
            this.fromNumber = SipMessages.userOf(from.getURI());
            this.fromName = from.getDisplayName();
            this.ringingAt = owner.clock().instant();
            this.answerSdp = answerSdp;
        }

        PhoneCall snapshot(Instant endedAt, PhoneCall.EndReason reason) {
            return new PhoneCall(callId, fromNumber, fromName, ringingAt, answeredAt, endedAt, reason);
        }

        Response response(int code) {
            SipMessages m = owner.messages();
            Response r = m.response(code, invite, localTag, USER_AGENT);
            if (code >= 180 && code < 300) {
                r.addHeader(m.contact(m.parseSipUri(contactUri)));
            }
            return r;
        }

        void send(Response r) {
            try {
                inviteTx.sendResponse(r);
            } catch (SipException | InvalidArgumentException | RuntimeException e) {
                LOG.warn("{} could not send {} on {}: {}", endpoint, r.getStatusCode(), callId, e.toString());
            }
        }

        void sendFinal(int code) {
            send(response(code));
        }

        void sendBye() {
            try {
                Dialog dialog = inviteTx.getDialog();
                ClientTransaction ct = provider.getNewClientTransaction(dialog.createRequest(Request.BYE));
                owner.tune(ct);
                if (hangupDone != null) {
                    pendingByes.put(ct, hangupDone);
                }
                dialog.sendRequest(ct);
            } catch (SipException | RuntimeException e) {
                LOG.warn("{} could not send BYE on {}: {}", endpoint, callId, e.toString());
                pendingByes.values().remove(hangupDone);
                if (hangupDone != null) {
                    CompletableFuture<Void> f = hangupDone;
                    owner.completeLater(() -> f.complete(null));
                }
            }
        }
    }

    private void onInvite(RequestEvent event) {
        inviteClock.accept(System.nanoTime());
        ServerTransaction st = SipMessages.serverTransactionOf(event);
        if (st == null) {
            return;
        }
        Request invite = event.getRequest();
        String body = SipMessages.bodyOf(invite);
        String answerSdp;
        try {
            answerSdp = body.isBlank() ? SdpOfferAnswer.offer(SipPhoneStack.HOST)
                    : SdpOfferAnswer.answer(body, SipPhoneStack.HOST);
        } catch (SdpOfferAnswer.NotAcceptableException e) {
            owner.messages().respond(event, st, Response.NOT_ACCEPTABLE_HERE, USER_AGENT);
            return;
        } catch (IllegalArgumentException e) {
            LOG.warn("{} got an INVITE with bad SDP: {}", endpoint, e.getMessage());
            owner.messages().respond(event, st, Response.BAD_REQUEST, USER_AGENT);
            return;
        }
        PhoneBehaviour how = behaviour;
        synchronized (lock) {
            ActiveCall call = new ActiveCall(st, answerSdp);
            if (current != null || how.mode() == PhoneBehaviour.Mode.BUSY) {
                call.sendFinal(Response.BUSY_HERE);
                record(call, PhoneCall.EndReason.REJECTED_BUSY);
                return;
            }
            if (how.mode() == PhoneBehaviour.Mode.REJECT) {
                call.sendFinal(Response.DECLINE);
                record(call, PhoneCall.EndReason.REJECTED_DECLINE);
                return;
            }
            current = call;
            call.send(call.response(Response.RINGING));
            PhoneCall ringing = call.snapshot(null, null);
            notify(AgentPhoneListener::onRinging, ringing);
            LOG.debug("{} rings: call {} from {}", endpoint, call.callId, PhoneNumbers.mask(call.fromNumber));
            if (how.mode() == PhoneBehaviour.Mode.ANSWER) {
                call.answerTask = owner.schedule(() -> answer(call), how.answerAfter().toMillis());
            }
        }
    }

    private void answer(ActiveCall call) {
        synchronized (lock) {
            if (current != call || call.state != PhoneState.RINGING) {
                return;
            }
            Response ok = call.response(Response.OK);
            owner.messages().setSdp(ok, call.answerSdp);
            owner.messages().addHeader(ok, "Allow", SipMessages.ALLOW);
            call.state = PhoneState.TALKING;
            call.answeredAt = owner.clock().instant();
            call.send(ok);
            notify(AgentPhoneListener::onAnswered, call.snapshot(null, null));
        }
    }

    private void onAck(RequestEvent event) {
        synchronized (lock) {
            ActiveCall call = current;
            if (call == null || !call.callId.equals(SipMessages.callIdOf(event.getRequest()))
                    || call.state != PhoneState.TALKING) {
                return;
            }
            call.acked = true;
            if (call.byeWhenAcked) {
                call.sendBye();
                end(call, PhoneCall.EndReason.LOCAL_HANGUP);
            }
        }
    }

    private void onCancel(RequestEvent event) {
        ServerTransaction st = SipMessages.serverTransactionOf(event);
        owner.messages().respond(event, st, Response.OK, USER_AGENT);
        synchronized (lock) {
            ActiveCall call = current;
            if (call != null && call.callId.equals(SipMessages.callIdOf(event.getRequest()))
                    && call.state == PhoneState.RINGING) {
                call.sendFinal(Response.REQUEST_TERMINATED);
                end(call, PhoneCall.EndReason.CANCELLED);
            }
        }
    }

    private void onBye(RequestEvent event) {
        ServerTransaction st = SipMessages.serverTransactionOf(event);
        owner.messages().respond(event, st, Response.OK, USER_AGENT);
        synchronized (lock) {
            ActiveCall call = current;
            if (call != null && call.callId.equals(SipMessages.callIdOf(event.getRequest()))) {
                if (call.state == PhoneState.RINGING) {
                    call.sendFinal(Response.REQUEST_TERMINATED);
                }
                end(call, PhoneCall.EndReason.REMOTE_HANGUP);
                if (call.hangupDone != null) {
                    CompletableFuture<Void> f = call.hangupDone;
                    owner.completeLater(() -> f.complete(null));
                }
            }
        }
    }

    private void onByeAnswered(ClientTransaction ct) {
        CompletableFuture<Void> f = ct == null ? null : pendingByes.remove(ct);
        if (f != null) {
            owner.completeLater(() -> f.complete(null));
        }
    }

    /** Call under the lock. */
    private void end(ActiveCall call, PhoneCall.EndReason reason) {
        if (call.answerTask != null) {
            call.answerTask.cancel(false);
        }
        if (current == call) {
            current = null;
        }
        record(call, reason);
    }

    /** Call under the lock. */
    private void record(ActiveCall call, PhoneCall.EndReason reason) {
        PhoneCall ended = call.snapshot(owner.clock().instant(), reason);
        history.add(ended);
        notify(AgentPhoneListener::onEnded, ended);
        LOG.debug("{} call {} ended: {}", endpoint, call.callId, reason);
    }

    private void notify(BiConsumer<AgentPhoneListener, PhoneCall> callback, PhoneCall call) {
        AgentPhoneListener l = listener;
        callbacks.execute(() -> callback.accept(l, call));
    }

    /** This phone's SIP events, on the stack's event thread. */
    private final class Handler implements SipEventHandler {

        @Override
        public void onRequest(RequestEvent event) {
            Request request = event.getRequest();
            boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
            switch (request.getMethod()) {
                case Request.INVITE -> {
                    if (inDialog) {
                        owner.messages().respond(event, SipMessages.serverTransactionOf(event),
                                Response.NOT_IMPLEMENTED, USER_AGENT);
                    } else {
                        onInvite(event);
                    }
                }
                case Request.ACK -> onAck(event);
                case Request.CANCEL -> onCancel(event);
                case Request.BYE -> onBye(event);
                case Request.INFO, Request.OPTIONS -> owner.messages().respond(event,
                        SipMessages.serverTransactionOf(event), Response.OK, USER_AGENT);
                default -> owner.messages().respond(event, SipMessages.serverTransactionOf(event),
                        Response.METHOD_NOT_ALLOWED, USER_AGENT, "Allow", SipMessages.ALLOW);
            }
        }

        @Override
        public void onResponse(ResponseEvent event) {
            String method = SipMessages.methodOf(event.getResponse());
            if (Request.REGISTER.equals(method)) {
                onRegisterResponse(event);
            } else if (Request.BYE.equals(method) && event.getResponse().getStatusCode() >= 200) {
                onByeAnswered(event.getClientTransaction());
            }
        }

        @Override
        public void onTimeout(TimeoutEvent event) {
            if (event.isServerTransaction()) {
                return;
            }
            ClientTransaction ct = event.getClientTransaction();
            Registration r = registrations.remove(ct);
            if (r != null) {
                fail(r, SipCallFailedException.NO_RESPONSE, "no response to REGISTER from " + pbxHost + ":" + pbxPort);
            } else if (Request.BYE.equals(ct.getRequest().getMethod())) {
                onByeAnswered(ct);
            }
        }

        @Override
        public void onDialogTimeout(DialogTimeoutEvent event) {
            if (event.getReason() != DialogTimeoutEvent.Reason.AckNotReceived) {
                return;
            }
            synchronized (lock) {
                ActiveCall call = current;
                if (call != null && call.callId.equals(event.getDialog().getCallId().getCallId()) && !call.acked) {
                    LOG.info("{}: no ACK for call {}, hanging up", endpoint, call.callId);
                    call.sendBye();
                    end(call, PhoneCall.EndReason.REMOTE_HANGUP);
                }
            }
        }
    }
}
