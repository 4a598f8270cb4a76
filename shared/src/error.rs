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
