-- One schema for SQLite and PostgreSQL: TEXT and BIGINT only, times in Unix seconds.

-- People who signed in, keyed by their Oura user id.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    -- Sessions signed in up to this moment (Unix milliseconds) are over (invalid_grant, ...).
    sessions_valid_after BIGINT NOT NULL DEFAULT 0
);

-- Oura's tokens, encrypted (XChaCha20-Poly1305, bound to the user id), base64.
CREATE TABLE oura_tokens (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    access_token TEXT NOT NULL,
    refresh_token TEXT,
    access_expires_at BIGINT,
    scopes TEXT NOT NULL,
    -- Goes up by one with every rotation; a refresh only lands on the generation it started from.
    generation BIGINT NOT NULL,
    -- Until when one instance holds the right to refresh (refresh tokens are single-use).
    refresh_lease_until BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- Server-side sessions (when Redis is not configured). The id is stored hashed.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT,
    state TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Personal API keys for scripts: `odk_<id>_<secret>`, the secret stored as a SHA-256 hash.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_keys_user_id ON api_keys (user_id);
