package org.hotlinecti.cti.asterisk.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAllowListTest {

    @Test
    void addressesAndBlocks() {
        PeerAllowList list = PeerAllowList.parse(List.of("127.0.0.1", "10.20.0.0/16", "192.168.1.128/25", "fd00::/8"));

        assertThat(list.allows("127.0.0.1")).isTrue();
        assertThat(list.allows("127.0.0.2")).isFalse();
        assertThat(list.allows("10.20.255.1")).isTrue();
        assertThat(list.allows("10.21.0.1")).isFalse();
        assertThat(list.allows("192.168.1.200")).isTrue();
        assertThat(list.allows("192.168.1.127")).isFalse();
        assertThat(list.allows("fd12::1")).isTrue();
        assertThat(list.allows("fe80::1")).isFalse();
    }

    @Test
    void ipv4MappedPeerMatchesItsIpv4Entry() {
        assertThat(PeerAllowList.parse(List.of("127.0.0.1")).allows("::ffff:127.0.0.1")).isTrue();
    }

    @Test
    void hostNamesAndBadEntriesAreRejectedWithTheEntryNamed() {
        assertThatThrownBy(() -> PeerAllowList.parse(List.of("asterisk.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'asterisk.example'");
        assertThatThrownBy(() -> PeerAllowList.parse(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'10.0.0.0/33'");
        assertThatThrownBy(() -> PeerAllowList.parse(List.of("10.0.0.1/x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerAllowList.parse(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agi.allowed_peers");
    }

    @Test
    void unparsablePeerAddressIsNotAllowed() {
        assertThat(PeerAllowList.parse(List.of("0.0.0.0/0")).allows("")).isFalse();
    }
}
