use actix_web::{HttpResponse, post};
use shared::ApiErrorBody;

use super::session::TypedSession;

/// Ends the session for good: its state is deleted server side and the cookie expired.
///
/// Needs the `X-Requested-With` header (CSRF defence). Answers 204 whether or not there was a
/// session.
#[utoipa::path(
    tag = "auth",
    params(("X-Requested-With" = String, Header, description = "Any non-empty value")),
    responses(
        (status = 204, description = "Signed out"),
        (status = 403, description = "Missing CSRF header or cross-site request", body = ApiErrorBody),
    )
)]
#[post("/logout")]
pub async fn end(session: TypedSession) -> HttpResponse {
    session.sign_out();
    tracing::info!("signed out");
    HttpResponse::NoContent().finish()
}
