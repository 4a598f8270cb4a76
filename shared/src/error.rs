use serde::{Deserialize, Serialize};

/// The one JSON body of every non-2xx response from the backend's JSON routes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// Stable, machine-readable reason.
    pub error: ErrorCode,
    /// A sentence for people, saying what happened and what to do.
    pub message: String,
    /// Where to sign in, when signing in (again) is the fix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_url: Option<String>,
    /// Seconds to wait before trying again, when waiting is the fix (mirrors `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

/// Why a request failed. Serialised in `snake_case`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No session and no bearer token: sign in first.
    Unauthenticated,
    /// Oura no longer accepts the stored or presented token: sign in again.
    SignInAgain,
    /// The API key is unknown, revoked or mistyped.
    InvalidApiKey,
    /// The person declined access on Oura's consent page.
    AccessDenied,
    /// A login callback that is malformed, replayed, late or from another browser.
    InvalidCallback,
    /// A state-changing request without the CSRF header, or from another site.
    CsrfRejected,
    /// Oura refused for lack of a scope or an expired membership.
    Forbidden,
    /// The request itself is malformed.
    BadRequest,
    /// No such route or resource.
    NotFound,
    /// The request is well-formed but its content is not acceptable (for example a key name).
    InvalidInput,
    /// Wrong HTTP method for this route.
    MethodNotAllowed,
    /// Too many requests from this address: retry after `retry_after_secs`.
    RateLimited,
    /// Oura is rate limiting or temporarily unavailable: retry after `retry_after_secs`.
    UpstreamUnavailable,
    /// Oura answered with an error or with something that is not what its API promises.
    UpstreamError,
    /// Oura did not answer in time.
    UpstreamTimeout,
    /// This app's own database or session store does not answer: retry after
    /// `retry_after_secs`.
    StorageUnavailable,
    /// A fault in the backend itself.
    Internal,
}

impl ErrorCode {
    /// Every code, for reading a name back.
    pub const ALL: [Self; 17] = [
        Self::Unauthenticated,
        Self::SignInAgain,
        Self::InvalidApiKey,
        Self::AccessDenied,
        Self::InvalidCallback,
        Self::CsrfRejected,
        Self::Forbidden,
        Self::BadRequest,
        Self::NotFound,
        Self::InvalidInput,
        Self::MethodNotAllowed,
        Self::RateLimited,
        Self::UpstreamUnavailable,
        Self::UpstreamError,
        Self::UpstreamTimeout,
        Self::StorageUnavailable,
        Self::Internal,
    ];

    /// The name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::SignInAgain => "sign_in_again",
            Self::InvalidApiKey => "invalid_api_key",
            Self::AccessDenied => "access_denied",
            Self::InvalidCallback => "invalid_callback",
            Self::CsrfRejected => "csrf_rejected",
            Self::Forbidden => "forbidden",
            Self::BadRequest => "bad_request",
            Self::NotFound => "not_found",
            Self::InvalidInput => "invalid_input",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::RateLimited => "rate_limited",
            Self::UpstreamUnavailable => "upstream_unavailable",
            Self::UpstreamError => "upstream_error",
            Self::UpstreamTimeout => "upstream_timeout",
            Self::StorageUnavailable => "storage_unavailable",
            Self::Internal => "internal",
        }
    }

    /// The code called `name` on the wire.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_serialises_codes_in_snake_case_and_omits_empty_hints() {
        let body = ApiErrorBody {
            error: ErrorCode::SignInAgain,
            message: "Your Oura session has ended. Sign in again.".into(),
            sign_in_url: None,
            retry_after_secs: None,
        };

        let json = serde_json::to_value(&body).unwrap();

        assert_eq!(
            json,
            serde_json::json!({
                "error": "sign_in_again",
                "message": "Your Oura session has ended. Sign in again."
            })
        );
    }

    #[test]
    fn codes_are_named_as_serde_writes_them() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::from_name("SignInAgain"), None);
    }

    #[test]
    fn error_body_round_trips_with_hints() {
        let body = ApiErrorBody {
            error: ErrorCode::UpstreamUnavailable,
            message: "Oura is busy.".into(),
            sign_in_url: Some("/auth/login".into()),
            retry_after_secs: Some(30),
        };

        let back: ApiErrorBody =
            serde_json::from_str(&serde_json::to_string(&body).unwrap()).unwrap();

        assert_eq!(back, body);
    }
}
