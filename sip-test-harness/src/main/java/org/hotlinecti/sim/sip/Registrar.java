package org.hotlinecti.sim.sip;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sim PBX's endpoint table and registrar, behaving like PJSIP's {@code res_pjsip_registrar} with the project's
 * {@code pjsip.conf}: one contact per AOR ({@code max_contacts=1}, {@code remove_existing=yes}), digest auth with
 * realm {@code asterisk}, expiry between {@value #MIN_EXPIRES} and {@value #MAX_EXPIRES} seconds.
 *
 * <p>Nonces are stateless (issue time plus a keyed hash) and live {@value #NONCE_LIFETIME_SECONDS} s, PJSIP's
 * default; an expired nonce with an otherwise correct digest is challenged again with {@code stale=true}. A wrong
 * digest is challenged again with a fresh nonce, as PJSIP does.
 */
final class Registrar {

    static final String REALM = "asterisk";
    static final int MIN_EXPIRES = 60;
    static final int MAX_EXPIRES = 7200;
    static final int DEFAULT_EXPIRES = 3600;
    static final int NONCE_LIFETIME_SECONDS = 32;

    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

    private record Endpoint(String name, String staticContact, String password) {
    }

    private record Binding(String contact, Instant expiresAt) {
    }

    private final Clock clock;
    private final SipMessages messages;
    private final String server;
    private final String nonceSecret;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<String> contactListener = endpoint -> { };

    Registrar(Clock clock, SipMessages messages, String server) {
        this.clock = clock;
        this.messages = messages;
        this.server = server;
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        this.nonceSecret = HexFormat.of().formatHex(secret);
    }

    void define(String endpoint, String staticContact, String password) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("endpoint name must not be blank");
        }
        if (staticContact != null) {
            messages.parseSipUri(staticContact);
        }
        endpoints.put(endpoint, new Endpoint(endpoint, staticContact, password));
    }

    /** Told the endpoint's name after each REGISTER that added or removed its contact (on the SIP thread). */
    void onContactChange(java.util.function.Consumer<String> listener) {
        this.contactListener = listener;
    }

    boolean isDefined(String endpoint) {
        return endpoint != null && endpoints.containsKey(endpoint);
    }

    Optional<String> contactOf(String endpoint) {
        Endpoint e = endpoint == null ? null : endpoints.get(endpoint);
        if (e == null) {
            return Optional.empty();
        }
        Binding b = bindings.get(endpoint);
        if (b != null && b.expiresAt().isAfter(clock.instant())) {
            return Optional.of(b.contact());
        }
        return Optional.ofNullable(e.staticContact());
    }

    void onRegister(RequestEvent event) {
        ServerTransaction st = SipMessages.serverTransactionOf(event);
        if (st == null) {
            return;
        }
        Request request = event.getRequest();
        String aor = SipMessages.userOf(((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI());
        Endpoint endpoint = aor == null ? null : endpoints.get(aor);
        if (endpoint == null) {
            // PJSIP would challenge first (to not reveal which endpoints exist) and then refuse; there is no secret
            // to challenge with here, so refuse at once with the same final answer a client ends up with.
            LOG.debug("REGISTER for unknown endpoint {}: 403", aor);
            messages.respond(event, st, Response.FORBIDDEN, server);
            return;
        }
        if (endpoint.password() != null) {
            Verdict verdict = verify(request, endpoint);
            if (verdict != Verdict.OK) {
                LOG.debug("REGISTER for {}: {}, challenging", aor, verdict);
                challenge(event, st, verdict == Verdict.STALE);
                return;
            }
        }
        bind(event, st, endpoint);
    }

    private enum Verdict { OK, MISSING, WRONG, STALE }

    private Verdict verify(Request request, Endpoint endpoint) {
        ListIterator<?> it = request.getHeaders(AuthorizationHeader.NAME);
        Verdict verdict = Verdict.MISSING;
        while (it != null && it.hasNext()) {
            AuthorizationHeader auth = (AuthorizationHeader) it.next();
            if (!REALM.equals(auth.getRealm()) || !endpoint.name().equals(auth.getUsername())) {
                verdict = Verdict.WRONG;
                continue;
            }
            String nonce = auth.getNonce();
            String uri = auth.getParameter("uri");
            String qop = auth.getQop();
            String expected;
            try {
                expected = DigestAuth.response(endpoint.name(), REALM, endpoint.password(), request.getMethod(),
                        uri == null ? request.getRequestURI().toString() : uri, nonce, qop,
                        auth.getParameter("nc"), auth.getCNonce());
            } catch (IllegalArgumentException e) {
                verdict = Verdict.WRONG;
                continue;
            }
            if (nonce == null || !expected.equalsIgnoreCase(auth.getResponse())) {
                verdict = Verdict.WRONG;
                continue;
            }
            return nonceIsFresh(nonce) ? Verdict.OK : Verdict.STALE;
        }
        return verdict;
    }

    String newNonce() {
        long issued = clock.millis();
        return issued + "/" + DigestAuth.md5Hex(issued + ":" + nonceSecret);
    }

    private boolean nonceIsFresh(String nonce) {
        int slash = nonce.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        try {
            long issued = Long.parseLong(nonce.substring(0, slash));
            boolean ours = DigestAuth.md5Hex(issued + ":" + nonceSecret).equals(nonce.substring(slash + 1));
            long age = clock.millis() - issued;
            return ours && age >= 0 && age <= NONCE_LIFETIME_SECONDS * 1000L;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void challenge(RequestEvent event, ServerTransaction st, boolean stale) {
        try {
            Response response = messages.response(Response.UNAUTHORIZED, event.getRequest(), SipMessages.newTag(),
                    server);
            WWWAuthenticateHeader www = messages.headers.createWWWAuthenticateHeader("Digest");
            www.setRealm(REALM);
            www.setNonce(newNonce());
            www.setAlgorithm("MD5");
            www.setQop("auth");
            if (stale) {
                www.setStale(true);
            }
            response.addHeader(www);
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException e) {
            LOG.warn("could not send a digest challenge: {}", e.toString());
        }
    }

    private void bind(RequestEvent event, ServerTransaction st, Endpoint endpoint) {
        Request request = event.getRequest();
        ContactHeader contact = (ContactHeader) request.getHeader(ContactHeader.NAME);
        ExpiresHeader expiresHeader = request.getExpires();
        int requested = contact != null && contact.getExpires() >= 0 ? contact.getExpires()
                : expiresHeader != null ? expiresHeader.getExpires() : DEFAULT_EXPIRES;
        if (contact != null) {
            if (requested == 0) {
                if (contact.isWildCard()) {
                    bindings.remove(endpoint.name());
                } else {
                    String uri = contact.getAddress().getURI().toString();
                    bindings.computeIfPresent(endpoint.name(), (k, b) -> b.contact().equals(uri) ? null : b);
                }
                LOG.debug("{} unregistered", endpoint.name());
            } else if (contact.isWildCard()) {
                messages.respond(event, st, Response.BAD_REQUEST, server);
                return;
            } else if (requested < MIN_EXPIRES) {
                messages.respond(event, st, Response.INTERVAL_TOO_BRIEF, server, "Min-Expires",
                        String.valueOf(MIN_EXPIRES));
                return;
            } else {
                int granted = Math.min(requested, MAX_EXPIRES);
                String uri = contact.getAddress().getURI().toString();
                bindings.put(endpoint.name(), new Binding(uri, clock.instant().plus(Duration.ofSeconds(granted))));
                LOG.debug("{} registered at {} for {} s", endpoint.name(), uri, granted);
            }
        }
        if (contact != null) {
            contactListener.accept(endpoint.name());
        }
        try {
            Response ok = messages.response(Response.OK, request, SipMessages.newTag(), server);
            Binding b = bindings.get(endpoint.name());
            if (b != null && b.expiresAt().isAfter(clock.instant())) {
                ContactHeader current = messages.contact(messages.parseSipUri(b.contact()));
                current.setExpires((int) Math.max(1, Duration.between(clock.instant(), b.expiresAt()).toSeconds()));
                ok.addHeader(current);
            }
            st.sendResponse(ok);
        } catch (SipException | InvalidArgumentException e) {
            LOG.warn("could not answer REGISTER of {}: {}", endpoint.name(), e.toString());
        }
    }
}
