package org.hotlinecti.ivr.flow;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Names the file a {@code voicemail} node records into: a path relative to the PBX's recording directory, without
 * extension (see {@link org.hotlinecti.ivr.Channel#record}). The CTI plugs in its recording layout; the default
 * is {@code voicemail/<line>/<yyyyMMdd>/<call id>}.
 */
@FunctionalInterface
public interface VoicemailNaming {

    /**
     * @param call the caller (its {@link IvrCall#callId()} identifies the call, e.g. the Linkedid)
     * @param now  when the recording starts
     */
    String name(IvrCall call, Instant now);

    /**
     * {@code voicemail/<line>/<yyyyMMdd>/<call id>}, the date in {@code zone}; the time {@code HHmmss} stands in for
     * a call without id.
     */
    static VoicemailNaming byLineAndDay(ZoneId zone) {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyyMMdd");
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HHmmss");
        return (call, now) -> {
            LocalDateTime local = LocalDateTime.ofInstant(now, zone);
            String id = call.callId().replaceAll("[^0-9A-Za-z._-]", "");
            return "voicemail/" + call.line().number() + "/" + local.format(day) + "/"
                    + (id.isEmpty() ? local.format(time) : id);
        };
    }
}
