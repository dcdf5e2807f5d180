-- IF NOT EXISTS: databases made before sqlx migrations already hold this schema (see 0002).
-- Jobs of meeting callouts; one row per submitted job.
CREATE TABLE IF NOT EXISTS jobs (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    meeting_id  TEXT NOT NULL,
    operator_id TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_by_email TEXT,
    state       TEXT NOT NULL,
    batch_cap   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state);
CREATE INDEX IF NOT EXISTS jobs_by_meeting ON jobs (account_id, meeting_id);

-- One row per submitted number. Written before its batch is sent (phase 'sending'), updated after.
CREATE TABLE IF NOT EXISTS job_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      TEXT NOT NULL REFERENCES jobs (id),
    row_index   INTEGER NOT NULL,
    input       TEXT NOT NULL,
    e164        TEXT,
    area        INTEGER,
    phone       TEXT,
    extension   TEXT,
    nick_name   TEXT,
    batch_no    INTEGER,
    phase       TEXT NOT NULL,
    status      TEXT NOT NULL,
    reason      TEXT,
    raw_status  TEXT,
    ms_open_id  TEXT,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS job_items_by_job ON job_items (job_id, batch_no);
CREATE INDEX IF NOT EXISTS job_items_by_number ON job_items (e164);

-- Same key + same body replays the stored answer; same key + other body is refused.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    subject      TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER,
    body         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (subject, key)
);

-- Who did what, on whose behalf, to what, with which outcome.
CREATE TABLE IF NOT EXISTS audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    subject      TEXT NOT NULL,
    email        TEXT,
    auth_mode    TEXT NOT NULL,
    on_behalf_of TEXT,
    action       TEXT NOT NULL,
    account_id   TEXT,
    target       TEXT,
    outcome      TEXT NOT NULL,
    detail       TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_log (at);

-- Provider webhook deliveries, deduplicated on the event's trace id.
CREATE TABLE IF NOT EXISTS webhook_events (
    account_id  TEXT NOT NULL,
    trace_id    TEXT NOT NULL,
    event       TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    PRIMARY KEY (account_id, trace_id)
);

-- Room calls and DialEx tasks placed through the console.
CREATE TABLE IF NOT EXISTS room_calls (
    invite_id   TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    meeting_id  TEXT NOT NULL,
    target      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, invite_id)
);
CREATE TABLE IF NOT EXISTS dialex_tasks (
    task_id     TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    callee      TEXT NOT NULL,
    answer_mode TEXT NOT NULL,
    rout_point  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, task_id)
);

-- Numbers never to be called (E.164, as the normaliser writes them).
CREATE TABLE IF NOT EXISTS do_not_call (
    e164     TEXT PRIMARY KEY,
    note     TEXT,
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL
);
