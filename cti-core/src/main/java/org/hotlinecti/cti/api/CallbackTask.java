package org.hotlinecti.cti.api;

import java.time.Instant;

/**
 * A call back the centre owes (callback in queue, 按1预约回拨): the caller chose a call back while waiting, hung up and
 * kept its place; the task exists from the moment that place was reached (an agent would have taken the call then).
 * The call's ticket (written when the caller hung up) has {@code callback_required} and {@code callback:requested} in
 * its IVR path; find it with {@code GET /api/tickets?caller=}.
 *
 * @param callId        the call's Linkedid (its ticket's {@code linked_id})
 * @param queue         the queue whose place was reached
 * @param caller        the number to call back (personal data: never log it unmasked)
 * @param line          the line the caller dialled (e.g. 12345), or empty
 * @param dueAt         when the place was reached
 * @param waitedSeconds how long the place was held, from queueing to due
 */
public record CallbackTask(String callId, String queue, String caller, String line, Instant dueAt,
        long waitedSeconds) {
}
