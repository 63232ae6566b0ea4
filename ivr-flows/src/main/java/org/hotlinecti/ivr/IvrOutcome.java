package org.hotlinecti.ivr;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How an inbound flow ended. */
public sealed interface IvrOutcome {

    /** The steps the caller went through. */
    List<String> ivrPath();

    /** The caller should be queued for an agent. */
    record Route(RoutingRequest request) implements IvrOutcome {
        @Override
        public List<String> ivrPath() {
            return request.ivrPath();
        }
    }

    /**
     * The caller left a voicemail (out of hours, or chose to): the call ends and its ticket carries the recording.
     *
     * @param line      the line the caller dialled
     * @param recording the recording made (also when the caller hung up while recording)
     * @param reason    why voicemail was taken, e.g. {@code closed} (out of hours) or {@code caller_choice}
     */
    record Voicemail(DepartmentLine line, RecordingResult recording, String reason, List<String> ivrPath)
            implements IvrOutcome {
        public Voicemail {
            Objects.requireNonNull(line, "line");
            Objects.requireNonNull(recording, "recording");
            Objects.requireNonNull(reason, "reason");
            ivrPath = List.copyOf(ivrPath);
        }
    }

    /**
     * The caller is to be connected to a number outside the centre: an emergency service (110, 119, 120), or a
     * department's sub-centre (设分中心 mode).
     *
     * @param kind          what the far end is; the ticket's {@code handled_by} follows it when the far end answers
     * @param number        the number to dial (digits only)
     * @param label         what it is, for the ticket and the ledger, e.g. {@code 120急救} or {@code 12315分中心}
     * @param threeParty    whether the centre stays on the call (三方通话) rather than handing it over
     * @param answerTimeout how long the far end may ring before the transfer counts as failed
     * @param trunk         the PBX trunk endpoint to dial over (a sub-centre's own trunk); empty: the carrier trunk
     * @param fallback      where the caller goes when the far end does not answer, is busy or closed (e.g. the
     *                      12345 pool); empty: the call ends with a notice
     */
    record Transfer(TransferKind kind, String number, String label, boolean threeParty, Duration answerTimeout,
            Optional<String> trunk, Optional<RoutingRequest> fallback, List<String> ivrPath) implements IvrOutcome {
        public Transfer {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(number, "number");
            if (!number.matches("[0-9]{3,20}")) {
                throw new IllegalArgumentException("transfer number must be 3 to 20 digits, was '" + number + "'");
            }
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(answerTimeout, "answerTimeout");
            Objects.requireNonNull(trunk, "trunk");
            Objects.requireNonNull(fallback, "fallback");
            ivrPath = List.copyOf(ivrPath);
        }
    }

    /** What a {@link Transfer} reaches. */
    enum TransferKind {
        /** A number outside the centre's organisation: 110, 119, 120, another hotline. */
        EXTERNAL,
        /** The dialled line's department's own centre (设分中心). */
        SUB_CENTRE
    }

    /**
     * The flow ended the call itself after telling the caller why (e.g. a 不予受理 notice naming the right channel, or a
     * closed line without voicemail).
     *
     * @param reason a short machine-readable reason, e.g. {@code not_accepted:court}
     */
    record Ended(String reason, List<String> ivrPath) implements IvrOutcome {
        public Ended {
            Objects.requireNonNull(reason, "reason");
            ivrPath = List.copyOf(ivrPath);
        }
    }

    /** The caller hung up in the IVR. */
    record CallerHungUp(List<String> ivrPath) implements IvrOutcome {
        public CallerHungUp {
            ivrPath = List.copyOf(ivrPath);
        }
    }
}
