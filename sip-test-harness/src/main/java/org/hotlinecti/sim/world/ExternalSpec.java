package org.hotlinecti.sim.world;

import java.time.Duration;
import java.util.Objects;
import org.hotlinecti.sim.sip.PhoneBehaviour;

/**
 * A party outside the centre that the PBX reaches over a trunk: an emergency service (110/119/120) or a department's
 * sub-centre. In the sim it is a SIP phone behind the number on that trunk.
 *
 * @param number      the number dialled ({@code PJSIP/<number>@<trunk>})
 * @param trunk       the PJSIP trunk endpoint it is reached over ({@code trunk} for the carrier)
 * @param phone       how it treats the call: answers after a delay, never answers, busy, rejects (closed)
 * @param hangUpAfter when set, the far end hangs up this long after answering; otherwise the caller ends the talk
 */
public record ExternalSpec(String number, String trunk, PhoneBehaviour phone, Duration hangUpAfter) {

    public ExternalSpec {
        Objects.requireNonNull(number, "number");
        trunk = trunk == null ? "trunk" : trunk;
        phone = phone == null ? PhoneBehaviour.answerAfter(Duration.ofSeconds(1)) : phone;
    }
}
