use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::ApiErrorBody;

use super::RateLimits;
use super::failure::LoginFailure;
use super::session::{PendingLogin, TypedSession, unix_now};
use super::{query, return_to};
use crate::error::ApiError;
use crate::oura::OuraOAuth;

/// Starts signing in with Oura.
///
/// Keeps a fresh `state` (256 bits) and PKCE verifier in the browser's session and redirects
/// to Oura's consent page. Open it in a browser; it cannot be completed with curl.
#[utoipa::path(
    tag = "auth",
    params(("return_to" = Option<String>, Query, description = "Same-origin path to open after sign-in; anything else means `/`")),
    responses(
        (status = 303, description = "Redirect to Oura's consent page"),
        (status = 400, description = "Duplicated parameter", body = ApiErrorBody),
        (status = 429, description = "Too many logins started from this address; see Retry-After", body = ApiErrorBody),
    )
)]
#[get("/login")]
pub async fn start(
    request: HttpRequest,
    session: TypedSession,
    oauth: web::Data<OuraOAuth>,
    limits: web::Data<RateLimits>,
) -> Result<HttpResponse, ApiError> {
    if let Some(address) = request.peer_addr() {
        limits.login(address.ip())?;
    }
    let params = match query::single_valued(request.query_string()) {
        Ok(params) => params,
        Err(name) => {
            return Ok(LoginFailure::invalid(format!(
                "The parameter {name:?} appears more than once."
            ))
            .respond(&request));
        }
    };
    let start = oauth.start();
    session.add_pending_login(PendingLogin {
        state: start.state,
        pkce_verifier: start.pkce_verifier,
        return_to: return_to::sanitize(params.get("return_to").map(String::as_str)),
        started_at: unix_now(),
    })?;
    tracing::info!("login started");
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", start.url.as_str()))
        .finish())
}
