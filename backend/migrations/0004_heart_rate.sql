-- Heart rate readings (every 5 minutes or so), one row per user and moment.
CREATE TABLE heart_rate (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Unix seconds
    at BIGINT NOT NULL,
    bpm BIGINT NOT NULL,
    -- awake, rest, sleep, workout, live or session
    source TEXT NOT NULL,
    PRIMARY KEY (user_id, at)
);
