-- Every ring the person has set up (Oura's ring_configuration), newest first by set_up_at,
-- typed and whole as Oura sent it.
CREATE TABLE rings (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    -- gen1, gen2, gen2m, gen3, gen4, or5, or a value Oura adds later
    hardware_type TEXT,
    firmware_version TEXT,
    color TEXT,
    design TEXT,
    -- US ring size
    size BIGINT,
    -- RFC 3339, UTC
    set_up_at TEXT,
    raw TEXT NOT NULL,
    synced_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, document_id)
);
