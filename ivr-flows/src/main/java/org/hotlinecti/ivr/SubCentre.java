package org.hotlinecti.ivr;

import java.time.Duration;
import java.util.Objects;

/**
 * A department's own centre (设分中心 mode), reached over a trunk.
 *
 * @param number        the number dialled to reach it (digits only)
 * @param answerTimeout how long it may ring before the caller falls back to the 12345 pool
 */
public record SubCentre(String number, Duration answerTimeout) {

    public SubCentre {
        Objects.requireNonNull(number, "number");
        if (!number.matches("[0-9]{3,20}")) {
            throw new IllegalArgumentException("sub-centre number must be 3 to 20 digits, was '" + number + "'");
        }
        Objects.requireNonNull(answerTimeout, "answerTimeout");
        if (answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("sub-centre answer timeout must be positive");
        }
    }
}
