-- When each call was sent, answered and ended, as the console learned it (the provider's answer and
-- its status events): a job's report shows time to answer and call length per row.
ALTER TABLE job_items ADD COLUMN sent_at INTEGER;
ALTER TABLE job_items ADD COLUMN answered_at INTEGER;
ALTER TABLE job_items ADD COLUMN ended_at INTEGER;
