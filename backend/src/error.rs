//! [`ApiError`]: every failure of a JSON route, rendered as the one [`ApiErrorBody`] shape.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use shared::{ApiErrorBody, ErrorCode, routes};

use crate::oura::OuraError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("Oura no longer accepts the token")]
    SignInAgain,
    #[error("invalid API key")]
    InvalidApiKey,
    #[error("{0}")]
    Forbidden(String),
    #[error("Oura is unavailable; retry after {retry_after:?}")]
    UpstreamUnavailable {
        retry_after: Duration,
        reason: String,
    },
    #[error("Oura failed: {0}")]
    UpstreamError(String),
    #[error("Oura did not answer in time")]
    UpstreamTimeout,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("cross-site request refused: {0}")]
    CsrfRejected(&'static str),
    #[error("no such route")]
    NotFound,
    #[error("no such {0}")]
    NoSuch(&'static str),
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::SignInAgain => ErrorCode::SignInAgain,
            Self::InvalidApiKey => ErrorCode::InvalidApiKey,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::UpstreamUnavailable { .. } => ErrorCode::UpstreamUnavailable,
            Self::UpstreamError(_) => ErrorCode::UpstreamError,
            Self::UpstreamTimeout => ErrorCode::UpstreamTimeout,
            Self::BadRequest(_) => ErrorCode::BadRequest,
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
            Self::Forbidden(reason) => reason.clone(),
            Self::UpstreamUnavailable { reason, .. } => {
                format!("{reason} Please try again shortly.")
            }
            Self::UpstreamError(reason) => format!("Oura answered with an error: {reason}"),
            Self::UpstreamTimeout => "Oura did not answer in time. Please try again.".into(),
            Self::BadRequest(reason) => reason.clone(),
            Self::CsrfRejected(reason) => format!("Request refused: {reason}"),
            Self::NotFound => "There is no such route. See /api/openapi.json.".into(),
            Self::NoSuch(what) => format!("You have no such {what}."),
            Self::InvalidInput(reason) => reason.clone(),
            Self::MethodNotAllowed => "This route does not accept that method.".into(),
            Self::Internal(_) => "Something went wrong on our side. Please try again.".into(),
        }
    }

    pub fn body(&self) -> ApiErrorBody {
        let signs_in = matches!(self, Self::Unauthenticated | Self::SignInAgain);
        ApiErrorBody {
            error: self.code(),
            message: self.message(),
            sign_in_url: signs_in.then(|| routes::LOGIN.to_owned()),
            retry_after_secs: match self {
                Self::UpstreamUnavailable { retry_after, .. } => Some(retry_after.as_secs()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthenticated | Self::SignInAgain | Self::InvalidApiKey => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden(_) | Self::CsrfRejected(_) => StatusCode::FORBIDDEN,
            Self::UpstreamUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::UpstreamError(_) => StatusCode::BAD_GATEWAY,
            Self::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::NotFound | Self::NoSuch(_) => StatusCode::NOT_FOUND,
            Self::InvalidInput(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(error) = self {
            tracing::error!(error = format!("{error:#}"), "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header(("Cache-Control", "no-store"));
        match self {
            Self::Unauthenticated | Self::SignInAgain | Self::InvalidApiKey => {
                response.insert_header(("WWW-Authenticate", r#"Bearer realm="oura-dashboard""#));
            }
            Self::UpstreamUnavailable { retry_after, .. } => {
                response.insert_header(("Retry-After", retry_after.as_secs().to_string()));
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
            OuraError::Forbidden => Self::Forbidden(
                "Oura refused access: the data needs a permission you did not grant, or your Oura membership has \
                 expired"
                    .into(),
            ),
            OuraError::RateLimited { retry_after } => Self::UpstreamUnavailable {
                retry_after,
                reason: "Oura is rate limiting requests.".into(),
            },
            OuraError::Unavailable {
                retry_after,
                status,
            } => Self::UpstreamUnavailable {
                retry_after,
                reason: format!("Oura is temporarily unavailable (HTTP {status})."),
            },
            OuraError::Timeout => Self::UpstreamTimeout,
            OuraError::Unreachable(reason) => {
                Self::UpstreamError(format!("could not reach Oura ({reason})"))
            }
            OuraError::UnexpectedStatus(status) => {
                Self::UpstreamError(format!("unexpected HTTP {status}"))
            }
            OuraError::Malformed(reason) => Self::UpstreamError(format!(
                "the response was not what Oura's API promises ({reason})"
            )),
        }
    }
}

/// The JSON 404 for unknown `/api` and `/auth` routes.
pub async fn not_found() -> HttpResponse {
    ApiError::NotFound.error_response()
}
