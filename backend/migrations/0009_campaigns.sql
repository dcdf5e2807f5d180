-- A job as a small campaign. `start_at`: nothing is sent before it (Unix ms). `calling_window`: the
-- job's own window as JSON (`shared::campaign::CallingWindow`; NULL: the account's default from the
-- configuration, read when the job dials, so a changed default applies to waiting jobs too).
-- `max_attempts` / `retry_spacing_minutes`: the retry policy (1: each number once).
ALTER TABLE jobs ADD COLUMN start_at INTEGER;
ALTER TABLE jobs ADD COLUMN calling_window TEXT;
ALTER TABLE jobs ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE jobs ADD COLUMN retry_spacing_minutes INTEGER NOT NULL DEFAULT 0;

-- Which attempt of its number a row is now, and when a later attempt may be sent.
ALTER TABLE job_items ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE job_items ADD COLUMN not_before INTEGER;

-- Each earlier attempt as it ended, kept when the policy dialled the number again: every attempt is
-- its own recorded dial with its own outcome.
CREATE TABLE job_item_attempts (
    item_id INTEGER NOT NULL REFERENCES job_items (id),
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,
    raw_status TEXT,
    reason TEXT,
    reason_code TEXT,
    reason_detail TEXT,
    task_id TEXT,
    sent_at INTEGER,
    answered_at INTEGER,
    ended_at INTEGER,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, attempt)
);
ALTER TABLE jobs ADD COLUMN stopped_at INTEGER; -- a stopped job's policy dials nothing again
