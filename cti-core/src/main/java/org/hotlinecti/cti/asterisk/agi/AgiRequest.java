package org.hotlinecti.cti.asterisk.agi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hotlinecti.cti.call.AgiCall;
import org.hotlinecti.cti.call.ChannelRef;

/**
 * The {@code agi_*} header block Asterisk sends when a FastAGI session opens, keyed without the {@code agi_} prefix
 * ({@code network_script}, {@code channel}, {@code uniqueid}, {@code callerid}, {@code arg_1} ...), in arrival order.
 */
record AgiRequest(Map<String, String> variables) {

    private static final String UNKNOWN = "unknown";

    AgiRequest {
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    String get(String name) {
        return variables.getOrDefault(name, "");
    }

    /**
     * The script part of the URL: {@code inbound} for {@code agi://cti:4573/inbound?x=1}. Leading slashes (other AGI
     * clients send them) and the query are dropped.
     */
    String script() {
        String script = get("network_script");
        int query = script.indexOf('?');
        if (query >= 0) {
            script = script.substring(0, query);
        }
        int start = 0;
        while (start < script.length() && script.charAt(start) == '/') {
            start++;
        }
        return script.substring(start);
    }

    String channel() {
        return get("channel");
    }

    String uniqueId() {
        return get("uniqueid");
    }

    /** The call as the IVR sees it; {@code linkedId} comes from a GET FULL VARIABLE since the header lacks it. */
    AgiCall toCall(String script, String linkedId) {
        String dnid = get("dnid");
        String dialled = dnid.isBlank() || UNKNOWN.equalsIgnoreCase(dnid) ? get("extension") : dnid;
        return new AgiCall(script, new ChannelRef(channel(), uniqueId(), linkedId), get("callerid"),
                get("calleridname"), dialled, arguments());
    }

    /** The URL's query parameters by name (first value), then the AGI() arguments as {@code arg_1}, {@code arg_2}... */
    Map<String, String> arguments() {
        Map<String, String> arguments = new LinkedHashMap<>();
        String request = get("request");
        int query = request.indexOf('?');
        if (query >= 0) {
            for (String pair : request.substring(query + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                arguments.putIfAbsent(name, value);
            }
        }
        for (int i = 1; variables.containsKey("arg_" + i); i++) {
            arguments.put("arg_" + i, variables.get("arg_" + i));
        }
        return Collections.unmodifiableMap(arguments);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
