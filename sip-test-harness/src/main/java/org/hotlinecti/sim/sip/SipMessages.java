package org.hotlinecti.sim.sip;

import gov.nist.javax.sip.Utils;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import javax.sip.InvalidArgumentException;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RI's message/header/address factories plus the few message shapes the simulator builds again and again. */
final class SipMessages {

    private static final Logger LOG = LoggerFactory.getLogger(SipMessages.class);

    /** What the sim PBX and the phones accept, as PJSIP advertises it (minus what a signalling-only UA can't do). */
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER";

    final AddressFactory addresses;
    final HeaderFactory headers;
    final MessageFactory messages;

    SipMessages() {
        try {
            SipFactory factory = SipFactory.getInstance();
            this.addresses = factory.createAddressFactory();
            this.headers = factory.createHeaderFactory();
            this.messages = factory.createMessageFactory();
        } catch (PeerUnavailableException e) {
            throw new IllegalStateException("JAIN-SIP RI factories unavailable", e);
        }
    }

    static String newTag() {
        return Utils.getInstance().generateTag();
    }

    static String reasonPhrase(int statusCode) {
        String phrase = SIPResponse.getReasonPhrase(statusCode);
        return phrase == null || phrase.isEmpty() ? "Unknown" : phrase;
    }

    /** The user part of a SIP URI, or {@code null} for other URIs. */
    static String userOf(URI uri) {
        return uri instanceof SipURI sip ? sip.getUser() : null;
    }

    /** The display name of an address, or its user part when it has none. */
    static String displayNameOf(Address address) {
        String name = address.getDisplayName();
        return name == null || name.isBlank() ? userOf(address.getURI()) : name;
    }

    static String callIdOf(Message message) {
        return ((CallIdHeader) message.getHeader(CallIdHeader.NAME)).getCallId();
    }

    static String methodOf(Response response) {
        return ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
    }

    SipURI parseSipUri(String uri) {
        try {
            URI parsed = addresses.createURI(uri);
            if (!(parsed instanceof SipURI sip)) {
                throw new IllegalArgumentException("not a sip: URI: " + uri);
            }
            return sip;
        } catch (ParseException e) {
            throw new IllegalArgumentException("malformed SIP URI '" + uri + "': " + e.getMessage(), e);
        }
    }

    SipURI sipUri(String user, String host, int port) {
        try {
            SipURI uri = addresses.createSipURI(user, host);
            if (port > 0) {
                uri.setPort(port);
            }
            return uri;
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad SIP URI parts " + user + "@" + host + ": " + e.getMessage(), e);
        }
    }

    Address address(String displayName, URI uri) {
        Address address = addresses.createAddress(uri);
        if (displayName != null && !displayName.isBlank()) {
            try {
                address.setDisplayName(displayName);
            } catch (ParseException e) {
                throw new IllegalArgumentException("bad display name '" + displayName + "'", e);
            }
        }
        return address;
    }

    /**
     * A new out-of-dialog request with fresh From tag; Via branch and Call-ID come from the provider.
     */
    Request newRequest(SipProvider provider, String method, URI requestUri, Address from, Address to,
            Address contact, long cseq, String userAgent) {
        try {
            var lp = provider.getListeningPoints()[0];
            CallIdHeader callId = provider.getNewCallId();
            FromHeader fromHeader = headers.createFromHeader(from, newTag());
            ToHeader toHeader = headers.createToHeader(to, null);
            ViaHeader via = headers.createViaHeader(lp.getIPAddress(), lp.getPort(), lp.getTransport(), null);
            via.setRPort();
            CSeqHeader cseqHeader = headers.createCSeqHeader(cseq, method);
            MaxForwardsHeader maxForwards = headers.createMaxForwardsHeader(70);
            Request request = messages.createRequest(requestUri, method, callId, cseqHeader, fromHeader, toHeader,
                    List.of(via), maxForwards);
            if (contact != null) {
                request.addHeader(headers.createContactHeader(contact));
            }
            request.addHeader(headers.createHeader("User-Agent", userAgent));
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build " + method + " request: " + e.getMessage(), e);
        }
    }

    /** A response to {@code request}; {@code toTag} is added when the request's To has none (dialog-forming). */
    Response response(int statusCode, Request request, String toTag, String server) {
        try {
            Response response = messages.createResponse(statusCode, request);
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (toTag != null && to.getTag() == null && statusCode > 100) {
                to.setTag(toTag);
            }
            response.addHeader(headers.createHeader("Server", server));
            return response;
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a " + statusCode + " response: " + e.getMessage(), e);
        }
    }

    ContactHeader contact(URI uri) {
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    void setBody(Message message, String type, String subType, String body) {
        try {
            ContentTypeHeader contentType = headers.createContentTypeHeader(type, subType);
            message.setContent(body.getBytes(StandardCharsets.UTF_8), contentType);
        } catch (ParseException e) {
            throw new IllegalStateException("cannot set a " + type + "/" + subType + " body", e);
        }
    }

    void setSdp(Message message, String sdp) {
        setBody(message, "application", "sdp", sdp);
    }

    /** Adds a header given as text; list values ({@code Allow: INVITE, ACK}) become the RI's list headers. */
    void addHeader(Message message, String name, String value) {
        try {
            if (value.indexOf(',') < 0) {
                message.addHeader(headers.createHeader(name, value));
                return;
            }
            for (Object h : ((HeaderFactoryImpl) headers).createHeaders(name + ": " + value)) {
                message.addHeader((Header) h);
            }
        } catch (ParseException e) {
            throw new IllegalStateException("bad header " + name + ": " + value, e);
        }
    }

    /** The body as text, or an empty string. */
    static String bodyOf(Message message) {
        byte[] raw = message.getRawContent();
        return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    }

    /** The media subtype ({@code sdp}, {@code dtmf-relay}...) in lower case, or {@code null} without a body type. */
    static String contentSubtypeOf(Message message) {
        ContentTypeHeader ct = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        return ct == null ? null : ct.getContentType().toLowerCase() + "/" + ct.getContentSubType().toLowerCase();
    }

    /**
     * The server transaction of a request event, created if the RI has not yet done so; {@code null} when the
     * request cannot get one (e.g. a retransmission the RI already owns) — then answer statelessly or ignore.
     */
    static ServerTransaction serverTransactionOf(RequestEvent event) {
        ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        } catch (TransactionUnavailableException e) {
            LOG.debug("no server transaction for {}: {}", event.getRequest().getMethod(), e.getMessage());
            return null;
        }
    }

    /** Answers a request with a bare status, statefully if possible. Never throws. */
    void respond(RequestEvent event, ServerTransaction st, int statusCode, String server, String... extraHeaders) {
        Request request = event.getRequest();
        try {
            Response response = response(statusCode, request, newTag(), server);
            for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
                addHeader(response, extraHeaders[i], extraHeaders[i + 1]);
            }
            if (st != null) {
                st.sendResponse(response);
            } else {
                ((SipProvider) event.getSource()).sendResponse(response);
            }
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not answer {} {} with {}: {}", request.getMethod(), callIdOf(request), statusCode,
                    e.toString());
        }
    }
}
