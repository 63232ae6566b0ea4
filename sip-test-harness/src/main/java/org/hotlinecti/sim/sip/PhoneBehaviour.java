package org.hotlinecti.sim.sip;

import java.time.Duration;
import java.util.Objects;

/**
 * How an idle {@link AgentPhone} treats an incoming INVITE. A phone that is already ringing or talking answers
 * {@code 486 Busy Here} whatever its behaviour (call waiting off).
 *
 * @param mode        what to do
 * @param answerAfter for {@link Mode#ANSWER}: the time between 180 Ringing and 200 OK (zero or more); {@code null}
 *                    for the other modes
 */
public record PhoneBehaviour(Mode mode, Duration answerAfter) {

    /** The phone's reaction to an INVITE. */
    public enum Mode {
        /** 180 Ringing, then 200 OK after {@link PhoneBehaviour#answerAfter()}. */
        ANSWER,
        /** 180 Ringing, then ring until the caller CANCELs. */
        NO_ANSWER,
        /** 486 Busy Here at once. */
        BUSY,
        /** 603 Decline at once. */
        REJECT
    }

    public PhoneBehaviour {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.ANSWER) {
            Objects.requireNonNull(answerAfter, "answerAfter is required to ANSWER");
            if (answerAfter.isNegative()) {
                throw new IllegalArgumentException("answerAfter must not be negative: " + answerAfter);
            }
        } else if (answerAfter != null) {
            throw new IllegalArgumentException(mode + " takes no answerAfter");
        }
    }

    /** Rings, then answers after {@code delay}. */
    public static PhoneBehaviour answerAfter(Duration delay) {
        return new PhoneBehaviour(Mode.ANSWER, delay);
    }

    /** Rings until cancelled. */
    public static PhoneBehaviour noAnswer() {
        return new PhoneBehaviour(Mode.NO_ANSWER, null);
    }

    /** Answers 486 Busy Here. */
    public static PhoneBehaviour busy() {
        return new PhoneBehaviour(Mode.BUSY, null);
    }

    /** Answers 603 Decline. */
    public static PhoneBehaviour reject() {
        return new PhoneBehaviour(Mode.REJECT, null);
    }
}
