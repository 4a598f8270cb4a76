//! The simulator's own tests: one binary, one module per surface.

mod daily;
mod heartrate;
mod helpers;
mod oauth_authorize;
mod oauth_token;
mod openapi_conformance;
mod personal_info;
mod webhooks;
