use actix_web::{get, web};
use shared::SessionStatus;

use crate::auth::Caller;
use crate::config::Settings;
use crate::error::ApiError;

/// Whether the caller is signed in, and whether the app runs in demo mode. Never fails.
#[utoipa::path(
    tag = "session",
    responses((status = 200, description = "Session status", body = SessionStatus))
)]
#[get("/session")]
pub async fn get_session(
    caller: Result<Caller, ApiError>,
    settings: web::Data<Settings>,
) -> web::Json<SessionStatus> {
    web::Json(SessionStatus {
        signed_in: matches!(caller, Ok(Caller::Session { .. })),
        demo_mode: settings.is_demo(),
    })
}
