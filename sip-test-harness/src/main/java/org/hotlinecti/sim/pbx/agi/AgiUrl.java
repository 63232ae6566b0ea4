package org.hotlinecti.sim.pbx.agi;

import java.util.Locale;

/**
 * The target of {@code AGI(agi://host[:port]/script?args)}: where to connect and what Asterisk reports as
 * {@code agi_network_script} (everything after the first slash, query included) and {@code agi_request}.
 */
record AgiUrl(String request, String host, int port, String script) {

    static final int DEFAULT_PORT = 4573;

    static AgiUrl parse(String url) {
        if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("agi://")) {
            throw new IllegalArgumentException("not a FastAGI URL (agi://host[:port]/script): " + url);
        }
        String rest = url.substring("agi://".length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String script = slash < 0 ? "" : rest.substring(slash + 1);
        String host;
        int port = DEFAULT_PORT;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad IPv6 host in FastAGI URL: " + url);
            }
            host = authority.substring(1, close);
            if (authority.length() > close + 1) {
                port = parsePort(authority.substring(close + 1), url);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            if (colon >= 0) {
                port = parsePort(authority.substring(colon), url);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in FastAGI URL: " + url);
        }
        return new AgiUrl(url, host, port, script);
    }

    private static int parsePort(String colonPort, String url) {
        if (!colonPort.startsWith(":")) {
            throw new IllegalArgumentException("bad port in FastAGI URL: " + url);
        }
        try {
            int port = Integer.parseInt(colonPort.substring(1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in FastAGI URL: " + url, e);
        }
    }
}
