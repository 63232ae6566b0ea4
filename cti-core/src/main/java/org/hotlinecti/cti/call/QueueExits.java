package org.hotlinecti.cti.call;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.hotlinecti.acd.AcdEvent;
import org.hotlinecti.acd.ExitTarget;
import org.hotlinecti.ivr.DepartmentLine;

/**
 * The dialplan side of a queue's exits (deploy/asterisk/extensions.conf): a waiting caller leaves music on hold by
 * AMI Redirect to {@code hotline-queue-exit,<exten>,1}, where {@code voicemail} records a message over FastAGI
 * ({@code agi://.../voicemail?line=${CTI_LINE}}, see {@link QueueVoicemailFlow}) and {@code callback} plays the
 * callback confirmation and hangs up. {@code CTI_LINE} (the line's number) is set on the channel with the redirect.
 */
final class QueueExits {

    /** The dialplan context of queue exits. */
    static final String CONTEXT = "hotline-queue-exit";

    private QueueExits() {
    }

    /** The extension in {@link #CONTEXT} for a voicemail or callback exit. */
    static String exten(ExitTarget target) {
        if (target.kind() == ExitTarget.Kind.QUEUE) {
            throw new IllegalArgumentException("a queue exit stays in the engine: " + target);
        }
        return target.kind().name().toLowerCase(Locale.ROOT);
    }

    static Map<String, String> variables(DepartmentLine line) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (line != null) {
            vars.put("CTI_LINE", line.number());
        }
        return vars;
    }

    /** The IVR path's step for the ticket, e.g. {@code exit:voicemail max_wait}. */
    static String pathStep(AcdEvent.CallExited e) {
        return "exit:" + e.target() + " " + e.reason().name().toLowerCase(Locale.ROOT);
    }
}
