package org.hotlinecti.cti.call;

import java.util.Map;

/**
 * The call as a FastAGI session introduces it (the {@code agi_*} header block, plus the Linkedid the adapter asked
 * for with {@code GET FULL VARIABLE ${CHANNEL(linkedid)}}, since the header does not carry it).
 *
 * @param script        the script part of the AGI URL, e.g. {@code inbound} or {@code survey}
 * @param channel       the caller's channel
 * @param callerNumber  {@code agi_callerid}
 * @param callerName    {@code agi_calleridname}
 * @param dialledNumber {@code agi_dnid}, falling back to {@code agi_extension} when the DNID is unknown
 * @param arguments     the AGI URL's query parameters / arguments, possibly empty
 */
public record AgiCall(String script, ChannelRef channel, String callerNumber, String callerName, String dialledNumber,
        Map<String, String> arguments) {
}
