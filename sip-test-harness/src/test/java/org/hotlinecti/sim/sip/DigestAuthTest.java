package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DigestAuthTest {

    @Test
    void matchesTheRfc2617Example() {
        // RFC 2617 §3.5: Mufasa / "Circle Of Life", qop=auth.
        String response = DigestAuth.response("Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
                "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b");

        assertThat(response).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void withoutQopUsesTheRfc2069Form() {
        String ha1 = DigestAuth.md5Hex("agent1002:asterisk:agent1002-pw");
        String ha2 = DigestAuth.md5Hex("REGISTER:sip:127.0.0.1:5060");

        assertThat(DigestAuth.response("agent1002", "asterisk", "agent1002-pw", "REGISTER", "sip:127.0.0.1:5060",
                "n0nce", null, null, null)).isEqualTo(DigestAuth.md5Hex(ha1 + ":n0nce:" + ha2));
    }

    @Test
    void md5OfTheEmptyString() {
        assertThat(DigestAuth.md5Hex("")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void authIntIsNotSupported() {
        assertThatThrownBy(() -> DigestAuth.response("u", "r", "p", "REGISTER", "sip:x", "n", "auth-int", "00000001",
                "c")).isInstanceOf(IllegalArgumentException.class);
    }
}
