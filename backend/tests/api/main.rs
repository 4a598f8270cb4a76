//! Backend integration tests: the real server on port 0 against the Oura simulator on port 0.
//! Each app gets its own SQLite file, or with `TEST_DATABASE_URL=postgres://...` its own
//! PostgreSQL schema; the scale-out tests always use PostgreSQL and Redis.

mod account;
mod api_keys;
mod callback;
mod dashboard;
mod deploy;
mod fault_proxy;
mod fuzz;
mod helpers;
mod logging;
mod login;
mod logout;
mod metrics;
mod openapi;
mod postgres;
mod profile;
mod rate_budget;
mod reads;
mod refresh;
mod reliability;
mod scale_out;
mod schedule;
mod site;
mod stress;
mod sync;
mod webhooks;
