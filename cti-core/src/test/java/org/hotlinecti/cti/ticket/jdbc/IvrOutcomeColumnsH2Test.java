package org.hotlinecti.cti.ticket.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The V2 migration's columns: voicemail recording, transfer target, handled-by, and the new disposition values. */
class IvrOutcomeColumnsH2Test {

    private static final Instant START = Instant.parse("2026-03-02T14:30:00Z");

    @TempDir
    Path dataDir;

    private Database database;
    private JdbcTicketStore store;

    @BeforeEach
    void open() {
        database = Database.open(new DbSettings(Database.defaultH2Url(dataDir), "sa", "", 2));
        store = new JdbcTicketStore(database.dataSource(), Clock.systemUTC(), ZoneId.of("Asia/Shanghai"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static CallSummary call(String linkedId, Disposition d, CallStage stage, String recording,
            String target, String handledBy, boolean callback) {
        return new CallSummary(linkedId, null, "13800001111", "12315", "12315热线", "市市场监督管理局", "market",
                List.of("closed", "voicemail"), d, stage, "caller", null, START, null, null, START.plusSeconds(40),
                0, 0, null, callback, recording, target, handledBy);
    }

    @Test
    void voicemailTransferAndEndedTicketsKeepTheirOutcomeFields() {
        store.saveCallEnded(call("V1", Disposition.VOICEMAIL, CallStage.IVR, "voicemail/2026/03/02/vm-V1.wav", null,
                null, true), Map.of());
        store.saveCallEnded(call("T1", Disposition.TRANSFERRED, CallStage.TRANSFER, null, "88001234", "sub_centre",
                false), Map.of());
        store.saveCallEnded(call("E1", Disposition.ENDED_BY_IVR, CallStage.IVR, null, null, null, false), Map.of());

        CallSummary vm = store.byLinkedId("V1").orElseThrow().call();
        assertThat(vm.disposition()).isEqualTo(Disposition.VOICEMAIL);
        assertThat(vm.recording()).isEqualTo("voicemail/2026/03/02/vm-V1.wav");
        assertThat(vm.callbackRequired()).isTrue();
        assertThat(vm.transferTarget()).isNull();
        CallSummary t = store.byLinkedId("T1").orElseThrow().call();
        assertThat(t.disposition()).isEqualTo(Disposition.TRANSFERRED);
        assertThat(t.endStage()).isEqualTo(CallStage.TRANSFER);
        assertThat(t.transferTarget()).isEqualTo("88001234");
        assertThat(t.handledBy()).isEqualTo("sub_centre");
        assertThat(store.find(new TicketQuery(null, null, null, Disposition.ENDED_BY_IVR, 10, 0)))
                .extracting(Ticket::call).extracting(CallSummary::linkedId).containsExactly("E1");
    }

    @Test
    void theDatabaseRefusesAnUnknownHandledBy() {
        assertThatThrownBy(() -> store.saveCallEnded(call("X1", Disposition.ANSWERED, CallStage.TALKING, null, null,
                "somebody", false), Map.of())).isInstanceOf(DatabaseException.class);
    }
}
