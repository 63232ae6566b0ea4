package org.hotlinecti.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigitsFormatTest {

    @Test
    void idNumbersNeedTheirCheckCharacterAndAValidBirthDate() {
        // GB 11643 sample number; its check character is X, typed as *
        assertThat(DigitsFormat.ID_NUMBER.normalise("11010519491231002*")).contains("11010519491231002X");
        assertThat(DigitsFormat.ID_NUMBER.normalise("110105194912310021")).isEmpty();   // wrong check digit
        assertThat(DigitsFormat.ID_NUMBER.normalise("440524188001010014")).contains("440524188001010014");
        assertThat(DigitsFormat.ID_NUMBER.normalise("44052418800101001")).isEmpty();    // 17 digits
        assertThat(DigitsFormat.ID_NUMBER.normalise("110105194902300017")).isEmpty();   // 30 February
    }

    @Test
    void ticketNumbersAreDatedAndGetTheirDash() {
        assertThat(DigitsFormat.TICKET_NUMBER.normalise("202603020000123")).contains("20260302-0000123");
        assertThat(DigitsFormat.TICKET_NUMBER.normalise("202613020000123")).isEmpty();
        assertThat(DigitsFormat.TICKET_NUMBER.normalise("2026030200001")).isEmpty();
    }

    @Test
    void phonesAreMobilesOrLandlinesWithAreaCode() {
        assertThat(DigitsFormat.PHONE.normalise("13800001111")).contains("13800001111");
        assertThat(DigitsFormat.PHONE.normalise("057188001234")).contains("057188001234");
        assertThat(DigitsFormat.PHONE.normalise("12800001111")).isEmpty();
        assertThat(DigitsFormat.PHONE.normalise("88001234")).isEmpty();
        assertThat(DigitsFormat.ANY.normalise("12*3")).contains("12*3");
    }
}
