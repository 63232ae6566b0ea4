package org.hotlinecti.ivr;

import java.util.Objects;

/**
 * What {@link Channel#record} produced.
 *
 * @param file       the recording's path as given to {@code record} (without extension)
 * @param format     the file format (extension), e.g. {@code wav}
 * @param endedBy    why recording stopped
 * @param digit      the digit that stopped it when {@code endedBy} is {@link End#DIGIT}, else {@code 0}
 */
public record RecordingResult(String file, String format, End endedBy, char digit) {

    /** Why a recording stopped. */
    public enum End {
        /** The caller pressed one of the escape digits. */
        DIGIT,
        /** The maximum length was reached or the caller stayed silent long enough. */
        TIMEOUT_OR_SILENCE,
        /** The caller hung up; what was recorded so far is kept. */
        CALLER_HUNG_UP
    }

    public RecordingResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(endedBy, "endedBy");
        if ((endedBy == End.DIGIT) != (digit != 0)) {
            throw new IllegalArgumentException("digit is set exactly when the recording ended by a digit");
        }
    }
}
