package org.hotlinecti.sim.pbx.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgiUrlTest {

    @Test
    void hostPortAndScript() {
        assertThat(AgiUrl.parse("agi://127.0.0.1:4573/inbound"))
                .isEqualTo(new AgiUrl("agi://127.0.0.1:4573/inbound", "127.0.0.1", 4573, "inbound"));
    }

    @Test
    void defaultPortAndQueryKeptInScript() {
        AgiUrl u = AgiUrl.parse("agi://cti.example/survey?line=12345");
        assertThat(u.host()).isEqualTo("cti.example");
        assertThat(u.port()).isEqualTo(4573);
        assertThat(u.script()).isEqualTo("survey?line=12345");
    }

    @Test
    void ipv6Host() {
        AgiUrl u = AgiUrl.parse("agi://[::1]:4600/x");
        assertThat(u.host()).isEqualTo("::1");
        assertThat(u.port()).isEqualTo(4600);
    }

    @Test
    void rejectsWhatIsNotAFastAgiUrl() {
        assertThatThrownBy(() -> AgiUrl.parse("http://x/y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgiUrl.parse("agi://:4573/x")).hasMessageContaining("no host");
        assertThatThrownBy(() -> AgiUrl.parse("agi://h:99999/x")).hasMessageContaining("bad port");
    }
}
