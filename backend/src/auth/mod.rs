//! Signing in with Oura (authorization code + PKCE), the session, and who is calling.

pub mod callback;
mod caller;
pub mod csrf;
mod failure;
pub mod login;
pub mod logout;
mod query;
mod return_to;
mod session;

pub use caller::Caller;
pub use session::{SESSION_USER_KEY, TypedSession};
