//! Signing in with Oura (authorization code + PKCE), the session, and who is calling.

/// `GET /auth/callback`: where Oura sends the browser back.
pub mod callback;
mod caller;
/// The CSRF defence of state-changing requests.
pub mod csrf;
mod failure;
/// `GET /auth/login`: off to Oura's consent page.
pub mod login;
/// `POST /auth/logout`.
pub mod logout;
mod query;
pub mod rate_limit;
mod return_to;
mod session;

pub use caller::Caller;
pub use rate_limit::RateLimits;
pub use session::TypedSession;
