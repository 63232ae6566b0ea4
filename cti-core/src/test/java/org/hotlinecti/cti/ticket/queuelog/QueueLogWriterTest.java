package org.hotlinecti.cti.ticket.queuelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallEventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueLogWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");
    private static final long E0 = T0.getEpochSecond();

    @TempDir
    Path dir;

    private static CallEvent event(String linkedId, CallEventKind kind, long atSeconds, String agent,
            Map<String, String> detail) {
        return CallEvent.of(linkedId, kind, T0.plusSeconds(atSeconds), agent, "market", detail);
    }

    @Test
    void anAnsweredCallAfterARingNoAnswerReadsLikeAppQueue() throws Exception {
        Path file = dir.resolve("logs/queue_log");
        try (QueueLogWriter w = QueueLogWriter.open(file)) {
            w.record(event("1763.5", CallEventKind.ENTERED_IVR, 0, null, Map.of("line", "12315")));
            w.record(event("1763.5", CallEventKind.QUEUED, 10, null, Map.of("caller", "13800001111")));
            w.record(event("1763.5", CallEventKind.OFFERED, 12, "1001", Map.of()));
            w.record(event("1763.5", CallEventKind.OFFER_FAILED, 27, "1001", Map.of("reason", "no_answer")));
            w.record(event("1763.5", CallEventKind.OFFERED, 28, "1002", Map.of()));
            w.record(event("1763.5", CallEventKind.ANSWERED, 31, "1002", Map.of("agent_channel", "1763.9")));
            w.record(event("1763.5", CallEventKind.ENDED, 151, "1002", Map.of("ended_by", "agent")));
        }

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly(
                E0 + 10 + "|1763.5|market|NONE|ENTERQUEUE||13800001111|1",
                E0 + 27 + "|1763.5|market|Agent/1001|RINGNOANSWER|15000",
                E0 + 31 + "|1763.5|market|Agent/1002|CONNECT|21|1763.9|3",
                E0 + 151 + "|1763.5|market|Agent/1002|COMPLETEAGENT|21|120|1");
    }

    @Test
    void aQueuedCallThatHangsUpIsAnAbandonAndAnIvrHangUpLeavesNoLine() throws Exception {
        try (QueueLogWriter w = QueueLogWriter.open(dir.resolve("queue_log"))) {
            assertThat(w.lines(event("A", CallEventKind.QUEUED, 0, null, Map.of("caller", "13900002222"))))
                    .containsExactly(E0 + "|A|market|NONE|ENTERQUEUE||13900002222|1");
            assertThat(w.lines(event("A", CallEventKind.ENDED, 42, null, Map.of("ended_by", "caller"))))
                    .containsExactly(E0 + 42 + "|A|market|NONE|ABANDON|1|1|42");
            assertThat(w.lines(event("B", CallEventKind.ENTERED_IVR, 0, null, Map.of()))).isEmpty();
            assertThat(w.lines(event("B", CallEventKind.ENDED, 5, null, Map.of("ended_by", "caller")))).isEmpty();
        }
    }

    @Test
    void aCallerHangingUpAfterTheAnswerIsCompleteCaller() throws Exception {
        try (QueueLogWriter w = QueueLogWriter.open(dir.resolve("queue_log"))) {
            w.lines(event("C", CallEventKind.QUEUED, 0, null, Map.of()));
            w.lines(event("C", CallEventKind.OFFERED, 1, "1001", Map.of()));
            w.lines(event("C", CallEventKind.ANSWERED, 4, "1001", Map.of()));
            assertThat(w.lines(event("C", CallEventKind.ENDED, 64, "1001", Map.of("ended_by", "caller"))))
                    .containsExactly(E0 + 64 + "|C|market|Agent/1001|COMPLETECALLER|4|60|1");
        }
    }

    @Test
    void agentLoginPauseAndLogoffAreLoggedAgainstQueueNone() throws Exception {
        try (QueueLogWriter w = QueueLogWriter.open(dir.resolve("queue_log"))) {
            assertThat(w.lines(CallEvent.agentChange("1001", "logged_out", "not_ready", null, T0).orElseThrow()))
                    .containsExactly(E0 + "|NONE|NONE|Agent/1001|AGENTLOGIN|Agent/1001");
            assertThat(w.lines(CallEvent.agentChange("1001", "ready", "not_ready", "午休", T0.plusSeconds(60))
                    .orElseThrow())).containsExactly(E0 + 60 + "|NONE|NONE|Agent/1001|PAUSE|午休");
            assertThat(w.lines(CallEvent.agentChange("1001", "not_ready", "ready", null, T0.plusSeconds(90))
                    .orElseThrow())).containsExactly(E0 + 90 + "|NONE|NONE|Agent/1001|UNPAUSE|");
            assertThat(w.lines(CallEvent.agentChange("1001", "ready", "logged_out", null, T0.plusSeconds(3600))
                    .orElseThrow())).containsExactly(E0 + 3600 + "|NONE|NONE|Agent/1001|AGENTLOGOFF|Agent/1001|3600");
            assertThat(CallEvent.agentChange("1001", "ready", "offered", null, T0)).isEmpty();
        }
    }

    @Test
    void aSeparatorInAFieldCannotBreakTheLine() throws Exception {
        try (QueueLogWriter w = QueueLogWriter.open(dir.resolve("queue_log"))) {
            assertThat(w.lines(event("D", CallEventKind.QUEUED, 0, null, Map.of("caller", "evil|x\ny"))))
                    .containsExactly(E0 + "|D|market|NONE|ENTERQUEUE||evil/x y|1");
        }
    }
}
