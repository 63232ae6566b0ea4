package org.hotlinecti.cti.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the CTI knows about a finished call; the body of its ticket. Absent values are {@code null}
 * (no agent on an abandoned call, no survey score when the caller skipped it).
 *
 * @param linkedId         the call's Asterisk Linkedid: the ticket's idempotency key
 * @param draftId          id under which the agent's desktop filled the form (null if no agent answered)
 * @param caller           the caller's number, unmasked (tickets are personal data; logs mask it)
 * @param line             the number dialled (12345 or a merged department line)
 * @param lineName         the line's name, e.g. {@code 12315 市场监管投诉举报热线}
 * @param department       the department the line belongs to
 * @param skill            the skill the call was routed by
 * @param ivrPath          the IVR steps the caller went through, in order
 * @param disposition      how the call ended
 * @param endStage         where it was when it ended
 * @param endedBy          {@code caller}, {@code agent} or {@code system}
 * @param agent            the agent who answered, or null
 * @param startedAt        when the call reached the CTI
 * @param queuedAt         when it was queued for an agent, or null
 * @param answeredAt       when an agent answered, or null
 * @param endedAt          when the caller's channel hung up
 * @param queueWaitSeconds seconds from queued to answered (or to the end, if never answered); 0 if never queued
 * @param talkSeconds      seconds from answered to the agent or caller leaving the bridge; 0 if never answered
 * @param surveyScore      1 (非常不满意) .. 5 (非常满意), or null
 * @param callbackRequired whether the centre owes the caller a call back (abandoned calls, voicemails)
 * @param recording        the voicemail recording, relative to the recording root, with extension (e.g.
 *                         {@code voicemail/2026/03/02/vm-1795322295.2.wav}), or null
 * @param transferTarget   the number outside the centre the call was sent to (110/119/120, a sub-centre), or null
 * @param handledBy        who served the caller: {@code 12345} (an agent of the centre), {@code sub_centre} (the
 *                         department's own centre), {@code external} (an emergency service or other outside number),
 *                         or null when nobody did (abandoned, voicemail, ended by the IVR)
 */
public record CallSummary(
        String linkedId,
        String draftId,
        String caller,
        String line,
        String lineName,
        String department,
        String skill,
        List<String> ivrPath,
        Disposition disposition,
        CallStage endStage,
        String endedBy,
        String agent,
        Instant startedAt,
        Instant queuedAt,
        Instant answeredAt,
        Instant endedAt,
        long queueWaitSeconds,
        long talkSeconds,
        Integer surveyScore,
        boolean callbackRequired,
        String recording,
        String transferTarget,
        String handledBy) {

    /** The value of {@link #handledBy()} when an agent of the centre served the call. */
    public static final String HANDLED_BY_CENTRE = "12345";
    /** The value of {@link #handledBy()} when the department's sub-centre answered. */
    public static final String HANDLED_BY_SUB_CENTRE = "sub_centre";
    /** The value of {@link #handledBy()} when an outside number (an emergency service) answered. */
    public static final String HANDLED_BY_EXTERNAL = "external";

    /** A summary without voicemail or transfer details (calls that stayed with the centre). */
    public CallSummary(String linkedId, String draftId, String caller, String line, String lineName,
            String department, String skill, List<String> ivrPath, Disposition disposition, CallStage endStage,
            String endedBy, String agent, Instant startedAt, Instant queuedAt, Instant answeredAt, Instant endedAt,
            long queueWaitSeconds, long talkSeconds, Integer surveyScore, boolean callbackRequired) {
        this(linkedId, draftId, caller, line, lineName, department, skill, ivrPath, disposition, endStage, endedBy,
                agent, startedAt, queuedAt, answeredAt, endedAt, queueWaitSeconds, talkSeconds, surveyScore,
                callbackRequired, null, null, null);
    }

    public CallSummary {
        Objects.requireNonNull(linkedId, "linkedId");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(endStage, "endStage");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        ivrPath = ivrPath == null ? List.of() : List.copyOf(ivrPath);
    }
}
