package org.hotlinecti.cti.asterisk;

import java.util.Locale;

/**
 * An Asterisk device state, as the {@code State} field of AMI {@code DeviceStateChange} spells it (Asterisk's
 * {@code ast_devstate_str}): {@code NOT_INUSE}, {@code INUSE}, {@code BUSY}, {@code INVALID}, {@code UNAVAILABLE},
 * {@code RINGING}, {@code RINGINUSE}, {@code ONHOLD}, {@code UNKNOWN}. For a PJSIP endpoint it is
 * {@code UNAVAILABLE} while no contact of its AOR is reachable (a phone that is not registered), otherwise derived
 * from its channels.
 */
public enum DeviceState {
    UNKNOWN, NOT_INUSE, INUSE, BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE, ONHOLD;

    /** The state named {@code text}; anything unrecognised is {@link #UNKNOWN}. */
    public static DeviceState parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Whether a call holds the device: in use, busy, ringing or on hold. */
    public boolean inUse() {
        return this == INUSE || this == BUSY || this == RINGING || this == RINGINUSE || this == ONHOLD;
    }

    /** Whether the device can be called: known, valid and reachable. */
    public boolean reachable() {
        return this != UNKNOWN && this != INVALID && this != UNAVAILABLE;
    }
}
