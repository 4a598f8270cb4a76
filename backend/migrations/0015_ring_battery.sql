-- The ring's latest battery reading (Oura's ring_battery_level with latest=true), one row per
-- person, replaced only by a newer reading.
CREATE TABLE ring_battery (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    level BIGINT NOT NULL,
    -- 1 or 0 (integers: sqlx's Any driver reads booleans alike on SQLite and PostgreSQL so)
    charging BIGINT,
    in_charger BIGINT,
    -- Unix seconds
    measured_at BIGINT NOT NULL,
    raw TEXT NOT NULL
);
