-- Each person's Oura profile (personal_info) as Oura last sent it: fetched at sign-in and with
-- every sync, so that showing it never waits on Oura or spends its rate limit.
CREATE TABLE profiles (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    fetched_at BIGINT NOT NULL
);
