//! [`ApiError`]: every failure of a JSON route, rendered as the one [`ApiErrorBody`] shape.
//! The errors of the other boundaries (the Oura client, the token layer, the sync) become an
//! `ApiError` here, at the HTTP edge, and nowhere else.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use shared::{ApiErrorBody, ErrorCode, routes};

use crate::oura::{OuraError, TokenError};
use crate::sync::SyncError;

/// How long to ask callers to wait when Oura is unavailable without saying for how long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Why a JSON route failed; each variant has its status and [`ErrorCode`].
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No session and no bearer token.
    #[error("not signed in")]
    Unauthenticated,
    /// Oura no longer accepts the sign-in.
    #[error("Oura no longer accepts the token")]
    SignInAgain,
    /// An unknown or revoked API key.
    #[error("invalid API key")]
    InvalidApiKey,
    /// `/metrics` without its bearer token, or with another.
    #[error("metrics token missing or wrong")]
    MetricsTokenRequired,
    /// Not allowed, with the reason for people.
    #[error("{0}")]
    Forbidden(String),
    /// Oura is rate limiting or down for now.
    #[error("Oura is unavailable; retry after {retry_after:?}")]
    UpstreamUnavailable {
        /// How long to wait.
        retry_after: Duration,
        /// A sentence for people.
        reason: String,
    },
    /// Oura answered with an error, or with something it does not promise.
    #[error("Oura failed: {0}")]
    UpstreamError(String),
    /// Oura did not answer in time.
    #[error("Oura did not answer in time")]
    UpstreamTimeout,
    /// Too many requests from the caller's address.
    #[error("too many requests; retry after {retry_after:?}")]
    TooManyRequests {
        /// How long to wait.
        retry_after: Duration,
    },
    /// The request is malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request's body is bigger than the route takes (said in words).
    #[error("the body is too large: {0}")]
    TooLarge(&'static str),
    /// A state-changing request that may come from another site.
    #[error("cross-site request refused: {0}")]
    CsrfRejected(&'static str),
    /// No such route.
    #[error("no such route")]
    NotFound,
    /// No such thing of the caller's (a key, ...).
    #[error("no such {0}")]
    NoSuch(&'static str),
    /// Well-formed but unacceptable content.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Wrong method for the route.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The database or Redis does not answer; it passes by itself.
    #[error("the store is unreachable: {0:#}")]
    StoreUnavailable(anyhow::Error),
    /// A fault of ours; logged, never shown.
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// How long callers are asked to wait while the store is unreachable.
const STORE_RETRY_AFTER: Duration = Duration::from_secs(5);

impl From<anyhow::Error> for ApiError {
    /// A store that does not answer is an outage (503, it passes), anything else a fault.
    fn from(error: anyhow::Error) -> Self {
        if is_store_outage(&error) {
            Self::StoreUnavailable(error)
        } else {
            Self::Internal(error)
        }
    }
}

/// Whether `error` comes from a database or Redis that cannot be reached.
fn is_store_outage(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<sqlx::Error>(),
            Some(
                sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::Io(_)
                    | sqlx::Error::Tls(_)
                    | sqlx::Error::WorkerCrashed
            )
        ) || cause
            .downcast_ref::<redis::RedisError>()
            .is_some_and(|e| e.is_io_error() || e.is_connection_dropped() || e.is_timeout())
    })
}

