-- A number that joins a meeting twice has two ms_open_ids: `ms_open_id` keeps the latest (found by
-- index when an event names it), `ms_open_ids` every one, space-separated, for the job view.
ALTER TABLE job_items ADD COLUMN ms_open_ids TEXT;
UPDATE job_items SET ms_open_ids = ms_open_id WHERE ms_open_id IS NOT NULL;
