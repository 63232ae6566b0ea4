package org.hotlinecti.cti.ticket.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.hotlinecti.cti.ticket.jdbc.DatabaseException;

/**
 * The ledger's table {@code call_events} (migration V2). {@link #insertAll} is idempotent by event id, so the journal
 * may replay events already stored. {@link #record} writes at once and is meant for tools and tests; the CTI records
 * through the journal ({@code DurableTicketStore}), which calls {@link #insertAll} in batches.
 */
public final class JdbcCallLedger implements CallLedger {

    private static final String INSERT = "INSERT INTO call_events"
            + " (event_id, linked_id, kind, occurred_at, agent, queue, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    private final DataSource dataSource;

    public JdbcCallLedger(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void record(CallEvent event) {
        insertAll(List.of(event));
    }

    /** Stores the events not stored yet, in one transaction. */
    public void insertAll(List<CallEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (CallEvent e : events) {
                    ps.setString(1, e.eventId());
                    ps.setString(2, e.linkedId());
                    ps.setString(3, e.kind().wireName());
                    ps.setObject(4, OffsetDateTime.ofInstant(e.occurredAt().truncatedTo(ChronoUnit.MICROS),
                            ZoneOffset.UTC));
                    setNullable(ps, 5, e.agent());
                    setNullable(ps, 6, e.queue());
                    ps.setString(7, e.detail().entrySet().stream().map(d -> d.getKey() + "=" + d.getValue())
                            .collect(Collectors.joining(";")));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("Cannot store " + events.size() + " call event(s): " + e.getMessage(), e);
        }
    }

    @Override
    public List<CallEvent> eventsOf(String linkedId) {
        Objects.requireNonNull(linkedId, "linkedId");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT event_id, linked_id, kind, occurred_at, agent, queue,"
                     + " detail FROM call_events WHERE linked_id = ? ORDER BY seq")) {
            ps.setString(1, linkedId);
            try (ResultSet rs = ps.executeQuery()) {
                List<CallEvent> events = new ArrayList<>();
                while (rs.next()) {
                    events.add(new CallEvent(rs.getString(1), rs.getString(2),
                            CallEventKind.fromWireName(rs.getString(3)),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5), rs.getString(6),
                            parseDetail(rs.getString(7))));
                }
                return events;
            }
        } catch (SQLException e) {
            throw new DatabaseException("Cannot read the events of call " + linkedId + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> parseDetail(String text) {
        Map<String, String> detail = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return detail;
        }
        for (String pair : text.split(";")) {
            int eq = pair.indexOf('=');
            detail.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return detail;
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