impl ApiError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::SignInAgain => ErrorCode::SignInAgain,
            Self::InvalidApiKey => ErrorCode::InvalidApiKey,
            Self::MetricsTokenRequired => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::UpstreamUnavailable { .. } => ErrorCode::UpstreamUnavailable,
            Self::UpstreamError(_) => ErrorCode::UpstreamError,
            Self::UpstreamTimeout => ErrorCode::UpstreamTimeout,
            Self::TooManyRequests { .. } => ErrorCode::RateLimited,
            Self::StoreUnavailable(_) => ErrorCode::StorageUnavailable,
            Self::BadRequest(_) | Self::TooLarge(_) => ErrorCode::BadRequest,
            Self::CsrfRejected(_) => ErrorCode::CsrfRejected,
            Self::NotFound | Self::NoSuch(_) => ErrorCode::NotFound,
            Self::InvalidInput(_) => ErrorCode::InvalidInput,
            Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    fn message(&self) -> String {
        match self {
            Self::Unauthenticated => format!(
                "You are not signed in. Open {} in a browser to sign in with Oura, or send \
                 `Authorization: Bearer <API key or Oura access token>`.",
                routes::LOGIN
            ),
            Self::SignInAgain => {
                "Oura no longer accepts your sign-in. Please sign in again.".into()
            }
            Self::InvalidApiKey => "This API key is not valid: it was revoked or mistyped. \
                                    Create a new one in Settings."
                .into(),
            Self::MetricsTokenRequired => "The metrics need `Authorization: Bearer <token>` \
                                           with the server's METRICS_TOKEN."
                .into(),
            Self::Forbidden(reason) => reason.clone(),
            Self::UpstreamUnavailable { reason, .. } => {
                format!("{reason} Please try again shortly.")
            }
            Self::UpstreamError(reason) => format!("Oura answered with an error: {reason}"),
            Self::UpstreamTimeout => "Oura did not answer in time. Please try again.".into(),
            Self::TooManyRequests { retry_after } => format!(
                "Too many requests from your address. Please wait {} seconds.",
                retry_after.as_secs()
            ),
            Self::BadRequest(reason) => reason.clone(),
            Self::TooLarge(what) => format!("The body is too large: {what}."),
            Self::CsrfRejected(reason) => format!("Request refused: {reason}"),
            Self::NotFound => "There is no such route. See /api/openapi.json.".into(),
            Self::NoSuch(what) => format!("You have no such {what}."),
            Self::InvalidInput(reason) => reason.clone(),
            Self::MethodNotAllowed => "This route does not accept that method.".into(),
            Self::StoreUnavailable(_) => {
                "This app's storage does not answer right now. Please try again shortly.".into()
            }
            Self::Internal(_) => "Something went wrong on our side. Please try again.".into(),
        }
    }

    /// The JSON body of this error.
    pub fn body(&self) -> ApiErrorBody {
        let signs_in = matches!(self, Self::Unauthenticated | Self::SignInAgain);
        ApiErrorBody {
            error: self.code(),
            message: self.message(),
            sign_in_url: signs_in.then(|| routes::LOGIN.to_owned()),
            retry_after_secs: match self {
                Self::UpstreamUnavailable { retry_after, .. }
                | Self::TooManyRequests { retry_after } => Some(retry_after.as_secs()),
                Self::StoreUnavailable(_) => Some(STORE_RETRY_AFTER.as_secs()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthenticated
            | Self::SignInAgain
            | Self::InvalidApiKey
            | Self::MetricsTokenRequired => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::CsrfRejected(_) => StatusCode::FORBIDDEN,
            Self::UpstreamUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::UpstreamError(_) => StatusCode::BAD_GATEWAY,
            Self::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotFound | Self::NoSuch(_) => StatusCode::NOT_FOUND,
            Self::InvalidInput(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
            }
            Self::StoreUnavailable(error) => {
                tracing::warn!(error = format!("{error:#}"), "the store is unreachable");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header(("Cache-Control", "no-store"));
        match self {
            Self::Unauthenticated | Self::SignInAgain | Self::InvalidApiKey => {
                response.insert_header(("WWW-Authenticate", r#"Bearer realm="oura-dashboard""#));
            }
            Self::MetricsTokenRequired => {
                response.insert_header(("WWW-Authenticate", r#"Bearer realm="metrics""#));
            }
            Self::UpstreamUnavailable { retry_after, .. }
            | Self::TooManyRequests { retry_after } => {
                response.insert_header(("Retry-After", retry_after.as_secs().to_string()));
            }
            Self::StoreUnavailable(_) => {
                response.insert_header(("Retry-After", STORE_RETRY_AFTER.as_secs().to_string()));
            }
            _ => {}
        }
        response.json(self.body())
    }
}

impl From<OuraError> for ApiError {
    fn from(error: OuraError) -> Self {
        match error {
            OuraError::Unauthorized => Self::SignInAgain,
            OuraError::Forbidden { membership: false } => Self::Forbidden(
                "Oura refused access: the data needs a permission you did not grant, or your Oura membership has \
                 expired"
                    .into(),
            ),
            OuraError::Forbidden { membership: true } => Self::Forbidden(
                "Oura shares this only with an active Oura membership.".into(),
            ),
            OuraError::AppTooOld => Self::Forbidden(
                "Oura asks for a newer version of the Oura app before it shares this.".into(),
            ),
            OuraError::RateLimited { retry_after } => Self::UpstreamUnavailable {
                retry_after,
                reason: "Oura is rate limiting requests.".into(),
            },
            OuraError::ServerError {
                status: status @ 502..=504,
                retry_after,
            } => Self::UpstreamUnavailable {
                retry_after: retry_after.unwrap_or(DEFAULT_RETRY_AFTER),
                reason: format!("Oura is temporarily unavailable (HTTP {status})."),
            },
            OuraError::Timeout => Self::UpstreamTimeout,
            OuraError::Unreachable(reason) => {
                Self::UpstreamError(format!("could not reach Oura ({reason})"))
            }
            OuraError::NotFound => Self::UpstreamError("unexpected HTTP 404".into()),
            OuraError::ServerError { status, .. } | OuraError::UnexpectedStatus(status) => {
                Self::UpstreamError(format!("unexpected HTTP {status}"))
            }
            OuraError::Malformed(reason) => Self::UpstreamError(format!(
                "the response was not what Oura's API promises ({reason})"
            )),
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::SignInAgain => Self::SignInAgain,
            TokenError::RenewalInProgress => Self::UpstreamUnavailable {
                retry_after: Duration::from_secs(5),
                reason: "Your Oura sign-in is being renewed.".into(),
            },
            TokenError::RenewalRefused(reason) => {
                Self::UpstreamError(format!("Oura refused to renew the sign-in ({reason})"))
            }
            TokenError::SignInServerUnavailable => Self::UpstreamUnavailable {
                retry_after: DEFAULT_RETRY_AFTER,
                reason: "Oura's sign-in server is unavailable.".into(),
            },
            TokenError::Oura(error) => error.into(),
            TokenError::Store(error) => error.into(),
        }
    }
}

impl From<SyncError> for ApiError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Token(error) => error.into(),
            error @ SyncError::EndlessPages(_) => Self::UpstreamError(error.to_string()),
            SyncError::Stopped => Self::UpstreamUnavailable {
                retry_after: Duration::from_secs(5),
                reason: "The server is restarting.".into(),
            },
            // The caller's own account, deleted meanwhile: they are signed in no more.
            SyncError::AccountDeleted => Self::Unauthenticated,
            SyncError::Store(error) => error.into(),
        }
    }
}

/// Middleware: a handler that panics answers 500 in the one JSON shape (actix turns the
/// error into [`ApiError`]'s response), and the worker goes on serving; without it the
/// connection would be dropped with no answer at all.
pub async fn catch_panics<B: actix_web::body::MessageBody + 'static>(
    request: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<B>,
) -> Result<actix_web::dev::ServiceResponse<B>, actix_web::Error> {
    use futures_util::FutureExt as _;

    match std::panic::AssertUnwindSafe(next.call(request))
        .catch_unwind()
        .await
    {
        Ok(response) => response,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(ApiError::Internal(anyhow::anyhow!("a handler panicked: {what}")).into())
        }
    }
}

/// The JSON 404 for unknown `/api` and `/auth` routes.
pub async fn not_found() -> HttpResponse {
    ApiError::NotFound.error_response()
}
