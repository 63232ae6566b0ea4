package org.hotlinecti.sim.pbx.dialplan;

import java.util.ArrayList;
import java.util.List;

/**
 * Asterisk's variable substitution and {@code $[...]} expressions, for the subset the shipped dialplans use:
 * {@code ${VAR}}, nested {@code ${..${..}..}}, functions {@code LEN(x)} and {@code IF(cond?a:b)} here plus whatever the
 * {@link VariableSource} knows ({@code CHANNEL()}, {@code CALLERID()}), and expressions with {@code = != < > <= >=}
 * (numeric when both sides are numbers), {@code &}, {@code |} and parentheses. Double quotes group and are kept in
 * string comparison operands, as Asterisk does ({@code "A" = "A"} is true, {@code "A" = A} is not).
 */
public final class Expressions {

    private Expressions() {
    }

    /** Replaces every {@code ${...}} and {@code $[...]} in {@code text}. */
    public static String substitute(String text, VariableSource vars) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '[')) {
                char open = text.charAt(i + 1);
                char close = open == '{' ? '}' : ']';
                int end = matching(text, i + 1, open, close);
                String inner = substitute(text.substring(i + 2, end), vars);
                out.append(open == '{' ? resolve(inner, vars) : evaluate(inner));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Whether a GotoIf/ExecIf condition (already substituted) is true: non-empty and not "0". */
    public static boolean isTrue(String value) {
        String v = value.trim();
        return !v.isEmpty() && !v.equals("0");
    }

    private static int matching(String text, int openAt, char open, char close) {
        int depth = 0;
        for (int j = openAt; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return j;
            }
        }
        throw new IllegalArgumentException("unbalanced '" + open + "' in '" + text + "'");
    }

    private static String resolve(String name, VariableSource vars) {
        int paren = name.indexOf('(');
        if (paren > 0 && name.endsWith(")")) {
            String fn = name.substring(0, paren);
            String arg = name.substring(paren + 1, name.length() - 1);
            switch (fn) {
                case "LEN" -> {
                    return String.valueOf(arg.length());
                }
                case "IF" -> {
                    int q = arg.indexOf('?');
                    if (q < 0) {
                        throw new IllegalArgumentException("IF() needs cond?true:false, got " + arg);
                    }
                    String[] branches = arg.substring(q + 1).split(":", 2);
                    return isTrue(arg.substring(0, q)) ? branches[0] : branches.length > 1 ? branches[1] : "";
                }
                default -> {
                    return vars.function(fn, arg);
                }
            }
        }
        String value = vars.variable(name);
        return value == null ? "" : value;
    }

    /** Evaluates an already substituted {@code $[...]} body. */
    public static String evaluate(String expression) {
        List<String> tokens = tokenize(expression);
        Parser p = new Parser(tokens);
        String result = p.or();
        if (p.pos != tokens.size()) {
            throw new IllegalArgumentException("cannot evaluate $[" + expression + "]");
        }
        return result;
    }

    private static List<String> tokenize(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed quote in $[" + s + "]");
                }
                tokens.add(s.substring(i, end + 1));
                i = end + 1;
            } else if ("()&|".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '!' || c == '<' || c == '>' || c == '=') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '=') {
                    tokens.add(s.substring(i, i + 2));
                    i += 2;
                } else {
                    tokens.add(String.valueOf(c));
                    i++;
                }
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "()&|!<>=\"".indexOf(s.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(s.substring(i, j));
                i = j;
            }
        }
        return tokens;
    }

    private static final class Parser {
        final List<String> tokens;
        int pos;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        String or() {
            String left = and();
            while ("|".equals(peek())) {
                pos++;
                String right = and();
                left = isTrue(left) ? left : right;
            }
            return left;
        }

        String and() {
            String left = comparison();
            while ("&".equals(peek())) {
                pos++;
                String right = comparison();
                left = isTrue(left) && isTrue(right) ? left : "0";
            }
            return left;
        }

        String comparison() {
            String left = operand();
            String op = peek();
            if (op != null && List.of("=", "!=", "<", ">", "<=", ">=").contains(op)) {
                pos++;
                String right = operand();
                int cmp = compare(left, right);
                boolean r = switch (op) {
                    case "=" -> cmp == 0;
                    case "!=" -> cmp != 0;
                    case "<" -> cmp < 0;
                    case ">" -> cmp > 0;
                    case "<=" -> cmp <= 0;
                    default -> cmp >= 0;
                };
                return r ? "1" : "0";
            }
            return left;
        }

        String operand() {
            String t = peek();
            if (t == null) {
                // an empty side, as in $[ = 1] after substituting an empty variable
                return "";
            }
            if (t.equals("(")) {
                pos++;
                String v = or();
                if (!")".equals(peek())) {
                    throw new IllegalArgumentException("missing ) in expression");
                }
                pos++;
                return v;
            }
            if (List.of("=", "!=", "<", ">", "<=", ">=", "&", "|", ")").contains(t)) {
                return "";
            }
            pos++;
            return t;
        }

        private static int compare(String a, String b) {
            try {
                return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
            } catch (NumberFormatException e) {
                return a.compareTo(b);
            }
        }
    }
}
