-- Sleep periods (the nights and naps themselves), several a day at times, keyed by Oura's id.
CREATE TABLE sleep_periods (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    -- YYYY-MM-DD: the morning the period ended in
    day TEXT NOT NULL,
    -- long_sleep, sleep, late_nap, rest or deleted
    kind TEXT,
    bedtime_start TEXT NOT NULL,
    bedtime_end TEXT NOT NULL,
    total_sleep_seconds BIGINT,
    efficiency BIGINT,
    average_hrv BIGINT,
    lowest_heart_rate BIGINT,
    -- One character per 5 minutes: 1 deep, 2 light, 3 REM, 4 awake
    phases TEXT,
    raw TEXT NOT NULL,
    synced_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, document_id)
);
CREATE INDEX sleep_periods_by_day ON sleep_periods (user_id, day);
