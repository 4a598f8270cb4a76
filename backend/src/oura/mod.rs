//! The one way the backend talks to Oura: its OAuth server ([`OuraOAuth`]) and its v2 data
//! API ([`OuraApi`]), both built once at start-up from configuration.

mod api;
pub mod documents;
mod oauth;
mod tokens;

pub(crate) use api::is_document_id;
pub use api::{
    Collection, CollectionDocument, Document, OuraApi, OuraError, Page, PageRequest,
    ProfileDocument,
};
pub use documents::PersonalInfo;
pub use oauth::{AuthorizationStart, OuraOAuth, TokenExchangeError, Tokens};
pub use tokens::{TokenError, UserTokens, duration_secs};

use std::time::Duration;

/// The most bytes read from one answer of Oura's data API (a page of two years of sleep
/// documents is a few megabytes).
pub const MAX_API_BODY_BYTES: usize = 32 * 1024 * 1024;
/// The most bytes read from one answer of Oura's token endpoint.
pub const MAX_TOKEN_BODY_BYTES: usize = 64 * 1024;

/// Why a body was not read.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// The connection failed or timed out while the body came in.
    #[error(transparent)]
    Transport(#[from] reqwest::Error),
    /// The body went past its limit: the rest was not read.
    #[error("the answer was larger than {0} bytes")]
    TooLarge(usize),
}

/// Reads a response body as it comes in, and stops at `limit` bytes: a broken or hostile
/// endpoint cannot make the app buffer without bound.
pub async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(BodyError::TooLarge(limit));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

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
