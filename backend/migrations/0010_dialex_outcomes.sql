-- DialEx outcomes, learned from the contact center's call records (ListCallDetailRecords). Each record
-- that settled a call is kept by its id: a record settles at most one call, ever, also across the
-- attempts of one number (`attempt` says which one it settled).
CREATE TABLE dialex_call_records (
    instance_id TEXT NOT NULL,
    contact_id  TEXT NOT NULL,
    item_id     INTEGER NOT NULL REFERENCES job_items (id),
    attempt     INTEGER NOT NULL,
    disposition TEXT,
    matched_at  INTEGER NOT NULL,
    PRIMARY KEY (instance_id, contact_id)
) WITHOUT ROWID;

-- The calls the DialEx follower asks about: placed, no outcome yet.
CREATE INDEX job_items_placed ON job_items (job_id) WHERE phase = 'sent' AND status = 'placed';

-- `placed` used to be final: DialEx jobs with placed calls were stored as finished. They follow now,
-- so a restart picks them up.
UPDATE jobs SET state = 'following'
WHERE kind = 'dialex' AND state = 'finished'
  AND EXISTS (SELECT 1 FROM job_items i WHERE i.job_id = jobs.id AND i.phase = 'sent' AND i.status = 'placed');
