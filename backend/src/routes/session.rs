use actix_web::{get, web};
use shared::SessionStatus;

use crate::auth::TypedSession;
use crate::config::Settings;

/// Whether the caller is signed in, and whether the app runs in demo mode. Never fails.
#[utoipa::path(
    tag = "session",
    responses((status = 200, description = "Session status", body = SessionStatus))
)]
#[get("/session")]
pub async fn get_session(
    session: TypedSession,
    settings: web::Data<Settings>,
) -> web::Json<SessionStatus> {
    web::Json(SessionStatus {
        signed_in: session.user(settings.session.absolute_timeout).is_some(),
        demo_mode: settings.is_demo(),
    })
}
