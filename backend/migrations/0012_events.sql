-- Things that happen at a time rather than once a day: workouts, sessions (meditation,
-- breathing, ...), tags and rest-mode periods. One row per Oura document, typed where the
-- dashboard reads it (NULL where a collection has no such field) and whole as Oura sent it.
CREATE TABLE events (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- workout, session, enhanced_tag or rest_mode_period
    collection TEXT NOT NULL,
    document_id TEXT NOT NULL,
    -- YYYY-MM-DD: the day it began on (Oura's day, or start_day)
    day TEXT NOT NULL,
    -- YYYY-MM-DD: the day it ended on, for tags with a duration and rest mode (NULL while a
    -- rest-mode period is still on)
    end_day TEXT,
    -- RFC 3339, in the person's local time with its offset
    start_time TEXT,
    end_time TEXT,
    -- workout: activity; session: type; tag: tag_type_code
    kind TEXT,
    -- workout: label; tag: custom_name
    name TEXT,
    -- tag: comment
    comment TEXT,
    -- workout: easy, moderate or hard
    intensity TEXT,
    -- workout: manual, autodetected, confirmed or workout_heart_rate
    source TEXT,
    -- session: bad, worse, same, good or great
    mood TEXT,
    calories DOUBLE PRECISION,
    distance_meters DOUBLE PRECISION,
    -- session: from its heart-rate and HRV samples (the samples stay in raw)
    average_heart_rate DOUBLE PRECISION,
    lowest_heart_rate DOUBLE PRECISION,
    average_hrv DOUBLE PRECISION,
    raw TEXT NOT NULL,
    synced_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, collection, document_id)
);
CREATE INDEX events_by_day ON events (user_id, day);
