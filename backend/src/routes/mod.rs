//! The JSON API (`/api/...`), the health probe and the SPA itself.

/// `DELETE /api/account`.
pub mod account;
/// `/api/keys`: personal API keys.
pub mod api_keys;
/// Finished answers, per user and data version.
pub mod cache;
/// `/api/daily` and `/api/summary`.
pub mod daily;
/// `/api/events` and `/api/rings`.
pub mod events;
/// `/api/export`.
pub mod export;
/// `/healthz`.
pub mod health;
/// `/api/heartrate`.
pub mod heart_rate;
/// `/api/insights`.
pub mod insights;
/// `/metrics`, for operators.
pub mod metrics;
/// `/api/openapi.json`.
pub mod openapi;
/// Query and path parameters.
pub mod params;
/// `/api/profile`.
pub mod profile;
/// `/api/session`.
pub mod session;
/// `/api/sleep/{day}`.
pub mod sleep;
/// The single-page app.
pub mod spa;
/// `/api/sync`.
pub mod sync;
/// `/webhooks/oura`, where Oura calls.
pub mod webhooks;
