//! The JSON API (`/api/...`), the health probe and the SPA itself.

pub mod account;
pub mod api_keys;
pub mod cache;
pub mod daily;
pub mod export;
pub mod health;
pub mod heart_rate;
pub mod insights;
pub mod openapi;
pub mod profile;
pub mod session;
pub mod sleep;
pub mod spa;
pub mod sync;
