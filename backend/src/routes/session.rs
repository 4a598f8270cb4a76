use actix_web::{get, web};
use shared::SessionStatus;

use crate::auth::Caller;
use crate::config::Settings;
use crate::error::ApiError;

/// Whether the caller is signed in, and whether the app runs in demo mode. Fails only while
/// the session store does not answer (then nobody can tell).
#[utoipa::path(
    tag = "session",
    responses(
        (status = 200, description = "Session status", body = SessionStatus),
        (status = 503, description = "The session store does not answer; see Retry-After", body = shared::ApiErrorBody),
    )
)]
#[get("/session")]
pub async fn get_session(
    caller: Result<Caller, ApiError>,
    settings: web::Data<Settings>,
) -> Result<web::Json<SessionStatus>, ApiError> {
    let signed_in = match caller {
        Ok(caller) => matches!(caller, Caller::Session { .. }),
        Err(error @ ApiError::StoreUnavailable(_)) => return Err(error),
        Err(_) => false,
    };
    Ok(web::Json(SessionStatus {
        signed_in,
        demo_mode: settings.is_demo(),
    }))
}
