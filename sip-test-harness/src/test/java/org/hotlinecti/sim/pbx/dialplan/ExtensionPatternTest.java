package org.hotlinecti.sim.pbx.dialplan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExtensionPatternTest {

    @Test
    void matchesAsteriskPatterns() {
        assertThat(new ExtensionPattern("_X.").matches("12345")).isTrue();
        assertThat(new ExtensionPattern("_X.").matches("1")).isFalse();
        assertThat(new ExtensionPattern("_X.").matches("")).isFalse();
        assertThat(new ExtensionPattern("_10XX").matches("1001")).isTrue();
        assertThat(new ExtensionPattern("_10XX").matches("10011")).isFalse();
        assertThat(new ExtensionPattern("_NXX").matches("123")).isFalse();
        assertThat(new ExtensionPattern("_NXX").matches("223")).isTrue();
        assertThat(new ExtensionPattern("_Z!").matches("1")).isTrue();
        assertThat(new ExtensionPattern("_1[2-35]X").matches("145")).isFalse();
        assertThat(new ExtensionPattern("_1[2-35]X").matches("155")).isTrue();
        assertThat(new ExtensionPattern("_1[2-35]X").matches("135")).isTrue();
        assertThat(new ExtensionPattern("s").matches("s")).isTrue();
        assertThat(new ExtensionPattern("12345").matches("12346")).isFalse();
    }
}
