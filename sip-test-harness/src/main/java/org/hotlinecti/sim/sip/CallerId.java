package org.hotlinecti.sim.sip;

/** A presented identity: number (SIP user part) and display name. */
public record CallerId(String number, String name) {
}
