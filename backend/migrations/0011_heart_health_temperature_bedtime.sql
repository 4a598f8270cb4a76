-- Readiness's body temperature deviations, vO2_max, daily_cardiovascular_age and sleep_time
-- (the optimal bedtime window) get typed columns in daily_documents like the other daily
-- collections (NULL for the rest).
ALTER TABLE daily_documents ADD COLUMN temperature_deviation DOUBLE PRECISION;
ALTER TABLE daily_documents ADD COLUMN temperature_trend_deviation DOUBLE PRECISION;
ALTER TABLE daily_documents ADD COLUMN vo2_max DOUBLE PRECISION;
ALTER TABLE daily_documents ADD COLUMN vascular_age BIGINT;
ALTER TABLE daily_documents ADD COLUMN pulse_wave_velocity DOUBLE PRECISION;
-- Seconds from the day's midnight, in the offset bedtime_utc_offset (seconds east of UTC).
ALTER TABLE daily_documents ADD COLUMN bedtime_start_offset BIGINT;
ALTER TABLE daily_documents ADD COLUMN bedtime_end_offset BIGINT;
ALTER TABLE daily_documents ADD COLUMN bedtime_utc_offset BIGINT;
ALTER TABLE daily_documents ADD COLUMN bedtime_recommendation TEXT;
ALTER TABLE daily_documents ADD COLUMN bedtime_status TEXT;
