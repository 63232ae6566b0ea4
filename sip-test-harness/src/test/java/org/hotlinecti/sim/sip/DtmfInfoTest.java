package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DtmfInfoTest {

    @Test
    void parsesTheSippBody() {
        assertThat(DtmfInfo.parse(DtmfInfo.DTMF_RELAY, "Signal=1\r\nDuration=250\r\n")).isEqualTo(new DtmfInfo('1', 250));
    }

    @Test
    void toleratesSpacesCaseAndBareNewlines() {
        assertThat(DtmfInfo.parse(DtmfInfo.DTMF_RELAY, "signal= #\nduration = 160\n")).isEqualTo(new DtmfInfo('#', 160));
    }

    @Test
    void durationDefaultsToAsterisksDefault() {
        assertThat(DtmfInfo.parse(DtmfInfo.DTMF_RELAY, "Signal=9")).isEqualTo(new DtmfInfo('9', DtmfInfo.DEFAULT_DURATION_MS));
    }

    @ParameterizedTest
    @CsvSource({"10,*", "11,#", "12,A", "15,D", "0,0", "b,B"})
    void acceptsEventNumbersAndLetters(String signal, char digit) {
        assertThat(DtmfInfo.parse(DtmfInfo.DTMF_RELAY, "Signal=" + signal).digit()).isEqualTo(digit);
        assertThat(DtmfInfo.parse(DtmfInfo.DTMF, signal).digit()).isEqualTo(digit);
    }

    @Test
    void refusesWhatIsNotDtmf() {
        assertThatThrownBy(() -> DtmfInfo.parse(DtmfInfo.DTMF_RELAY, "Duration=250")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtmfInfo.parse(DtmfInfo.DTMF_RELAY, "Signal=16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtmfInfo.parse(DtmfInfo.DTMF_RELAY, "Signal=1\nDuration=abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtmfInfo.parse(DtmfInfo.DTMF_RELAY, "Signal=1\nDuration=0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtmfInfo.parse(DtmfInfo.DTMF, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtmfInfo.parse("text/plain", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relayBodyRoundTrips() {
        DtmfInfo star = new DtmfInfo('*', 250);
        assertThat(star.relayBody()).isEqualTo("Signal=*\r\nDuration=250\r\n");
        assertThat(DtmfInfo.parse(DtmfInfo.DTMF_RELAY, star.relayBody())).isEqualTo(star);
    }
}
