-- The call ledger and the indexes behind ticket search.
-- Portable SQL: runs unchanged on PostgreSQL 15 and on H2 2.x in MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE.

-- Every call event the CTI acted on, in the order it acted: a ticket can be explained afterwards and reports rebuilt.
CREATE TABLE call_events (
    -- Order of storing: events of one call are stored in the order the CTI recorded them.
    seq         BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,
    -- Random id given when the event was journaled: replaying the journal inserts it again harmlessly.
    event_id    VARCHAR(36)              NOT NULL,
    -- Asterisk Linkedid of the call (the ticket's key); empty for agent-only events (login, pause).
    linked_id   VARCHAR(128)             NOT NULL,
    -- entered_ivr, queued, offered, ringnoanswer, answered, transferred, ended, agent_login, agent_logoff, pause,
    -- unpause.
    kind        VARCHAR(32)              NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    agent       VARCHAR(32),
    queue       VARCHAR(64),
    -- Free details, 'key=value' pairs joined by ';' (e.g. 'line=12315;skill=market').
    detail      VARCHAR(4000)            NOT NULL DEFAULT '',
    CONSTRAINT call_events_pk PRIMARY KEY (event_id)
);

CREATE INDEX call_events_linked_id_ix ON call_events (linked_id, seq);
CREATE INDEX call_events_agent_ix ON call_events (agent, occurred_at);

-- Ticket search reads newest first (ORDER BY ended_at DESC, number DESC) under one equality filter. An index whose
-- columns are (filter, ended_at DESC, number DESC) hands the first page over without sorting every match: a line or a
-- department may be a small share of a million tickets. V1's ascending indexes are replaced. Disposition has no index
-- of its own: its rarest value is still a few per cent of the calls, so reading tickets_ended_at_ix newest first
-- finds a page of matches within a few thousand rows, and each index costs every ticket insert.
DROP INDEX tickets_ended_at_ix;
DROP INDEX tickets_caller_ended_at_ix;
DROP INDEX tickets_line_ended_at_ix;
DROP INDEX tickets_agent_ended_at_ix;
CREATE INDEX tickets_ended_at_ix ON tickets (ended_at DESC, number DESC);
CREATE INDEX tickets_caller_ended_at_ix ON tickets (caller, ended_at DESC, number DESC);
CREATE INDEX tickets_line_ended_at_ix ON tickets (line, ended_at DESC, number DESC);
CREATE INDEX tickets_department_ended_at_ix ON tickets (department, ended_at DESC, number DESC);
CREATE INDEX tickets_agent_ended_at_ix ON tickets (agent, ended_at DESC, number DESC);
