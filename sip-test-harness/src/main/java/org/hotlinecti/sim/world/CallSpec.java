package org.hotlinecti.sim.world;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A simulated caller.
 *
 * @param from        the caller's number
 * @param to          the number dialled (12345 or a department line)
 * @param at          when to dial, from the start of the run
 * @param dtmf        keys to press, one entry per prompt that accepts keys, in order (a voicemail's recording counts:
 *                    the caller presses its entry after speaking for {@code talk}, or hangs up when there is none)
 * @param talk        how long the caller talks once connected (to an agent or an outside party) before hanging up,
 *                    or into a voicemail
 * @param hangupAfter when set, the caller gives up this long after dialling unless an agent answered by then
 *                    (an abandoned call)
 * @param surveyKey   the key pressed when the satisfaction survey asks (1 非常满意 … 5 非常不满意), or null
 */
public record CallSpec(String from, String to, Duration at, List<String> dtmf, Duration talk, Duration hangupAfter,
        String surveyKey) {

    public CallSpec {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        at = at == null ? Duration.ZERO : at;
        dtmf = dtmf == null ? List.of() : List.copyOf(dtmf);
        talk = talk == null ? Duration.ofSeconds(3) : talk;
    }
}
