package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registrar against a text-only phone that answers the challenge without qop (RFC 2069 form) and tries what
 * the JAIN-SIP phone never sends: too short an expiry, the {@code *} contact, a stale nonce.
 */
class RawRegisterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");

    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-03-02T02:00:00Z"));
    private final String callId = UUID.randomUUID() + "@127.0.0.1";
    private TestPbx pbx;
    private RawSipPeer phone;
    private int cseq;

    @BeforeEach
    void start() throws Exception {
        pbx = TestPbx.start(clock, JainSipPbxEndpoint.DEFAULT_T1);
        pbx.endpoint.defineEndpoint("agent1002", null, "agent1002-pw");
        phone = new RawSipPeer();
    }

    @AfterEach
    void stop() {
        phone.close();
        pbx.close();
    }

    private String contact() {
        return "sip:agent1002@127.0.0.1:" + phone.port();
    }

    private RawSipPeer.Message register(String contactHeader, int expires, String authorization) throws Exception {
        cseq++;
        phone.sendRequest("""
                REGISTER sip:127.0.0.1:%2$d SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%1$d;branch=z9hG4bK-reg-%4$d
                From: <sip:agent1002@127.0.0.1>;tag=reg1
                To: <sip:agent1002@127.0.0.1>
                Call-ID: %3$s
                CSeq: %4$d REGISTER
                Contact: %5$s
                Expires: %6$d
                Max-Forwards: 70
                %7$s
                """.formatted(phone.port(), pbx.port(), callId, cseq, contactHeader, expires,
                authorization == null ? "" : "Authorization: " + authorization), "", pbx.port());
        return phone.expect(m -> m.statusCode() >= 200 && m.cseqMethod().equals("REGISTER"), WAIT);
    }

    private String nonceOf(RawSipPeer.Message challenge) {
        Matcher m = NONCE.matcher(challenge.header("WWW-Authenticate").orElseThrow());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private String rfc2069(String nonce) throws Exception {
        String uri = "sip:127.0.0.1:" + pbx.port();
        String ha1 = md5("agent1002:asterisk:agent1002-pw");
        String ha2 = md5("REGISTER:" + uri);
        return "Digest username=\"agent1002\",realm=\"asterisk\",nonce=\"" + nonce + "\",uri=\"" + uri
                + "\",response=\"" + md5(ha1 + ":" + nonce + ":" + ha2) + "\",algorithm=MD5";
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void challengesThenAcceptsADigestWithoutQop() throws Exception {
        RawSipPeer.Message challenge = register("<" + contact() + ">", 3600, null);
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Digest").contains("realm=\"asterisk\"").containsIgnoringCase("algorithm=MD5")
                .contains("qop=\"auth\""));

        RawSipPeer.Message ok = register("<" + contact() + ">", 3600, rfc2069(nonceOf(challenge)));

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.header("Contact")).hasValueSatisfying(v -> assertThat(v).contains(contact()).contains("expires=3600"));
        assertThat(pbx.endpoint.contactOf("agent1002")).contains(contact());
    }

    @Test
    void aWrongDigestIsChallengedAgainWithAFreshNonce() throws Exception {
        String nonce = nonceOf(register("<" + contact() + ">", 3600, null));
        clock.advance(Duration.ofMillis(5));

        RawSipPeer.Message again = register("<" + contact() + ">", 3600,
                rfc2069(nonce).replaceFirst("response=\"[0-9a-f]+\"", "response=\"00000000000000000000000000000000\""));

        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(nonceOf(again)).isNotEqualTo(nonce);
        assertThat(pbx.endpoint.contactOf("agent1002")).isEmpty();
    }

    @Test
    void anExpiredNonceIsChallengedAsStale() throws Exception {
        String nonce = nonceOf(register("<" + contact() + ">", 3600, null));
        clock.advance(Duration.ofSeconds(Registrar.NONCE_LIFETIME_SECONDS + 1));

        RawSipPeer.Message stale = register("<" + contact() + ">", 3600, rfc2069(nonce));

        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("stale=true"));
        RawSipPeer.Message ok = register("<" + contact() + ">", 3600, rfc2069(nonceOf(stale)));
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    @Test
    void tooShortAnExpiryIsRefusedWithMinExpires() throws Exception {
        String nonce = nonceOf(register("<" + contact() + ">", 30, null));

        RawSipPeer.Message brief = register("<" + contact() + ">", 30, rfc2069(nonce));

        assertThat(brief.statusCode()).isEqualTo(423);
        assertThat(brief.header("Min-Expires")).contains("60");
    }

    @Test
    void longExpiriesAreCappedAndTheStarContactRemovesAll() throws Exception {
        String nonce = nonceOf(register("<" + contact() + ">", 3600, null));
        RawSipPeer.Message capped = register("<" + contact() + ">", 100_000, rfc2069(nonce));
        assertThat(capped.header("Contact")).hasValueSatisfying(v -> assertThat(v).contains("expires=" + Registrar.MAX_EXPIRES));

        RawSipPeer.Message removed = register("*", 0, rfc2069(nonce));

        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(removed.header("Contact")).isEmpty();
        assertThat(pbx.endpoint.contactOf("agent1002")).isEmpty();
    }
}
