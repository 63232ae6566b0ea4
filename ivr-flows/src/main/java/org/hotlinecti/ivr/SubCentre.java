package org.hotlinecti.ivr;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A department's own centre (设分中心 mode), reached over a trunk.
 *
 * @param number        the number dialled to reach it (digits only)
 * @param trunk         the PBX trunk endpoint that reaches it (a PJSIP endpoint name); empty: the carrier trunk
 * @param answerTimeout how long it may ring before the caller falls back to the 12345 pool
 */
public record SubCentre(String number, Optional<String> trunk, Duration answerTimeout) {

    /** A sub-centre reached over the carrier trunk. */
    public SubCentre(String number, Duration answerTimeout) {
        this(number, Optional.empty(), answerTimeout);
    }

    public SubCentre {
        Objects.requireNonNull(number, "number");
        if (!number.matches("[0-9]{3,20}")) {
            throw new IllegalArgumentException("sub-centre number must be 3 to 20 digits, was '" + number + "'");
        }
        trunk = trunk == null ? Optional.empty() : trunk;
        trunk.filter(t -> !t.matches("[A-Za-z0-9_.-]{1,64}")).ifPresent(t -> {
            throw new IllegalArgumentException("sub-centre trunk is not a PJSIP endpoint name: '" + t + "'");
        });
        Objects.requireNonNull(answerTimeout, "answerTimeout");
        if (answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("sub-centre answer timeout must be positive");
        }
    }
}
