package org.hotlinecti.cti.asterisk;

import java.util.Map;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.MappingStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the entry point by the AGI URL's path ({@code agi_network_script}, e.g. {@code inbound} for
 * {@code agi://cti:4573/inbound}). For an unknown script it logs an error and returns {@code null}: Asterisk-Java then
 * sets {@code AJ_AGISTATUS=NOT_FOUND} on the channel, sends a VERBOSE line to the Asterisk console and closes the
 * session, so the dialplan goes on at its next priority.
 */
final class IvrScriptMapping implements MappingStrategy {

    private static final Logger log = LoggerFactory.getLogger(IvrScriptMapping.class);

    private final Map<String, AgiScript> scripts;

    IvrScriptMapping(Map<String, AgiScript> scripts) {
        this.scripts = Map.copyOf(scripts);
    }

    @Override
    public AgiScript determineScript(AgiRequest request, AgiChannel channel) {
        String name = scriptName(request.getScript());
        AgiScript script = scripts.get(name);
        if (script == null) {
            log.error("FastAGI request for unknown script '{}' ({}) on {}; known: {}; ending the session", name,
                    request.getRequestURL(), request.getChannel(), scripts.keySet());
        }
        return script;
    }

    /** {@code agi://host/inbound} gives {@code inbound}; tolerate a leading slash from other AGI clients. */
    private static String scriptName(String script) {
        if (script == null) {
            return "";
        }
        int start = 0;
        while (start < script.length() && script.charAt(start) == '/') {
            start++;
        }
        return script.substring(start);
    }
}
