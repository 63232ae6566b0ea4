-- What the IVR decided for calls that never reached an agent of the centre (issue 5): a voicemail's recording, an
-- external transfer's target, and which side served a call on a sub-centre line.
-- Portable SQL: runs unchanged on PostgreSQL 15 and on H2 2.x in MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE.

-- The voicemail recording, relative to the recording root, with extension: voicemail/yyyy/MM/dd/vm-<linkedid>.wav.
ALTER TABLE tickets ADD COLUMN recording VARCHAR(512);
-- The number outside the centre the call was sent to: 110, 119, 120 or a department's sub-centre.
ALTER TABLE tickets ADD COLUMN transfer_target VARCHAR(32);
-- Who served the caller: '12345' (an agent of the centre), 'sub_centre', 'external'; NULL when nobody did.
ALTER TABLE tickets ADD COLUMN handled_by VARCHAR(16);

ALTER TABLE tickets DROP CONSTRAINT tickets_disposition_ck;
ALTER TABLE tickets ADD CONSTRAINT tickets_disposition_ck
    CHECK (disposition IN ('answered', 'abandoned', 'voicemail', 'failed', 'transferred', 'ended_by_ivr'));
ALTER TABLE tickets DROP CONSTRAINT tickets_end_stage_ck;
ALTER TABLE tickets ADD CONSTRAINT tickets_end_stage_ck
    CHECK (end_stage IN ('ivr', 'queued', 'ringing', 'talking', 'survey', 'transfer'));
ALTER TABLE tickets ADD CONSTRAINT tickets_handled_by_ck CHECK (handled_by IN ('12345', 'sub_centre', 'external'));
