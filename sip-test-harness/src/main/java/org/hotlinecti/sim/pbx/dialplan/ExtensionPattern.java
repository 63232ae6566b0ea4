package org.hotlinecti.sim.pbx.dialplan;

/**
 * An extension name or pattern as Asterisk matches them: a literal ({@code 12345}, {@code s}) or, after a leading
 * {@code _}, a pattern of {@code X} (0-9), {@code Z} (1-9), {@code N} (2-9), {@code [a-c0]} sets, literal characters,
 * {@code .} (one or more of anything) and {@code !} (zero or more).
 */
public final class ExtensionPattern {

    private final String text;
    private final boolean pattern;

    public ExtensionPattern(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty extension");
        }
        this.text = text;
        this.pattern = text.startsWith("_");
    }

    public String text() {
        return text;
    }

    public boolean isPattern() {
        return pattern;
    }

    public boolean matches(String exten) {
        if (!pattern) {
            return text.equals(exten);
        }
        return match(text, 1, exten, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        if (pi == p.length()) {
            return si == s.length();
        }
        char c = p.charAt(pi);
        if (c == '.') {
            return si < s.length();
        }
        if (c == '!') {
            return true;
        }
        if (si == s.length()) {
            return false;
        }
        char x = s.charAt(si);
        switch (Character.toUpperCase(c)) {
            case 'X' -> {
                return x >= '0' && x <= '9' && match(p, pi + 1, s, si + 1);
            }
            case 'Z' -> {
                return x >= '1' && x <= '9' && match(p, pi + 1, s, si + 1);
            }
            case 'N' -> {
                return x >= '2' && x <= '9' && match(p, pi + 1, s, si + 1);
            }
            case '[' -> {
                int end = p.indexOf(']', pi);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [ in pattern " + p);
                }
                return inSet(p.substring(pi + 1, end), x) && match(p, end + 1, s, si + 1);
            }
            default -> {
                return c == x && match(p, pi + 1, s, si + 1);
            }
        }
    }

    private static boolean inSet(String set, char x) {
        for (int i = 0; i < set.length(); i++) {
            if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
                if (x >= set.charAt(i) && x <= set.charAt(i + 2)) {
                    return true;
                }
                i += 2;
            } else if (set.charAt(i) == x) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
