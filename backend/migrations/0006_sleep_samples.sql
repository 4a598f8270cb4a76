-- Heart rate and HRV through each sleep period, one row per 5-minute sample, read out of Oura's
-- document once, at ingest (requests no longer dig them out of the raw JSON).
CREATE TABLE sleep_samples (
    user_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    -- 0 for the sample at bedtime_start, then one per 5 minutes
    position BIGINT NOT NULL,
    -- beats per minute
    heart_rate DOUBLE PRECISION,
    -- milliseconds (RMSSD)
    hrv DOUBLE PRECISION,
    PRIMARY KEY (user_id, document_id, position),
    FOREIGN KEY (user_id, document_id) REFERENCES sleep_periods (user_id, document_id) ON DELETE CASCADE
);

-- Periods stored before samples were extracted are read again, whole, by the next sync.
UPDATE sync_progress SET synced_through = NULL WHERE collection = 'sleep';
