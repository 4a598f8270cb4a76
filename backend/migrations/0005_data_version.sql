-- Goes up with every page of data stored for the user, so cached answers know they are stale
-- (whichever instance stored it).
ALTER TABLE users ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
