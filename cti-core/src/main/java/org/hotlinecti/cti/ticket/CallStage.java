package org.hotlinecti.cti.ticket;

/**
 * Where a call was when it ended. Stored by name in lower case. {@code TRANSFER}: ringing or connected to a number
 * outside the centre (emergency service or sub-centre).
 */
public enum CallStage {
    IVR, QUEUED, RINGING, TALKING, SURVEY, TRANSFER;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CallStage fromWireName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
