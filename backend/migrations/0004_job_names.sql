-- A job can be given a name or note at submit, shown as its title and searched in the job list.
ALTER TABLE jobs ADD COLUMN name TEXT;
-- The job list filters by submitter and pages newest first.
CREATE INDEX jobs_by_submitter ON jobs (created_by, created_at);
