-- A person can hold a job's numbers not sent yet: the dialler sends nothing of a paused job (its
-- sent calls are still followed), across restarts, until it is resumed.
ALTER TABLE jobs ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
