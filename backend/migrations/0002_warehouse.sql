-- The warehouse: Oura's daily documents, typed where the dashboard reads them and whole as
-- Oura sent them (so a field we do not use yet is not lost), and where each sync got to.

CREATE TABLE daily_documents (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- daily_sleep, daily_readiness or daily_activity
    collection TEXT NOT NULL,
    -- YYYY-MM-DD, the day Oura files the document under
    day TEXT NOT NULL,
    document_id TEXT NOT NULL,
    score BIGINT,
    steps BIGINT,
    active_calories BIGINT,
    -- JSON object: contributor name -> score (or null)
    contributors TEXT NOT NULL,
    raw TEXT NOT NULL,
    synced_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, collection, day)
);

-- Per user and collection: everything from backfill_from through synced_through is stored.
CREATE TABLE sync_progress (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    collection TEXT NOT NULL,
    backfill_from TEXT NOT NULL,
    synced_through TEXT,
    PRIMARY KEY (user_id, collection)
);

-- Per user: the running (or last) sync, and the lease that keeps it to one instance.
CREATE TABLE sync_runs (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    lease_until BIGINT NOT NULL DEFAULT 0,
    -- never, running, idle or failed
    status TEXT NOT NULL,
    windows_done BIGINT NOT NULL DEFAULT 0,
    windows_total BIGINT NOT NULL DEFAULT 0,
    started_at BIGINT,
    finished_at BIGINT,
    last_success_at BIGINT,
    error TEXT
);
