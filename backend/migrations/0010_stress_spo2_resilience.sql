-- daily_stress, daily_spo2 and daily_resilience live in daily_documents like the scores: one
-- row per user, collection and day, the raw document beside. Their typed values get columns of
-- their own (NULL for the other collections); resilience's contributors use `contributors`.
ALTER TABLE daily_documents ADD COLUMN stress_high_seconds BIGINT;
ALTER TABLE daily_documents ADD COLUMN recovery_high_seconds BIGINT;
ALTER TABLE daily_documents ADD COLUMN day_summary TEXT;
ALTER TABLE daily_documents ADD COLUMN spo2_average DOUBLE PRECISION;
ALTER TABLE daily_documents ADD COLUMN breathing_disturbance_index BIGINT;
ALTER TABLE daily_documents ADD COLUMN resilience_level TEXT;
