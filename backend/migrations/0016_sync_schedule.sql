-- The background sync's schedule: when each user with tokens is synced next (Unix seconds).
-- Instances claim users whose time has come and move it on, so N instances share the work.
ALTER TABLE oura_tokens ADD COLUMN next_sync_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX oura_tokens_next_sync_at ON oura_tokens (next_sync_at);
