-- A row's reason as a code and its variable part, so the panel words it in the reader's language;
-- `reason` keeps the English sentence (API, CSV export). Rows recorded before this have only `reason`.
ALTER TABLE job_items ADD COLUMN reason_code TEXT;
ALTER TABLE job_items ADD COLUMN reason_detail TEXT;
