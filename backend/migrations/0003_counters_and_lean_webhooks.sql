-- Incremental job counters: how many items of a job are in each (batch, phase, status), kept by
-- triggers, so a job's summary reads a few rows instead of every item (it is read after every batch
-- and every status change). A missing batch is stored as -1: key columns stay NOT NULL.
CREATE TABLE job_item_counts (
    job_id   TEXT NOT NULL,
    batch_no INTEGER NOT NULL,
    phase    TEXT NOT NULL,
    status   TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (job_id, batch_no, phase, status)
) WITHOUT ROWID;

INSERT INTO job_item_counts (job_id, batch_no, phase, status, n)
SELECT job_id, COALESCE(batch_no, -1), phase, status, COUNT(*) FROM job_items GROUP BY 1, 2, 3, 4;

CREATE TRIGGER job_items_counted_in AFTER INSERT ON job_items BEGIN
    INSERT INTO job_item_counts (job_id, batch_no, phase, status, n)
    VALUES (NEW.job_id, COALESCE(NEW.batch_no, -1), NEW.phase, NEW.status, 1)
    ON CONFLICT (job_id, batch_no, phase, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER job_items_counted_out AFTER DELETE ON job_items BEGIN
    UPDATE job_item_counts SET n = n - 1
    WHERE job_id = OLD.job_id AND batch_no = COALESCE(OLD.batch_no, -1) AND phase = OLD.phase AND status = OLD.status;
    DELETE FROM job_item_counts
    WHERE job_id = OLD.job_id AND batch_no = COALESCE(OLD.batch_no, -1) AND phase = OLD.phase AND status = OLD.status AND n <= 0;
END;

CREATE TRIGGER job_items_counted_moved AFTER UPDATE OF job_id, batch_no, phase, status ON job_items
WHEN OLD.job_id != NEW.job_id OR OLD.batch_no IS NOT NEW.batch_no OR OLD.phase != NEW.phase OR OLD.status != NEW.status
BEGIN
    UPDATE job_item_counts SET n = n - 1
    WHERE job_id = OLD.job_id AND batch_no = COALESCE(OLD.batch_no, -1) AND phase = OLD.phase AND status = OLD.status;
    DELETE FROM job_item_counts
    WHERE job_id = OLD.job_id AND batch_no = COALESCE(OLD.batch_no, -1) AND phase = OLD.phase AND status = OLD.status AND n <= 0;
    INSERT INTO job_item_counts (job_id, batch_no, phase, status, n)
    VALUES (NEW.job_id, COALESCE(NEW.batch_no, -1), NEW.phase, NEW.status, 1)
    ON CONFLICT (job_id, batch_no, phase, status) DO UPDATE SET n = n + 1;
END;

-- The follower's question, "what in this meeting is still open", without reading finished items.
CREATE INDEX job_items_open ON job_items (job_id)
WHERE phase = 'sent' AND status IN ('queued', 'ringing', 'answered', 'unknown');

-- A webhook event names its call by ms_open_id (once connected) or by number (e164, indexed already).
CREATE INDEX job_items_by_ms_open_id ON job_items (ms_open_id) WHERE ms_open_id IS NOT NULL;

-- A status page marks only the numbers on its page: look them up by number.
CREATE INDEX job_items_by_phone ON job_items (phone, area);

-- Webhook events are kept only to recognise a redelivery: the body is not needed (it was stored
-- whole before, 3.4 KB an event) and rows are pruned after the de-duplication window.
ALTER TABLE webhook_events DROP COLUMN payload;
CREATE INDEX webhook_events_by_time ON webhook_events (received_at);
