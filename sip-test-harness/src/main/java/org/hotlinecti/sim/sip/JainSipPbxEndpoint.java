package org.hotlinecti.sim.sip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PbxSipEndpoint} on the JAIN-SIP RI: one SIP stack, one UDP listening point, behaving like chan_pjsip with
 * the project's {@code pjsip.conf} (see the interface for the details).
 *
 * <p>Requests from a From-user that is a {@linkplain #defineEndpoint defined endpoint} are agents; every other INVITE
 * is a trunk call. INVITEs from agents are refused with 403 (the sim PBX routes no agent-originated calls).
 * In-dialog re-INVITEs are answered 501. Listener callbacks run on the stack's single event thread, except two that
 * have no SIP message behind them and run on the endpoint's timer thread: {@code onFailed} when the INVITE could not
 * even be sent, and {@code onRejected(487)} when a CANCELled phone never sends its final response.
 */
public final class JainSipPbxEndpoint implements PbxSipEndpoint {

    /** The {@code Server}/{@code User-Agent} value of the sim PBX. */
    static final String SERVER = "hotline-cti-sim-pbx";
    /** RFC 3261 T1; transactions time out after 64*T1. */
    static final Duration DEFAULT_T1 = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(JainSipPbxEndpoint.class);

    private final String host;
    private final int requestedPort;
    private final int t1Millis;
    private final Map<String, JainSipInboundLeg> inbound = new ConcurrentHashMap<>();
    private final Map<String, JainSipOutboundLeg> outbound = new ConcurrentHashMap<>();
    private final SipMessages messages;
    private final Registrar registrar;
    private volatile DispatchingSipStack stack;
    private volatile SipProvider provider;
    private volatile ScheduledExecutorService timer;
    private volatile InboundCallListener inboundListener;
    private volatile int port;
    private volatile boolean closed;

    /** An endpoint on {@code host:port} ({@code port} 0: a free port chosen at {@link #start}), system UTC clock. */
    public JainSipPbxEndpoint(String host, int port) {
        this(host, port, Clock.systemUTC());
    }

    /** As {@link #JainSipPbxEndpoint(String, int)}, with registration expiry and nonce age measured on {@code clock}. */
    public JainSipPbxEndpoint(String host, int port, Clock clock) {
        this(host, port, clock, DEFAULT_T1);
    }

    /** With a shorter T1 tests see transaction timeouts (64*T1) in seconds instead of 32 s. */
    JainSipPbxEndpoint(String host, int port, Clock clock, Duration t1) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.host = Objects.requireNonNull(host, "host");
        this.requestedPort = port;
        this.t1Millis = (int) t1.toMillis();
        this.messages = new SipMessages();
        this.registrar = new Registrar(Objects.requireNonNull(clock, "clock"), messages, SERVER);
    }

    @Override
    public synchronized void start(InboundCallListener inbound) throws IOException {
        Objects.requireNonNull(inbound, "inbound listener");
        if (closed) {
            throw new IllegalStateException("endpoint is closed");
        }
        if (stack != null) {
            throw new IllegalStateException("endpoint already started on " + host + ":" + port);
        }
        this.inboundListener = inbound;
        DispatchingSipStack s = DispatchingSipStack.start("sim-pbx");
        try {
            SipProvider p = s.addProvider(host, requestedPort, new Handler());
            this.provider = p;
            this.port = p.getListeningPoints()[0].getPort();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-pbx-sip-timer-" + port);
            t.setDaemon(true);
            return t;
        });
        this.stack = s;
        LOG.info("sim PBX SIP endpoint listening on udp {}:{}", host, port);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void defineEndpoint(String endpoint, String staticContact, String password) {
        registrar.define(endpoint, staticContact, password);
    }

    @Override
    public void onContactChange(java.util.function.Consumer<String> listener) {
        registrar.onContactChange(listener);
    }

    @Override
    public Optional<String> contactOf(String endpoint) {
        return registrar.contactOf(endpoint);
    }

    @Override
    public OutboundLeg dial(String endpoint, String contactUri, CallerId from, OutboundLegListener listener) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(listener, "listener");
        if (from.number() == null || from.number().isBlank()) {
            throw new IllegalArgumentException("caller id without a number");
        }
        SipURI target = messages.parseSipUri(Objects.requireNonNull(contactUri, "contactUri"));
        SipProvider p = provider;
        if (p == null || closed) {
            throw new IllegalStateException(closed ? "endpoint is closed" : "endpoint not started");
        }
        Address fromAddress = messages.address(from.name(), messages.sipUri(from.number(), host, 0));
        Address toAddress = messages.address(null, messages.sipUri(endpoint, target.getHost(), 0));
        Address contact = messages.address(null, messages.sipUri("asterisk", host, port));
        Request invite = messages.newRequest(p, Request.INVITE, target, fromAddress, toAddress, contact,
                ThreadLocalRandom.current().nextInt(1, 20_000), SERVER);
        messages.addHeader(invite, "Allow", SipMessages.ALLOW);
        messages.setSdp(invite, SdpOfferAnswer.offer(host));
        ClientTransaction ct;
        try {
            ct = p.getNewClientTransaction(invite);
        } catch (SipException e) {
            throw new IllegalStateException("cannot create an INVITE transaction towards " + contactUri, e);
        }
        tune(ct);
        JainSipOutboundLeg leg = new JainSipOutboundLeg(this, p, ct, contactUri, listener);
        outbound.put(leg.callId(), leg);
        try {
            ct.sendRequest();
            LOG.debug("dialling {} at {} for {} ({})", endpoint, contactUri, PhoneNumbers.mask(from.number()),
                    leg.callId());
        } catch (SipException | RuntimeException e) {
            String reason = "cannot send INVITE to " + contactUri + ": " + e.getMessage();
            schedule(() -> leg.onSendFailure(reason), 0, TimeUnit.MILLISECONDS);
        }
        return leg;
    }

    @Override
    public void close() {
        DispatchingSipStack s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = stack;
        }
        if (s != null) {
            s.close();
        }
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
        inbound.clear();
        outbound.clear();
        LOG.debug("sim PBX SIP endpoint {}:{} closed", host, port);
    }

    SipMessages messages() {
        return messages;
    }

    long transactionTimeoutMillis() {
        return 64L * t1Millis;
    }

    /** Applies this endpoint's T1 to a new client transaction. */
    void tune(ClientTransaction ct) {
        if (t1Millis != DEFAULT_T1.toMillis()) {
            ct.setRetransmitTimer(t1Millis);
        }
    }

    void schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledExecutorService t = timer;
        if (t != null && !closed) {
            try {
                t.schedule(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.error("sim PBX timer task failed", e);
                    }
                }, delay, unit);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Ended legs stay known for 64*T1 so late retransmissions and crossing BYEs find them. */
    void legEnded(String callId, Object leg) {
        schedule(() -> {
            inbound.remove(callId, leg);
            outbound.remove(callId, leg);
        }, transactionTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private void onNewInvite(RequestEvent event) {
        Request request = event.getRequest();
        ServerTransaction st = SipMessages.serverTransactionOf(event);
        if (st == null) {
            return;
        }
        String fromUser = SipMessages.userOf(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI());
        if (registrar.isDefined(fromUser)) {
            LOG.warn("INVITE from agent endpoint {} refused: the sim PBX routes no agent-originated calls", fromUser);
            messages.respond(event, st, Response.FORBIDDEN, SERVER);
            return;
        }
        if (SipMessages.userOf(request.getRequestURI()) == null) {
            messages.respond(event, st, Response.UNSUPPORTED_URI_SCHEME, SERVER);
            return;
        }
        String answerSdp;
        String body = SipMessages.bodyOf(request);
        if (body.isBlank()) {
            answerSdp = SdpOfferAnswer.offer(host); // late offer: ours goes in the 200, the answer in the ACK
        } else if (!"application/sdp".equals(SipMessages.contentSubtypeOf(request))) {
            messages.respond(event, st, Response.UNSUPPORTED_MEDIA_TYPE, SERVER, "Accept", "application/sdp");
            return;
        } else {
            try {
                answerSdp = SdpOfferAnswer.answer(body, host);
            } catch (SdpOfferAnswer.NotAcceptableException e) {
                messages.respond(event, st, Response.NOT_ACCEPTABLE_HERE, SERVER);
                return;
            } catch (IllegalArgumentException e) {
                LOG.warn("INVITE {} with bad SDP: {}", SipMessages.callIdOf(request), e.getMessage());
                messages.respond(event, st, Response.BAD_REQUEST, SERVER);
                return;
            }
        }
        messages.respond(event, st, Response.TRYING, SERVER);
        JainSipInboundLeg leg = new JainSipInboundLeg(this, provider, st, answerSdp);
        inbound.put(leg.callId(), leg);
        InboundLegListener legListener;
        try {
            legListener = inboundListener.onInvite(leg);
        } catch (RuntimeException e) {
            LOG.error("inbound call listener failed on {}: answering 500", leg.callId(), e);
            leg.reject(Response.SERVER_INTERNAL_ERROR);
            return;
        }
        if (legListener == null) {
            LOG.error("inbound call listener returned no leg listener for {}: answering 500", leg.callId());
            leg.reject(Response.SERVER_INTERNAL_ERROR);
            return;
        }
        leg.listen(legListener);
    }

    private final class Handler implements SipEventHandler {

        @Override
        public void onRequest(RequestEvent event) {
            Request request = event.getRequest();
            String method = request.getMethod();
            String callId = SipMessages.callIdOf(request);
            boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
            switch (method) {
                case Request.INVITE -> {
                    if (inDialog) {
                        messages.respond(event, SipMessages.serverTransactionOf(event), Response.NOT_IMPLEMENTED,
                                SERVER);
                    } else {
                        onNewInvite(event);
                    }
                }
                case Request.ACK -> {
                    JainSipInboundLeg leg = inbound.get(callId);
                    if (leg != null) {
                        leg.onAck();
                    }
                }
                case Request.CANCEL -> {
                    ServerTransaction st = SipMessages.serverTransactionOf(event);
                    JainSipInboundLeg leg = inbound.get(callId);
                    if (leg != null) {
                        leg.onCancel(event, st);
                    } else {
                        messages.respond(event, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, SERVER);
                    }
                }
                case Request.BYE -> {
                    ServerTransaction st = SipMessages.serverTransactionOf(event);
                    JainSipInboundLeg in = inbound.get(callId);
                    JainSipOutboundLeg out = outbound.get(callId);
                    if (in != null) {
                        in.onBye(event, st);
                    } else if (out != null) {
                        out.onBye(event, st);
                    } else {
                        messages.respond(event, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, SERVER);
                    }
                }
                case Request.INFO -> {
                    ServerTransaction st = SipMessages.serverTransactionOf(event);
                    JainSipInboundLeg leg = inbound.get(callId);
                    if (leg != null) {
                        leg.onInfo(event, st);
                    } else {
                        messages.respond(event, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, SERVER);
                    }
                }
                case Request.REGISTER -> registrar.onRegister(event);
                case Request.OPTIONS -> messages.respond(event, SipMessages.serverTransactionOf(event), Response.OK,
                        SERVER, "Allow", SipMessages.ALLOW, "Accept", "application/sdp");
                default -> messages.respond(event, SipMessages.serverTransactionOf(event),
                        Response.METHOD_NOT_ALLOWED, SERVER, "Allow", SipMessages.ALLOW);
            }
        }

        @Override
        public void onResponse(ResponseEvent event) {
            JainSipOutboundLeg leg = outbound.get(SipMessages.callIdOf(event.getResponse()));
            if (leg != null) {
                leg.onResponse(event);
            }
        }

        @Override
        public void onTimeout(TimeoutEvent event) {
            if (event.isServerTransaction()) {
                return; // no ACK for a final error response: nothing left to do
            }
            ClientTransaction ct = event.getClientTransaction();
            JainSipOutboundLeg leg = outbound.get(SipMessages.callIdOf(ct.getRequest()));
            if (leg != null && leg.inviteTransaction() == ct) {
                leg.onInviteTimeout();
            }
        }

        @Override
        public void onDialogTimeout(DialogTimeoutEvent event) {
            Dialog dialog = event.getDialog();
            if (event.getReason() == DialogTimeoutEvent.Reason.AckNotReceived) {
                JainSipInboundLeg leg = inbound.get(dialog.getCallId().getCallId());
                if (leg != null) {
                    leg.onAckTimeout();
                }
            }
        }
    }
}
