use actix_web::{get, web};
use shared::{ApiErrorBody, Profile};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::oura::{OuraApi, UserTokens};

/// The signed-in person's Oura profile.
///
/// Works with the session cookie, a personal API key, or an Oura access token
/// (`Authorization: Bearer <key or token>`).
#[utoipa::path(
    tag = "profile",
    security(("session_cookie" = []), ("api_key" = []), ("oura_bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = Profile),
        (status = 400, description = "Malformed Authorization header", body = ApiErrorBody),
        (status = 401, description = "Not signed in, an invalid API key, or Oura no longer accepts the sign-in", body = ApiErrorBody),
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
    tokens: web::Data<UserTokens>,
) -> Result<web::Json<Profile>, ApiError> {
    let info = caller
        .call_oura(&tokens, |token| {
            let api = api.clone();
            async move { api.personal_info(&token).await }
        })
        .await?;
    Ok(web::Json(info.into()))
}
