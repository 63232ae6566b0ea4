package org.hotlinecti.sim.pbx.agi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogMaskingTest {

    @Test
    void masksLongDigitRunsOnly() {
        assertThat(LogMasking.masked("EXEC Dial PJSIP/13800001111@trunk,30 12345"))
                .isEqualTo("EXEC Dial PJSIP/138****1111@trunk,30 12345");
        assertThat(LogMasking.masked("caller 87654321 line 12315")).isEqualTo("caller ****4321 line 12315");
        assertThat(LogMasking.masked(null)).isEqualTo("-");
    }
}
