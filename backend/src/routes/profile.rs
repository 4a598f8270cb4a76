use actix_web::{get, web};
use shared::{ApiErrorBody, Profile};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::oura::{OuraApi, OuraError};

/// The signed-in person's Oura profile.
///
/// Works with the session cookie, or with `Authorization: Bearer <Oura access token>`.
#[utoipa::path(
    tag = "profile",
    security(("session_cookie" = []), ("oura_bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = Profile),
        (status = 400, description = "Malformed Authorization header", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or Oura no longer accepts the token", body = ApiErrorBody),
        (status = 403, description = "Oura refused: missing scope or expired membership", body = ApiErrorBody),
        (status = 502, description = "Oura failed or answered nonsense", body = ApiErrorBody),
        (status = 503, description = "Oura is rate limiting or unavailable; see Retry-After", body = ApiErrorBody),
        (status = 504, description = "Oura did not answer in time", body = ApiErrorBody),
    )
)]
#[get("/profile")]
pub async fn get_profile(
    caller: Caller,
    api: web::Data<OuraApi>,
) -> Result<web::Json<Profile>, ApiError> {
    match api.personal_info(caller.oura_token()).await {
        Ok(info) => Ok(web::Json(info.into())),
        Err(OuraError::Unauthorized) => {
            caller.forget_dead_token();
            Err(ApiError::SignInAgain)
        }
        Err(error) => {
            tracing::warn!(%error, "profile request to Oura failed");
            Err(error.into())
        }
    }
}
