-- Documents Oura sent that the app could not use (a field it needs missing or of the wrong
-- type), kept whole so nothing is lost, and listed on the sync-health view. Keyed by a hash of
-- the document, so reading the same one again does not pile up copies.
CREATE TABLE quarantined_documents (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    collection TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL,
    quarantined_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, collection, raw_sha256)
);

-- Each collection's own outcome: the last error, and when it was attempted.
ALTER TABLE sync_progress ADD COLUMN last_error TEXT;
ALTER TABLE sync_progress ADD COLUMN last_attempt_at BIGINT;

-- How many documents the current (or last) run set aside.
ALTER TABLE sync_runs ADD COLUMN unreadable BIGINT NOT NULL DEFAULT 0;
