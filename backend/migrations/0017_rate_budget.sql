-- Oura requests counted against one budget for the whole app (every user, every instance), per
-- time slice (a tenth of Oura's rate window) and holder: '' for the app, else a user's id.
CREATE TABLE rate_budget (
    holder TEXT NOT NULL,
    slice BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (holder, slice)
);
CREATE INDEX rate_budget_slice ON rate_budget (slice);

-- One row every budget transaction updates first, so that takers go one at a time on SQLite
-- and PostgreSQL alike: two instances never both grant the last requests of a window.
CREATE TABLE rate_budget_turn (
    id BIGINT PRIMARY KEY,
    taken_at BIGINT NOT NULL
);
INSERT INTO rate_budget_turn (id, taken_at) VALUES (1, 0);
