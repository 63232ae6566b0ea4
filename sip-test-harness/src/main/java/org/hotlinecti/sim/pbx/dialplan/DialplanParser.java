package org.hotlinecti.sim.pbx.dialplan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Parses the subset of {@code extensions.conf} the project's dialplans use: {@code [context]} sections,
 * {@code [globals]} with {@code NAME=value}, {@code exten => name,priority[(label)],App(args)} where priority is a
 * number or {@code n}, {@code same => n[(label)],App(args)}, comments after {@code ;}. Anything else ({@code include},
 * {@code #include}, {@code hint}, templates) is rejected with the line number, so a dialplan the sim cannot honour is
 * never silently half-loaded.
 */
public final class DialplanParser {

    private DialplanParser() {
    }

    public static Dialplan parse(InputStream in, String source) throws IOException {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
    }

    public static Dialplan parse(String text, String source) {
        Dialplan.Builder b = new Dialplan.Builder();
        String context = null;
        Dialplan.Extension current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                if (end < 0 || end != line.length() - 1) {
                    throw error(source, lineNo, "bad context header '" + line + "' (templates are not supported)");
                }
                context = line.substring(1, end).trim();
                current = null;
                continue;
            }
            if (context == null) {
                throw error(source, lineNo, "line outside any [context]");
            }
            if (context.equals("general")) {
                continue;
            }
            if (context.equals("globals")) {
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw error(source, lineNo, "expected NAME=value in [globals]");
                }
                b.globals.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                continue;
            }
            int arrow = line.indexOf("=>");
            if (arrow < 0) {
                throw error(source, lineNo, "expected 'exten =>' or 'same =>', got '" + line + "'");
            }
            String keyword = line.substring(0, arrow).trim();
            String rest = line.substring(arrow + 2).trim();
            if (keyword.equals("exten")) {
                int c1 = rest.indexOf(',');
                if (c1 <= 0) {
                    throw error(source, lineNo, "expected exten => name,priority,App(args)");
                }
                String name = rest.substring(0, c1).trim();
                Map<String, Dialplan.Extension> extensions = b.context(context);
                Dialplan.Extension ext = extensions.get(name);
                if (ext == null) {
                    try {
                        ext = Dialplan.Builder.newExtension(name);
                    } catch (IllegalArgumentException e) {
                        throw error(source, lineNo, e.getMessage());
                    }
                    extensions.put(name, ext);
                }
                current = ext;
                addPriority(current, rest.substring(c1 + 1), source, lineNo);
            } else if (keyword.equals("same")) {
                if (current == null) {
                    throw error(source, lineNo, "'same =>' without an 'exten =>' before it in [" + context + "]");
                }
                addPriority(current, rest, source, lineNo);
            } else {
                throw error(source, lineNo, "'" + keyword + "' is not supported by the sim PBX (only exten/same)");
            }
        }
        return b.build();
    }

    private static void addPriority(Dialplan.Extension ext, String spec, String source, int lineNo) {
        int comma = spec.indexOf(',');
        if (comma <= 0) {
            throw error(source, lineNo, "expected priority,App(args)");
        }
        String prio = spec.substring(0, comma).trim();
        String label = null;
        int paren = prio.indexOf('(');
        if (paren >= 0) {
            if (!prio.endsWith(")")) {
                throw error(source, lineNo, "bad priority label '" + prio + "'");
            }
            label = prio.substring(paren + 1, prio.length() - 1);
            prio = prio.substring(0, paren);
        }
        int number;
        if (prio.equals("n")) {
            number = ext.priorities().isEmpty() ? 1 : ext.priorities().get(ext.priorities().size() - 1).number() + 1;
        } else if (prio.equals("hint")) {
            throw error(source, lineNo, "hints are not supported by the sim PBX");
        } else {
            try {
                number = Integer.parseInt(prio);
            } catch (NumberFormatException e) {
                throw error(source, lineNo, "bad priority '" + prio + "'");
            }
        }
        String app = spec.substring(comma + 1).trim();
        String name;
        String data;
        int open = app.indexOf('(');
        if (open < 0) {
            name = app;
            data = "";
        } else {
            if (!app.endsWith(")")) {
                throw error(source, lineNo, "unbalanced parentheses in '" + app + "'");
            }
            name = app.substring(0, open).trim();
            data = app.substring(open + 1, app.length() - 1);
        }
        if (name.isEmpty()) {
            throw error(source, lineNo, "missing application");
        }
        ext.priorities().add(new Priority(number, label, name, data, lineNo));
    }

    private static String stripComment(String line) {
        // ';' starts a comment unless escaped as '\;'
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ';' && (i == 0 || line.charAt(i - 1) != '\\')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static IllegalArgumentException error(String source, int line, String message) {
        return new IllegalArgumentException(source + ":" + line + ": " + message);
    }
}
