package org.hotlinecti.cti.ticket.journal;

import java.time.Instant;
import java.util.List;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;

/** Finished calls for the journal tests. */
final class Calls {

    static final Instant END = Instant.parse("2026-11-22T02:00:00.123456Z");

    private Calls() {
    }

    static CallSummary answered(String linkedId) {
        return new CallSummary(linkedId, "draft-" + linkedId, "13800001111", "12315", "12315 热线", "市场监管局", "market",
                List.of("welcome", "queue"), Disposition.ANSWERED, CallStage.TALKING, "caller", "1001",
                END.minusSeconds(300), END.minusSeconds(280), END.minusSeconds(250), END, 30, 250, null, false);
    }
}
