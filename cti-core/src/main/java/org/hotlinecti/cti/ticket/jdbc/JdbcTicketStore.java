package org.hotlinecti.cti.ticket.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.hotlinecti.cti.ticket.CallStage;
import org.hotlinecti.cti.ticket.CallSummary;
import org.hotlinecti.cti.ticket.Disposition;
import org.hotlinecti.cti.ticket.Ticket;
import org.hotlinecti.cti.ticket.TicketQuery;
import org.hotlinecti.cti.ticket.TicketStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TicketStore} on a relational database migrated by {@link Database} (table {@code tickets}, sequence
 * {@code ticket_seq}); portable between H2 in PostgreSQL mode and PostgreSQL.
 *
 * <p>One ticket per Linkedid is held by the unique constraint on {@code linked_id}: a save that loses the race reads
 * the winner's row back. Instants are stored with microsecond precision (what {@code TIMESTAMP WITH TIME ZONE} keeps),
 * so the tickets this store returns carry instants truncated to microseconds. IVR steps are stored joined by
 * {@value #IVR_SEPARATOR}, so a step must not be blank or contain that separator.
 *
 * <p>Thread-safe. Database failures surface as {@link DatabaseException}. {@link #close()} does not close the
 * {@link DataSource}, which belongs to whoever opened it.
 */
public final class JdbcTicketStore implements TicketStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTicketStore.class);

    static final String IVR_SEPARATOR = " > ";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int IN_LIST_MAX = 500;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);
    private static final TypeReference<Map<String, String>> FORM_TYPE = new TypeReference<>() {
    };

    private static final String COLUMNS = "id, number, linked_id, draft_id, caller, line, line_name, department, skill,"
            + " ivr_path, disposition, end_stage, ended_by, agent, started_at, queued_at, answered_at, ended_at,"
            + " queue_wait_seconds, talk_seconds, survey_score, callback_required, form, created_at,"
            + " recording, transfer_target, handled_by";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM tickets";
    private static final String INSERT = "INSERT INTO tickets (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final Clock clock;
    private final ZoneId zone;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;
    private volatile Boolean h2;

    /**
     * @param dataSource a database migrated by {@link Database#open}
     * @param clock      gives {@link Ticket#createdAt()}
     * @param zone       the centre's zone: the date part of a ticket number is the call's end date there
     */
    public JdbcTicketStore(DataSource dataSource, Clock clock, ZoneId zone) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public Ticket saveCallEnded(CallSummary call, Map<String, String> form) {
        Objects.requireNonNull(call, "call");
        checkOpen();
        Map<String, String> fields = form == null ? Map.of() : Map.copyOf(form);
        String ivrPath = joinIvrPath(call.ivrPath());
        Optional<Ticket> earlier = byLinkedId(call.linkedId());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        CallSummary stored = truncated(call);
        Instant createdAt = micros(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            long id = nextTicketId(c);
            String number = number(stored, id);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                bindInsert(ps, id, number, stored, ivrPath, formJson(fields), createdAt);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // Another save for this Linkedid won the race; its ticket is the one.
                return byLinkedId(c, call.linkedId()).orElseThrow(() -> new DatabaseException(
                        "Ticket " + number + " violates a unique constraint but no ticket has Linkedid "
                                + call.linkedId(), e));
            }
            LOG.debug("Ticket {} saved for call {}", number, call.linkedId());
            return new Ticket(number, stored, fields, createdAt);
        } catch (SQLException e) {
            throw failure("save the ticket of call " + call.linkedId(), e);
        }
    }

    @Override
    public Optional<Ticket> saveForm(String draftId, Map<String, String> form) {
        Objects.requireNonNull(draftId, "draftId");
        Objects.requireNonNull(form, "form");
        checkOpen();
        String formJson = formJson(Map.copyOf(form));
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement ps = c.prepareStatement("UPDATE tickets SET form = ? WHERE draft_id = ?")) {
                    ps.setString(1, formJson);
                    ps.setString(2, draftId);
                    updated = ps.executeUpdate();
                }
                Optional<Ticket> ticket = updated == 0 ? Optional.empty()
                        : queryOne(c, SELECT + " WHERE draft_id = ? ORDER BY id DESC", draftId);
                c.commit();
                return ticket;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("save the form of draft " + draftId, e);
        }
    }

    @Override
    public Optional<Ticket> byNumber(String number) {
        Objects.requireNonNull(number, "number");
        checkOpen();
        try (Connection c = dataSource.getConnection()) {
            return queryOne(c, SELECT + " WHERE number = ?", number);
        } catch (SQLException e) {
            throw failure("read ticket " + number, e);
        }
    }

    @Override
    public Optional<Ticket> byLinkedId(String linkedId) {
        Objects.requireNonNull(linkedId, "linkedId");
        checkOpen();
        try (Connection c = dataSource.getConnection()) {
            return byLinkedId(c, linkedId);
        } catch (SQLException e) {
            throw failure("read the ticket of call " + linkedId, e);
        }
    }

    @Override
    public List<Ticket> find(TicketQuery query) {
        Objects.requireNonNull(query, "query");
        checkOpen();
        try (Connection c = dataSource.getConnection()) {
            return find(c, query);
        } catch (SQLException e) {
            throw failure("list tickets", e);
        }
    }

    private List<Ticket> find(Connection c, TicketQuery query) throws SQLException {
        // Every equality filter but the number's has an index (filter, ended_at DESC, number DESC). The most
        // selective one leads, and the ORDER BY names it first: under "filter = ?" that orders the same, and it lets
        // H2 read the index in order (H2 sorts every match when the ORDER BY does not begin with the index's columns,
        // and on a large table it would rather scan ended_at newest first, which reads the whole table for a value
        // with no match). PostgreSQL plans either form the same way.
        String lead = query.number() != null ? null
                : query.caller() != null ? "caller"
                : query.agent() != null ? "agent"
                : query.line() != null ? "line"
                : query.department() != null ? "department"
                : query.disposition() != null ? "disposition"
                : null;
        if ("department".equals(lead) && query.disposition() != null) {
            lead = "department_disposition";   // V5's (department, disposition, ended_at DESC, number DESC)
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tickets");
        if (query.number() == null && isH2(c)) {
            // H2's planner needs telling even then: on a large table it prefers the ordered ended_at scan
            sql.append(" USE INDEX (tickets_").append(lead == null ? "" : lead + "_").append("ended_at_ix)");
        }
        List<Object> args = new ArrayList<>();
        String glue = " WHERE ";
        for (Object[] filter : new Object[][] {
                {"number = ?", query.number()},
                {"caller = ?", query.caller()},
                {"line = ?", query.line()},
                {"department = ?", query.department()},
                {"agent = ?", query.agent()},
                {"disposition = ?", query.disposition() == null ? null : query.disposition().wireName()},
                {"ended_at >= ?", query.endedFrom()},
                {"ended_at < ?", query.endedBefore()}}) {
            if (filter[1] != null) {
                sql.append(glue).append(filter[0]);
                args.add(filter[1]);
                glue = " AND ";
            }
        }
        sql.append(" ORDER BY ").append(lead == null ? "" : lead.replace("_", ", ") + ", ")
                .append("ended_at DESC, number DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (Object arg : args) {
                if (arg instanceof Instant instant) {
                    setInstant(ps, i++, instant);
                } else {
                    ps.setString(i++, (String) arg);
                }
            }
            ps.setInt(i++, query.offset());
            ps.setInt(i, query.limit());
            try (ResultSet rs = ps.executeQuery()) {
                List<Ticket> tickets = new ArrayList<>();
                while (rs.next()) {
                    tickets.add(read(rs));
                }
                return tickets;
            }
        }
    }

    private boolean isH2(Connection c) throws SQLException {
        Boolean known = h2;
        if (known == null) {
            known = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
            h2 = known;
        }
        return known;
    }

    /**
     * Writes the tickets of many finished calls in one transaction, each only if its Linkedid has no ticket yet
     * (a Linkedid that has one keeps it, and no ticket number is drawn for it). Safe against a concurrent writer
     * of the same Linkedid (another CTI on the same database): the loser reads the winner's ticket back.
     *
     * @param calls finished calls with the agent's form (empty map when none); a Linkedid may appear more than once,
     *              the first one counts
     * @return the stored ticket of every Linkedid in {@code calls}
     */
    public Map<String, Ticket> saveAllIfAbsent(List<CallEnded> calls) {
        Objects.requireNonNull(calls, "calls");
        checkOpen();
        Map<String, CallEnded> unique = new LinkedHashMap<>();
        for (CallEnded call : calls) {
            unique.putIfAbsent(call.call().linkedId(), call);
        }
        Map<String, Ticket> result = new HashMap<>();
        if (unique.isEmpty()) {
            return result;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (!isH2(c)) {
                    // The Linkedid and id look-ups below run as server-side prepared statements after five uses, and
                    // PostgreSQL then keeps a generic plan made from the table's statistics: on a new, still empty
                    // table that is a sequential scan, kept until autovacuum analyses the grown table (measured:
                    // 190 ms a look-up at 30,000 tickets, the drain down to 1,200 tickets/s). A plan made for each
                    // execution sees the table's real size and uses the unique indexes.
                    try (Statement s = c.createStatement()) {
                        s.execute("SET LOCAL plan_cache_mode = force_custom_plan");
                    }
                }
                result.putAll(byLinkedIds(c, unique.keySet()));
                List<CallEnded> absent = unique.values().stream()
                        .filter(e -> !result.containsKey(e.call().linkedId())).toList();
                List<Ticket> inserted = new ArrayList<>();
                if (!absent.isEmpty()) {
                    long[] ids = nextTicketIds(c, absent.size());
                    Instant createdAt = micros(clock.instant());
                    try (PreparedStatement ps = c.prepareStatement(INSERT + " ON CONFLICT DO NOTHING")) {
                        for (int i = 0; i < absent.size(); i++) {
                            CallSummary stored = truncated(absent.get(i).call());
                            Map<String, String> form = absent.get(i).form();
                            String number = number(stored, ids[i]);
                            bindInsert(ps, ids[i], number, stored, joinIvrPath(stored.ivrPath()), formJson(form),
                                    createdAt);
                            ps.addBatch();
                            inserted.add(new Ticket(number, stored, form, createdAt));
                        }
                        int[] counts = ps.executeBatch();
                        List<String> lost = new ArrayList<>();
                        List<Integer> unknown = new ArrayList<>();
                        for (int i = 0; i < counts.length; i++) {
                            if (counts[i] == 0) {
                                lost.add(inserted.get(i).call().linkedId());
                            } else if (counts[i] == Statement.SUCCESS_NO_INFO) {
                                unknown.add(i);
                            } else {
                                result.put(inserted.get(i).call().linkedId(), inserted.get(i));
                            }
                        }
                        if (!unknown.isEmpty()) {
                            // PostgreSQL with reWriteBatchedInserts=true sends the rows as multi-row INSERTs and
                            // cannot say which of them ON CONFLICT skipped: a row whose id is not there lost
                            Set<Long> present = presentIds(c, unknown.stream().map(i -> ids[i]).toList());
                            for (int i : unknown) {
                                if (present.contains(ids[i])) {
                                    result.put(inserted.get(i).call().linkedId(), inserted.get(i));
                                } else {
                                    lost.add(inserted.get(i).call().linkedId());
                                }
                            }
                        }
                        if (!lost.isEmpty()) {
                            // another writer stored these in the meantime: theirs are the tickets
                            result.putAll(byLinkedIds(c, lost));
                        }
                    }
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("save " + unique.size() + " ticket(s)", e);
        }
    }

    /**
     * Makes every committed change durable on the database's disk, for databases that acknowledge commits before
     * that: H2 writes commits to its file but calls fsync only at a checkpoint ({@code CHECKPOINT SYNC}). PostgreSQL
     * syncs its log at commit, so this does nothing there. Called before the journal deletes records it has drained.
     */
    public void syncToDisk() {
        checkOpen();
        try (Connection c = dataSource.getConnection()) {
            if (isH2(c)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CHECKPOINT SYNC");
                }
            }
        } catch (SQLException e) {
            throw failure("sync the database to disk", e);
        }
    }

    /**
     * Checks what this store would refuse in {@code call} regardless of the database's state, so that a journal in
     * front of it can refuse the call at once instead of retrying it for ever.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void checkStorable(CallSummary call) {
        joinIvrPath(call.ivrPath());
        checkLength("linkedId", call.linkedId(), 128);
        checkLength("draftId", call.draftId(), 128);
        checkLength("caller", call.caller(), 64);
        checkLength("line", call.line(), 32);
        checkLength("skill", call.skill(), 64);
        checkLength("endedBy", call.endedBy(), 16);
        checkLength("agent", call.agent(), 32);
        if (call.surveyScore() != null && (call.surveyScore() < 1 || call.surveyScore() > 5)) {
            throw new IllegalArgumentException("survey score must be 1..5, was " + call.surveyScore());
        }
    }

    private static void checkLength(String what, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(what + " is longer than " + max + " characters: " + value.length());
        }
    }

    /** A finished call and the agent's form, for {@link #saveAllIfAbsent}. */
    public record CallEnded(CallSummary call, Map<String, String> form) {

        public CallEnded {
            Objects.requireNonNull(call, "call");
            form = form == null ? Map.of() : Map.copyOf(form);
        }
    }

    @Override
    public long count() {
        checkOpen();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM tickets");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("count tickets", e);
        }
    }

    /** Refuses further calls; the data source stays open. */
    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ticket store is closed");
        }
    }

    private static long[] nextTicketIds(Connection c, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('ticket_seq') FROM generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < n; i++) {
                    if (!rs.next()) {
                        throw new SQLException("ticket_seq gave " + i + " values, " + n + " were asked for");
                    }
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    private Map<String, Ticket> byLinkedIds(Connection c, Collection<String> linkedIds) throws SQLException {
        Map<String, Ticket> found = new HashMap<>();
        List<String> all = List.copyOf(linkedIds);
        for (int from = 0; from < all.size(); from += IN_LIST_MAX) {
            List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST_MAX));
            String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE linked_id IN (" + marks + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Ticket t = read(rs);
                        found.put(t.call().linkedId(), t);
                    }
                }
            }
        }
        return found;
    }

    private static Set<Long> presentIds(Connection c, List<Long> ids) throws SQLException {
        Set<Long> present = new HashSet<>();
        for (int from = 0; from < ids.size(); from += IN_LIST_MAX) {
            List<Long> part = ids.subList(from, Math.min(ids.size(), from + IN_LIST_MAX));
            String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM tickets WHERE id IN (" + marks + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setLong(i + 1, part.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        present.add(rs.getLong(1));
                    }
                }
            }
        }
        return present;
    }

    private String number(CallSummary call, long id) {
        return DAY.format(call.endedAt().atZone(zone)) + '-' + String.format(Locale.ROOT, "%07d", id);
    }

    private static long nextTicketId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('ticket_seq')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Optional<Ticket> byLinkedId(Connection c, String linkedId) throws SQLException {
        return queryOne(c, SELECT + " WHERE linked_id = ?", linkedId);
    }

    private Optional<Ticket> queryOne(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static void bindInsert(PreparedStatement ps, long id, String number, CallSummary call, String ivrPath,
            String formJson, Instant createdAt) throws SQLException {
        ps.setLong(1, id);
        ps.setString(2, number);
        ps.setString(3, call.linkedId());
        ps.setString(4, call.draftId());
        ps.setString(5, call.caller());
        ps.setString(6, call.line());
        ps.setString(7, call.lineName());
        ps.setString(8, call.department());
        ps.setString(9, call.skill());
        ps.setString(10, ivrPath);
        ps.setString(11, call.disposition().wireName());
        ps.setString(12, call.endStage().wireName());
        ps.setString(13, call.endedBy());
        ps.setString(14, call.agent());
        setInstant(ps, 15, call.startedAt());
        setInstant(ps, 16, call.queuedAt());
        setInstant(ps, 17, call.answeredAt());
        setInstant(ps, 18, call.endedAt());
        ps.setLong(19, call.queueWaitSeconds());
        ps.setLong(20, call.talkSeconds());
        if (call.surveyScore() == null) {
            ps.setNull(21, Types.INTEGER);
        } else {
            ps.setInt(21, call.surveyScore());
        }
        ps.setBoolean(22, call.callbackRequired());
        ps.setString(23, formJson);
        setInstant(ps, 24, createdAt);
        ps.setString(25, call.recording());
        ps.setString(26, call.transferTarget());
        ps.setString(27, call.handledBy());
    }

    private Ticket read(ResultSet rs) throws SQLException {
        String ivrPath = rs.getString("ivr_path");
        int score = rs.getInt("survey_score");
        Integer surveyScore = rs.wasNull() ? null : score;
        CallSummary call = new CallSummary(
                rs.getString("linked_id"),
                rs.getString("draft_id"),
                rs.getString("caller"),
                rs.getString("line"),
                rs.getString("line_name"),
                rs.getString("department"),
                rs.getString("skill"),
                ivrPath == null || ivrPath.isEmpty() ? List.of() : Arrays.asList(ivrPath.split(IVR_SEPARATOR, -1)),
                Disposition.fromWireName(rs.getString("disposition")),
                CallStage.fromWireName(rs.getString("end_stage")),
                rs.getString("ended_by"),
                rs.getString("agent"),
                getInstant(rs, "started_at"),
                getInstant(rs, "queued_at"),
                getInstant(rs, "answered_at"),
                getInstant(rs, "ended_at"),
                rs.getLong("queue_wait_seconds"),
                rs.getLong("talk_seconds"),
                surveyScore,
                rs.getBoolean("callback_required"),
                rs.getString("recording"),
                rs.getString("transfer_target"),
                rs.getString("handled_by"));
        return new Ticket(rs.getString("number"), call, parseForm(rs.getString("form")),
                getInstant(rs, "created_at"));
    }

    private static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    private static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String joinIvrPath(List<String> steps) {
        for (String step : steps) {
            if (step == null || step.isBlank() || step.contains(IVR_SEPARATOR)) {
                throw new IllegalArgumentException("IVR step must not be blank or contain '" + IVR_SEPARATOR
                        + "': " + step);
            }
        }
        return String.join(IVR_SEPARATOR, steps);
    }

    private String formJson(Map<String, String> form) {
        try {
            return json.writeValueAsString(new TreeMap<>(form));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("form cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Map<String, String> parseForm(String text) {
        try {
            return json.readValue(text, FORM_TYPE);
        } catch (JsonProcessingException e) {
            throw new DatabaseException("Stored form is not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
    }

    private static CallSummary truncated(CallSummary c) {
        return new CallSummary(c.linkedId(), c.draftId(), c.caller(), c.line(), c.lineName(), c.department(),
                c.skill(), c.ivrPath(), c.disposition(), c.endStage(), c.endedBy(), c.agent(), micros(c.startedAt()),
                micros(c.queuedAt()), micros(c.answeredAt()), micros(c.endedAt()), c.queueWaitSeconds(),
                c.talkSeconds(), c.surveyScore(), c.callbackRequired(), c.recording(), c.transferTarget(),
                c.handledBy());
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static DatabaseException failure(String what, SQLException e) {
        return new DatabaseException("Cannot " + what + ": " + e.getMessage(), e);
    }
}
