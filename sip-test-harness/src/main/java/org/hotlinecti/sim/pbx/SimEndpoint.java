package org.hotlinecti.sim.pbx;

import java.util.Objects;

/**
 * A PJSIP endpoint as {@code pjsip.conf} defines it: the trunk (calls from the carrier) or an agent phone.
 *
 * @param name          endpoint name, e.g. {@code trunk} or {@code agent1001}; channels are {@code PJSIP/<name>-<seq>}
 * @param context       dialplan context for calls from this endpoint ({@code from-trunk}, {@code agents})
 * @param callerIdNum   the endpoint's callerid number (agents: their extension), or null to use the SIP From
 * @param callerIdName  the endpoint's callerid name, or null
 * @param password      digest password for REGISTER, or null
 * @param staticContact contact URI dialled when not registered, or null
 */
public record SimEndpoint(String name, String context, String callerIdNum, String callerIdName, String password,
        String staticContact) {

    public SimEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(context, "context");
    }

    /** An agent phone endpoint {@code agent<extension>} in context {@code agents}, callerid {@code "name" <ext>}. */
    public static SimEndpoint agent(String extension, String displayName, String password, String staticContact) {
        return new SimEndpoint("agent" + extension, "agents", extension,
                displayName == null ? "Agent " + extension : displayName, password, staticContact);
    }
}
