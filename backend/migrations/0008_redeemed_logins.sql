-- The `state` of each login whose callback was taken, hashed, while a callback could still
-- carry it: two callbacks racing with the same state (the same cookie) redeem Oura's code
-- once, across instances too.
CREATE TABLE redeemed_logins (
    state_sha256 TEXT PRIMARY KEY,
    redeemed_at BIGINT NOT NULL
);
