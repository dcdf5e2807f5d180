-- no-transaction
-- Jobs of every kind (meeting callouts, DialEx lists), room calls recorded before they are sent, and
-- the hand-rolled migration table of earlier versions retired. SQLite cannot drop NOT NULL from a
-- column, so `jobs` is rebuilt the documented way: foreign keys off, copy, swap, check, on again.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE jobs_rebuilt (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    account_id       TEXT NOT NULL,
    -- meeting callouts
    meeting_id       TEXT,
    operator_id      TEXT,
    -- DialEx lists
    instance_id      TEXT,
    caller           TEXT,
    answer_mode      TEXT,
    rout_point       TEXT,
    provider         TEXT,
    created_by       TEXT NOT NULL,
    created_by_email TEXT,
    state            TEXT NOT NULL,
    batch_cap        INTEGER NOT NULL,
    -- the batch size the provider refused as too large, when it did
    batch_cap_refused INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
INSERT INTO jobs_rebuilt (id, kind, account_id, meeting_id, operator_id, created_by, created_by_email, state, batch_cap, created_at, updated_at)
    SELECT id, 'meeting_callout', account_id, meeting_id, operator_id, created_by, created_by_email, state, batch_cap, created_at, updated_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_rebuilt RENAME TO jobs;
CREATE INDEX jobs_by_state ON jobs (state);
CREATE INDEX jobs_by_meeting ON jobs (account_id, meeting_id);
CREATE INDEX jobs_by_time ON jobs (created_at);

ALTER TABLE job_items ADD COLUMN task_id TEXT;

-- Earlier single DialEx calls become one-row DialEx jobs (their caller was not kept).
INSERT INTO jobs (id, kind, account_id, instance_id, caller, answer_mode, rout_point, created_by, state, batch_cap, created_at, updated_at)
    SELECT 'dialex-' || task_id, 'dialex', account_id, instance_id, '', CASE answer_mode WHEN 'Ivr' THEN 'ivr' WHEN 'Agent' THEN 'agent' ELSE 'skill_group' END,
           rout_point, created_by, 'finished', 1, created_at, created_at FROM dialex_tasks;
INSERT INTO job_items (job_id, row_index, input, phase, status, task_id, updated_at)
    SELECT 'dialex-' || task_id, 0, callee, 'sent', 'placed', task_id, created_at FROM dialex_tasks;
DROP TABLE dialex_tasks;

-- Room calls: a row before the request leaves (phase 'sending'), its outcome after.
CREATE TABLE room_calls_rebuilt (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT NOT NULL,
    meeting_id  TEXT NOT NULL,
    target      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    phase       TEXT NOT NULL,
    outcome     TEXT,
    invite_id   TEXT,
    detail      TEXT,
    updated_at  INTEGER NOT NULL
);
INSERT INTO room_calls_rebuilt (account_id, meeting_id, target, created_by, created_at, phase, outcome, invite_id, updated_at)
    SELECT account_id, meeting_id, target, created_by, created_at, 'sent', 'ok', invite_id, created_at FROM room_calls;
DROP TABLE room_calls;
ALTER TABLE room_calls_rebuilt RENAME TO room_calls;

DROP TABLE IF EXISTS schema_migrations;

COMMIT;
PRAGMA foreign_key_check;
PRAGMA foreign_keys = ON;
