-- Tickets (工单): one row per call, written when the call ends.
-- Portable SQL: runs unchanged on PostgreSQL 15 and on H2 2.x in MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE.

-- Ticket numbers come from here; a sequence never hands out a value twice, even across restarts and rollbacks.
CREATE SEQUENCE ticket_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE tickets (
    -- The ticket_seq value the number was made from.
    id                 BIGINT                   NOT NULL,
    -- yyyyMMdd (end of the call, centre's zone) '-' zero-padded id.
    number             VARCHAR(32)              NOT NULL,
    -- Asterisk Linkedid of the call: the idempotency key.
    linked_id          VARCHAR(128)             NOT NULL,
    draft_id           VARCHAR(128),
    caller             VARCHAR(64)              NOT NULL,
    line               VARCHAR(32)              NOT NULL,
    line_name          VARCHAR(255),
    department         VARCHAR(255),
    skill              VARCHAR(64),
    -- IVR steps in order, joined by ' > '; empty when the call skipped the IVR.
    ivr_path           VARCHAR(4000)            NOT NULL DEFAULT '',
    disposition        VARCHAR(16)              NOT NULL,
    end_stage          VARCHAR(16)              NOT NULL,
    ended_by           VARCHAR(16),
    agent              VARCHAR(32),
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    queued_at          TIMESTAMP WITH TIME ZONE,
    answered_at        TIMESTAMP WITH TIME ZONE,
    ended_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    queue_wait_seconds BIGINT                   NOT NULL,
    talk_seconds       BIGINT                   NOT NULL,
    survey_score       INTEGER,
    callback_required  BOOLEAN                  NOT NULL,
    -- The agent's form as a JSON object of string values; '{}' until saved.
    -- VARCHAR without a length is unbounded on PostgreSQL and up to 1,000,000 characters on H2 (a CLOB there would
    -- cost a LOB lookup per row read).
    form               VARCHAR                  NOT NULL DEFAULT '{}',
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT tickets_pk PRIMARY KEY (id),
    CONSTRAINT tickets_number_uk UNIQUE (number),
    CONSTRAINT tickets_linked_id_uk UNIQUE (linked_id),
    CONSTRAINT tickets_disposition_ck CHECK (disposition IN ('answered', 'abandoned', 'voicemail', 'failed')),
    CONSTRAINT tickets_end_stage_ck CHECK (end_stage IN ('ivr', 'queued', 'ringing', 'talking', 'survey')),
    CONSTRAINT tickets_survey_score_ck CHECK (survey_score BETWEEN 1 AND 5)
);

-- saveForm looks tickets up by the draft id the desktop saved its form under.
CREATE INDEX tickets_draft_id_ix ON tickets (draft_id);
-- The list queries filter by one of these and read newest first.
CREATE INDEX tickets_ended_at_ix ON tickets (ended_at, number);
CREATE INDEX tickets_caller_ended_at_ix ON tickets (caller, ended_at);
CREATE INDEX tickets_line_ended_at_ix ON tickets (line, ended_at);
CREATE INDEX tickets_agent_ended_at_ix ON tickets (agent, ended_at);
