package org.hotlinecti.sim.pbx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One FastAGI session as the FastAGI server saw it: the {@code agi_*} header, then the exchange in order, each line
 * {@code "S <command>"} (sent by the server) or {@code "R <line>"} (received from the PBX, the unsolicited
 * {@code HANGUP} included).
 */
record AgiTranscript(Map<String, String> header, List<String> exchange) {

    AgiTranscript {
        header = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(header));
        exchange = List.copyOf(exchange);
    }

    /** The commands the server sent, in order. */
    List<String> commands() {
        List<String> out = new ArrayList<>();
        for (String line : exchange) {
            if (line.startsWith("S ")) {
                out.add(line.substring(2));
            }
        }
        return out;
    }

    /**
     * Parses an {@code agi-<n>.log} of the traces: {@code <UTC time> R <line>}, {@code <UTC time> S <line>} and
     * {@code <UTC time> - <note>} lines; the header is the R lines up to the first empty one.
     */
    static AgiTranscript parseLog(String text) {
        Map<String, String> header = new LinkedHashMap<>();
        List<String> exchange = new ArrayList<>();
        boolean inHeader = true;
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp < 0 || line.length() < sp + 2) {
                continue;
            }
            char kind = line.charAt(sp + 1);
            String content = line.length() > sp + 3 ? line.substring(sp + 3) : "";
            if (kind == '-') {
                continue;
            }
            if (inHeader && kind == 'R') {
                if (content.isEmpty()) {
                    inHeader = false;
                } else {
                    int colon = content.indexOf(": ");
                    header.put(content.substring(0, colon), content.substring(colon + 2));
                }
                continue;
            }
            exchange.add(kind + " " + content);
        }
        return new AgiTranscript(header, exchange);
    }
}
