//! The one way the backend talks to Oura: its OAuth server ([`OuraOAuth`]) and its v2 data
//! API ([`OuraApi`]), both built once at start-up from configuration.

mod api;
pub mod documents;
mod oauth;
mod tokens;

pub use api::{Collection, CollectionDocument, Document, OuraApi, OuraError, Page, PageRequest};
pub use documents::PersonalInfo;
pub use oauth::{AuthorizationStart, OuraOAuth, TokenExchangeError, Tokens};
pub use tokens::{TokenError, UserTokens, duration_secs};

use std::time::Duration;

/// The HTTP client for every call to Oura: time-limited, and never following redirects, so a
/// compromised or misconfigured endpoint cannot bounce our requests (and tokens) elsewhere.
pub fn http_client(
    connect_timeout: Duration,
    timeout: Duration,
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .user_agent(concat!("oura-dashboard/", env!("CARGO_PKG_VERSION")))
        .build()
}
