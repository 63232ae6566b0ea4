package org.hotlinecti.ivr.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hotlinecti.ivr.prompts.ChineseNumbers.Style;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChineseNumbersTest {

    @ParameterizedTest(name = "{0} counted is {1}")
    @CsvSource({
            "0, 零", "1, 一", "2, 两", "3, 三", "9, 九",
            "10, 十", "11, 十一", "12, 十二", "19, 十九", "20, 二十", "22, 二十二", "99, 九十九",
            "100, 一百", "101, 一百零一", "102, 一百零二", "110, 一百一十", "111, 一百一十一", "120, 一百二十",
            "200, 两百", "202, 两百零二", "220, 两百二十", "999, 九百九十九",
            "1000, 一千", "1001, 一千零一", "1010, 一千零一十", "1100, 一千一百", "1200, 一千二百",
            "2000, 两千", "2002, 两千零二", "2222, 两千二百二十二", "9009, 九千零九",
            "10000, 一万", "10001, 一万零一", "10010, 一万零一十", "10100, 一万零一百", "10200, 一万零二百",
            "11000, 一万一千", "12000, 一万两千", "20000, 两万", "22000, 两万两千", "100000, 十万", "110000, 十一万",
            "120000, 十二万", "150000, 十五万", "200000, 二十万", "1000000, 一百万", "1000001, 一百万零一",
            "1010000, 一百零一万", "1234567, 一百二十三万四千五百六十七", "10000000, 一千万",
            "20000000, 两千万", "100000000, 一亿", "100000001, 一亿零一", "100010000, 一亿零一万",
            "110000000, 一亿一千万", "200000000, 两亿", "1000000000, 十亿", "123456789012, 一千二百三十四亿五千六百七十八万九千零一十二"
    })
    void countingFollowsMandarinGrammar(long n, String expected) {
        assertThat(ChineseNumbers.text(n, Style.COUNT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} read is {1}")
    @CsvSource({"2, 二", "200, 二百", "2000, 二千", "20000, 二万", "12, 十二", "102, 一百零二"})
    void plainReadingAlwaysSaysEr(long n, String expected) {
        assertThat(ChineseNumbers.text(n, Style.PLAIN)).isEqualTo(expected);
    }

    @Test
    void tokensAreTheSyllableFilesInOrder() {
        assertThat(ChineseNumbers.tokens(2, Style.COUNT)).containsExactly("liang");
        assertThat(ChineseNumbers.tokens(10500, Style.COUNT)).containsExactly("1", "wan", "0", "5", "bai");
        assertThat(ChineseNumbers.tokens(15, Style.COUNT)).containsExactly("shi", "5");
        assertThat(ChineseNumbers.SYLLABLES.keySet()).containsAll(ChineseNumbers.tokens(ChineseNumbers.MAX,
                Style.COUNT));
    }

    @Test
    void phoneNumbersAreReadDigitByDigitWithYao() {
        assertThat(ChineseNumbers.text(ChineseNumbers.digits("12345", true))).isEqualTo("幺二三四五");
        assertThat(ChineseNumbers.text(ChineseNumbers.digits("20260302-0000123", false)))
                .isEqualTo("二零二六零三零二零零零零一二三");
    }

    @Test
    void outOfRangeIsRefused() {
        assertThatThrownBy(() -> ChineseNumbers.tokens(-1, Style.COUNT)).hasMessageContaining("0..");
        assertThatThrownBy(() -> ChineseNumbers.tokens(ChineseNumbers.MAX + 1, Style.COUNT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
