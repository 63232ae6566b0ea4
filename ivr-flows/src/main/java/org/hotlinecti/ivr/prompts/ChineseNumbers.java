package org.hotlinecti.ivr.prompts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Numbers as Mandarin speaks them, composed from a small set of recorded syllables (the {@code num/*} prompts of the
 * catalogue): {@code 0}–{@code 9}, {@code liang} 两, {@code shi} 十, {@code bai} 百, {@code qian} 千, {@code wan} 万,
 * {@code yi} 亿 and {@code yao} 幺.
 *
 * <p>Grammar followed:
 * <ul>
 *   <li>Units 十/百/千 inside each four-digit section, 万/亿 between sections: 1234567 → 一百二十三万四千五百六十七.</li>
 *   <li>零 once for any run of zeros between spoken digits, also across sections: 101 一百零一, 1010 一千零一十,
 *       10500 一万零五百, 100000001 一亿零一; never at the end: 1000 一千, 100000 十万.</li>
 *   <li>十 without 一 when it leads the number: 10 十, 15 十五, 150000 十五万; inside it keeps 一: 110 一百一十.</li>
 *   <li>{@link Style#COUNT} (before a measure word: 位, 分钟, 个) says 两 for a 2 that counts a unit: the number 2
 *       itself (两位), 2 thousands anywhere (一万两千), 2 hundreds at the head (两百二十), and 2 as a whole section
 *       before 万/亿 (两万, 两亿); 2 in the tens and as a trailing unit stays 二 (二十, 十二, 一百零二).
 *       {@link Style#PLAIN} (reading a value) always says 二.</li>
 * </ul>
 */
public final class ChineseNumbers {

    /** How a 2 is spoken. */
    public enum Style {
        /** Counting before a measure word: 两位, 两分钟, 两百, 两千, 两万. */
        COUNT,
        /** Reading a value: 二, 二百. */
        PLAIN
    }

    /** The syllable tokens and their text; the catalogue has a {@code num/<token>} prompt for each. */
    public static final Map<String, String> SYLLABLES = Map.ofEntries(
            Map.entry("0", "零"), Map.entry("1", "一"), Map.entry("2", "二"), Map.entry("3", "三"),
            Map.entry("4", "四"), Map.entry("5", "五"), Map.entry("6", "六"), Map.entry("7", "七"),
            Map.entry("8", "八"), Map.entry("9", "九"), Map.entry("liang", "两"), Map.entry("shi", "十"),
            Map.entry("bai", "百"), Map.entry("qian", "千"), Map.entry("wan", "万"), Map.entry("yi", "亿"),
            Map.entry("yao", "幺"));

    /** The largest number spoken: 9999 亿 9999 万 9999. */
    public static final long MAX = 9_999_9999_9999L;

    private static final String[] SECTION_UNITS = {"", "wan", "yi"};
    private static final String[] POSITION_UNITS = {"qian", "bai", "shi", ""};

    private ChineseNumbers() {
    }

    /** The syllable tokens for {@code n}, e.g. 2 (COUNT) → {@code [liang]}, 101 → {@code [1, bai, 0, 1]}. */
    public static List<String> tokens(long n, Style style) {
        if (n < 0 || n > MAX) {
            throw new IllegalArgumentException("can speak 0.." + MAX + ", not " + n);
        }
        if (n == 0) {
            return List.of("0");
        }
        int[] sections = {(int) (n % 10000), (int) (n / 10000 % 10000), (int) (n / 100000000)};
        List<String> out = new ArrayList<>();
        boolean zeroPending = false;
        for (int i = sections.length - 1; i >= 0; i--) {
            int value = sections[i];
            if (value == 0) {
                zeroPending = !out.isEmpty();
                continue;
            }
            if (!out.isEmpty() && (zeroPending || value < 1000)) {
                out.add("0");
            }
            section(value, out.isEmpty(), i, n, style, out);
            if (!SECTION_UNITS[i].isEmpty()) {
                out.add(SECTION_UNITS[i]);
            }
            zeroPending = false;
        }
        return List.copyOf(out);
    }

    private static void section(int value, boolean leadsNumber, int sectionIndex, long whole, Style style,
            List<String> out) {
        int[] digits = {value / 1000, value / 100 % 10, value / 10 % 10, value % 10};
        boolean started = false;
        boolean zeroPending = false;
        for (int pos = 0; pos < 4; pos++) {
            int d = digits[pos];
            if (d == 0) {
                zeroPending = started;
                continue;
            }
            if (zeroPending) {
                out.add("0");
                zeroPending = false;
            }
            boolean head = leadsNumber && !started;
            if (pos == 2 && d == 1 && head) {
                out.add("shi");
            } else {
                out.add(d == 2 && style == Style.COUNT && saysLiang(pos, head, value, sectionIndex, whole)
                        ? "liang" : String.valueOf(d));
                if (!POSITION_UNITS[pos].isEmpty()) {
                    out.add(POSITION_UNITS[pos]);
                }
            }
            started = true;
        }
    }

    private static boolean saysLiang(int pos, boolean head, int sectionValue, int sectionIndex, long whole) {
        return switch (pos) {
            case 0 -> true;                                     // 两千
            case 1 -> head;                                     // 两百 at the head, 一千二百 inside
            case 3 -> sectionValue == 2 && (sectionIndex > 0 || whole == 2);   // 两万, 两亿, 两(位)
            default -> false;                                   // 二十
        };
    }

    /** The number as Chinese characters, e.g. 10500 → 一万零五百. */
    public static String text(long n, Style style) {
        return text(tokens(n, style));
    }

    /**
     * Digit by digit, for phone and ticket numbers; {@code 1} is spoken 幺 when {@code yao} (as for phone numbers,
     * where 一 and 七 are easily confused). Characters other than digits are skipped.
     */
    public static List<String> digits(String digits, boolean yao) {
        List<String> out = new ArrayList<>();
        for (char c : digits.toCharArray()) {
            if (c >= '0' && c <= '9') {
                out.add(c == '1' && yao ? "yao" : String.valueOf(c));
            }
        }
        return List.copyOf(out);
    }

    /** The text of syllable tokens. */
    public static String text(List<String> tokens) {
        return tokens.stream().map(SYLLABLES::get).collect(Collectors.joining());
    }
}
