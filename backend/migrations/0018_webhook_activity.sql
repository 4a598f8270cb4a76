-- When Oura last announced a change to each collection (for anyone): a collection silent for
-- too long is polled again, and the sync-health view says which are.
CREATE TABLE webhook_activity (
    collection TEXT PRIMARY KEY,
    -- Unix seconds
    last_event_at BIGINT NOT NULL
);
