-- Ticket search by disposition gets its own index, like caller, line, department and agent (V3).
-- Portable SQL: runs unchanged on PostgreSQL 15 and on H2 2.x in MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE.

-- V3 left disposition to the newest-first scan of tickets_ended_at_ix on the grounds that every value is a few per
-- cent of the calls. Not so: 'transferred' and 'ended_by_ivr' (V2) can be rare or absent, and a search for a value
-- with no match then reads every ticket (measured on 1,000,000 tickets: 28 s on H2; PostgreSQL scans and sorts the
-- table). With this index such a search reads a page of index entries, or none.
CREATE INDEX tickets_disposition_ended_at_ix ON tickets (disposition, ended_at DESC, number DESC);
