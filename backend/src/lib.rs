//! oura-dashboard's backend: the JSON API, the OAuth client (the only holder of Oura tokens)
//! and the server of the single-page app.

pub mod auth;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod insights;
pub mod metrics;
pub mod oura;
pub mod read_model;
pub mod routes;
pub mod startup;
pub mod store;
pub mod sync;
pub mod telemetry;
pub mod webhooks;
