package org.hotlinecti.cti.ticket.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.DatabaseException;
import org.hotlinecti.cti.ticket.jdbc.DbSettings;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallEventKind;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database goes away, the journal gets damaged, segments fill up: nothing acknowledged is lost or doubled. */
class DurableTicketStoreFaultTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;

    private Database database;
    private FlakyDataSource db;
    private final List<DurableTicketStore> opened = new ArrayList<>();

    @BeforeEach
    void openDatabase() {
        database = Database.open(new DbSettings(Database.defaultH2Url(dir.resolve("db")), "sa", "", 4));
        db = new FlakyDataSource(database.dataSource());
    }

    @AfterEach
    void closeAll() {
        db.up();
        opened.forEach(DurableTicketStore::close);
        database.close();
    }

    private DurableTicketStore open(JournalOptions options) {
        DurableTicketStore store = DurableTicketStore.open(options,
                new JdbcTicketStore(db, Clock.system(ZONE), ZONE), new JdbcCallLedger(db));
        opened.add(store);
        return store;
    }

    private JournalOptions options() {
        return DurableTicketStoreH2Test.options(dir.resolve("journal"));
    }

    @Test
    void ticketsAcknowledgedDuringADatabaseOutageAreStoredOnceWhenItReturns() {
        DurableTicketStore store = open(options());
        db.down();
        List<DurableTicketStore.Submission> subs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            subs.add(store.submit(Calls.answered("out-" + i), Map.of("n", "" + i)));
            store.record(CallEvent.of("out-" + i, CallEventKind.ENDED, Instant.now(), "1001", "market",
                    Map.of("disposition", "answered")));
        }
        CompletableFuture.allOf(subs.stream().map(DurableTicketStore.Submission::durable)
                .toArray(CompletableFuture[]::new)).join();
        // the outage goes on across several back-off rounds while the journal keeps taking calls
        await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().drainFailures() >= 5);
        assertThat(subs).noneMatch(s -> s.stored().isDone());
        for (int i = 300; i < 400; i++) {
            subs.add(store.submit(Calls.answered("out-" + i), null));
        }

        db.up();

        CompletableFuture.allOf(subs.stream().map(DurableTicketStore.Submission::stored)
                .toArray(CompletableFuture[]::new)).join();
        assertThat(store.count()).isEqualTo(400);
        assertThat(subs.stream().map(s -> s.stored().join().number()).distinct()).hasSize(400);
        assertThat(store.byLinkedId("out-7").orElseThrow().form()).isEqualTo(Map.of("n", "7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.eventsOf("out-299").size() == 1);
        assertThat(store.stats().pending()).isZero();
    }

    @Test
    void formsSavedDuringAnOutageAreJournaledAndTheLastOneIsAppliedAfterARestart() {
        JournalOptions quick = new JournalOptions(dir.resolve("journal"), 64 * 1024, Duration.ofMillis(5),
                Duration.ofMillis(20), Duration.ofMillis(200), 100);
        DurableTicketStore store = open(quick);
        Ticket ticket = store.saveCallEnded(Calls.answered("form-1"), Map.of("summary", "v0"));
        db.down();

        for (String version : List.of("v1", "v2")) {
            assertThatThrownBy(() -> store.saveForm(ticket.call().draftId(), Map.of("summary", version)))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("safe in the journal but not in the database yet");
        }
        // as after a kill -9 during the outage: nothing but the journal holds the forms
        store.close();
        opened.remove(store);
        db.up();
        assertThat(new JdbcTicketStore(db, Clock.system(ZONE), ZONE).byLinkedId("form-1").orElseThrow().form())
                .isEqualTo(Map.of("summary", "v0"));

        DurableTicketStore reopened = open(quick);

        await().atMost(Duration.ofSeconds(10)).until(() -> reopened.stats().pending() == 0);
        assertThat(reopened.byLinkedId("form-1").orElseThrow().form()).isEqualTo(Map.of("summary", "v2"));
        assertThat(reopened.count()).isEqualTo(1);
        assertThat(reopened.saveForm(ticket.call().draftId(), Map.of("summary", "v3")).orElseThrow().form())
                .isEqualTo(Map.of("summary", "v3"));
        assertThat(reopened.saveForm("no-such-draft", Map.of("summary", "x"))).isEmpty();
    }

    @Test
    void formsHandedOverDuringAnOutageAreAcknowledgedOnceJournaledAndAppliedInOrder() throws Exception {
        DurableTicketStore store = open(options());
        Ticket ticket = store.saveCallEnded(Calls.answered("form-2"), Map.of("summary", "v0"));
        db.down();

        CompletableFuture<Optional<Ticket>> v1 = store.handOverForm(ticket.call().draftId(),
                Map.of("summary", "v1")).toCompletableFuture();
        CompletableFuture<Optional<Ticket>> v2 = store.handOverForm(ticket.call().draftId(),
                Map.of("summary", "v2")).toCompletableFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().drainFailures() >= 2);
        assertThat(v1).isNotDone();
        assertThat(v2).isNotDone();
        db.up();

        assertThat(v2.get(10, TimeUnit.SECONDS).orElseThrow().form()).isEqualTo(Map.of("summary", "v2"));
        assertThat(v1.get(10, TimeUnit.SECONDS)).isPresent();
        assertThat(store.byLinkedId("form-2").orElseThrow().form()).isEqualTo(Map.of("summary", "v2"));
        assertThat(store.handOverForm("no-such-draft", Map.of("summary", "x")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void saveCallEndedDuringAnOutageSaysTheTicketIsSafeAndReturnsItOnceTheDatabaseIsBack() {
        DurableTicketStore store = open(new JournalOptions(dir.resolve("journal"), 64 * 1024, Duration.ofMillis(5),
                Duration.ofMillis(20), Duration.ofMillis(200), 100));
        db.down();

        assertThatThrownBy(() -> store.saveCallEnded(Calls.answered("slow-1"), null))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("safe in the journal but not in the database yet");
        assertThatThrownBy(() -> store.saveCallEnded(Calls.answered("slow-1"), null))
                .isInstanceOf(DatabaseException.class);
        assertThat(store.stats().appended()).as("a retry waits for the same record").isEqualTo(1);
        db.up();

        Ticket ticket = store.saveCallEnded(Calls.answered("slow-1"), null);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.byLinkedId("slow-1")).contains(ticket);
    }

    @Test
    void aRestartDuringTheOutageReplaysTheJournalWithoutDrawingASecondNumber() throws Exception {
        DurableTicketStore first = open(options());
        Ticket early = first.saveCallEnded(Calls.answered("r-0"), null);
        db.down();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            durable.add(first.submit(Calls.answered("r-" + i), null).durable());
        }
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).join();
        first.close();
        db.up();

        DurableTicketStore second = open(options());
        assertThat(second.replayReport().records()).isGreaterThanOrEqualTo(100);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.stats().pending() == 0);
        assertThat(second.count()).isEqualTo(101);
        assertThat(second.byLinkedId("r-0")).contains(early);
        Set<String> numbers = numbers();
        long before = sequenceValue();
        second.close();

        // everything drained: a further restart replays nothing new and draws no number
        DurableTicketStore third = open(options());
        await().atMost(Duration.ofSeconds(10)).until(() -> third.stats().pending() == 0);
        assertThat(numbers()).isEqualTo(numbers);
        assertThat(sequenceValue()).isEqualTo(before);
    }

    @Test
    void aTruncatedJournalTailIsReportedAndTheValidPrefixReplayed() throws Exception {
        DurableTicketStore first = open(options());
        db.down();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // one at a time: each record is its own frame at the end of the file
            first.submit(Calls.answered("t-" + i), null).durable().join();
        }
        first.close();
        Path segment = onlySegmentWithRecords();
        List<Integer> ends = recordEnds(segment);
        assertThat(ends).hasSize(10);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            // as if the file had been copied while the last record was being written
            ch.truncate(ends.get(9) - 7);
        }
        db.up();

        DurableTicketStore second = open(options());

        assertThat(second.replayReport().records()).isEqualTo(9);
        assertThat(second.replayReport().damagedRecords()).isEqualTo(1);
        assertThat(second.replayReport().problems()).singleElement().asString()
                .contains(segment.getFileName().toString(), "cut short");
        assertThat(second.stats().damagedRecords()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.stats().pending() == 0);
        assertThat(second.count()).isEqualTo(9);
        assertThat(second.byLinkedId("t-8")).isPresent();
        assertThat(second.byLinkedId("t-9")).isEmpty();
    }

    @Test
    void aCorruptRecordEndsTheReplayOfItsSegmentAndIsReported() throws Exception {
        DurableTicketStore first = open(options());
        db.down();
        for (int i = 0; i < 6; i++) {
            first.submit(Calls.answered("c-" + i), null).durable().join();
        }
        first.close();
        Path segment = onlySegmentWithRecords();
        List<Integer> ends = recordEnds(segment);
        byte[] bytes = Files.readAllBytes(segment);
        // flip a byte inside the payload of the fourth record
        int at = ends.get(2) + TicketJournal.FRAME_BYTES + 10;
        bytes[at] ^= 0x55;
        Files.write(segment, bytes);
        db.up();

        DurableTicketStore second = open(options());

        assertThat(second.replayReport().records()).isEqualTo(3);
        assertThat(second.replayReport().damagedBytes()).isEqualTo(bytes.length - ends.get(2));
        assertThat(second.replayReport().problems()).singleElement().asString().contains("checksum mismatch");
        await().atMost(Duration.ofSeconds(10)).until(() -> second.stats().pending() == 0);
        assertThat(second.count()).isEqualTo(3);
    }

    @Test
    void drainedSegmentsAreDeletedAndManyHangUpsShareOneSync() throws Exception {
        DurableTicketStore store = open(new JournalOptions(dir.resolve("journal"), 8 * 1024, Duration.ofMillis(5),
                Duration.ofMillis(50), Duration.ofSeconds(5), 200));
        List<CompletableFuture<Ticket>> stored = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            stored.add(store.submit(Calls.answered("g-" + i), null).stored());
        }
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).join();

        assertThat(store.stats().appended()).isEqualTo(1000);
        assertThat(store.stats().fsyncs()).as("group commit").isLessThan(500);
        await().atMost(Duration.ofSeconds(10)).until(() -> segmentFiles().size() <= 2);
        assertThat(store.stats().segments()).isLessThanOrEqualTo(2);
        assertThat(store.count()).isEqualTo(1000);
    }

    @Test
    void aCallTheDatabaseCouldNeverHoldIsRefusedBeforeItIsJournaled() {
        DurableTicketStore store = open(options());
        var bad = new org.hotlinecti.cti.ticket.CallSummary("x".repeat(200), null, "13800001111", "12345", null,
                null, null, List.of(), org.hotlinecti.cti.ticket.Disposition.ABANDONED,
                org.hotlinecti.cti.ticket.CallStage.IVR, "caller", null, Calls.END.minusSeconds(9), null, null,
                Calls.END, 0, 0, null, false);

        assertThatThrownBy(() -> store.submit(bad, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("linkedId");
        assertThat(store.stats().appended()).isZero();
    }

    private Set<String> numbers() throws Exception {
        Set<String> numbers = new HashSet<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT number FROM tickets")) {
            while (rs.next()) {
                numbers.add(rs.getString(1));
            }
        }
        return numbers;
    }

    private long sequenceValue() throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT base_value FROM information_schema.sequences"
                     + " WHERE sequence_name = 'ticket_seq'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    /** Where each record of a segment ends (segments are filled with zeros after their records). */
    private static List<Integer> recordEnds(Path segment) throws IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Integer> ends = new ArrayList<>();
        int pos = TicketJournal.MAGIC.length;
        while (pos + TicketJournal.FRAME_BYTES <= bytes.limit() && bytes.getInt(pos) != 0) {
            pos += TicketJournal.FRAME_BYTES + bytes.getInt(pos);
            ends.add(pos);
        }
        return ends;
    }

    private Path onlySegmentWithRecords() throws IOException {
        List<Path> withRecords = new ArrayList<>();
        for (Path p : segmentFiles()) {
            if (!recordEnds(p).isEmpty()) {
                withRecords.add(p);
            }
        }
        assertThat(withRecords).hasSize(1);
        return withRecords.get(0);
    }
}
