use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use shared::{ApiErrorBody, Profile};

use super::cache::{ResponseCache, warehouse_answer};
use crate::auth::Caller;
use crate::auth::rate_limit::RateLimits;
use crate::domain::UserId;
use crate::error::ApiError;
use crate::oura::{OuraApi, PersonalInfo, UserTokens};
use crate::store::Store;

/// `?refresh=true`: fetch the profile from Oura anew (signed-in sessions only).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProfileQuery {
    /// Fetch it from Oura now instead of serving the copy kept at sign-in and at each sync
    /// (20 a minute at most, then 429; ignored for API keys).
    #[serde(default)]
    pub refresh: bool,
}

/// The signed-in person's Oura profile.
///
/// With the session cookie or a personal API key, the profile kept at sign-in and at each
/// sync, without calling Oura. With an Oura access token (`Authorization: Bearer <token>`),
/// Oura's answer, forwarded.
#[utoipa::path(
    tag = "profile",
    params(ProfileQuery),
    security(("session_cookie" = []), ("api_key" = []), ("oura_bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = Profile),
        (status = 304, description = "Unchanged: the `ETag` sent in `If-None-Match` is current (stored profiles)"),
        (status = 400, description = "Malformed Authorization header or query", body = ApiErrorBody),
        (status = 401, description = "Not signed in, an invalid API key, or Oura no longer accepts the sign-in", body = ApiErrorBody),
        (status = 403, description = "Oura refused: missing scope or expired membership", body = ApiErrorBody),
        (status = 429, description = "Too many refreshes, or requests with an Oura token from this address; see Retry-After", body = ApiErrorBody),
        (status = 502, description = "Oura failed or answered nonsense", body = ApiErrorBody),
        (status = 503, description = "Oura is rate limiting or unavailable; see Retry-After", body = ApiErrorBody),
        (status = 504, description = "Oura did not answer in time", body = ApiErrorBody),
    )
)]
#[get("/profile")]
#[expect(
    clippy::too_many_arguments,
    reason = "an actix handler takes each thing it uses as an extractor"
)]
pub async fn get_profile(
    request: HttpRequest,
    caller: Caller,
    query: web::Query<ProfileQuery>,
    api: web::Data<OuraApi>,
    tokens: web::Data<UserTokens>,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
    limits: web::Data<RateLimits>,
) -> Result<HttpResponse, ApiError> {
    let user_id: &UserId = match &caller {
        Caller::OuraToken(_) => {
            let fetched = fetch(&caller, &api, &tokens).await?;
            return Ok(HttpResponse::Ok().json(Profile::from(fetched.info)));
        }
        Caller::Session { user_id, .. } | Caller::ApiKey { user_id } => user_id,
    };
    if query.refresh && matches!(caller, Caller::Session { .. }) {
        limits.profile_refresh(user_id)?;
        let profile = fetch_and_keep(&caller, &api, &tokens, &store, user_id).await?;
        return Ok(HttpResponse::Ok().json(profile));
    }
    warehouse_answer(&request, &store, &cache, user_id, "profile", || async {
        if let Some(stored) = store.profile(user_id).await? {
            match PersonalInfo::parse(&stored) {
                Ok(info) => return Ok(Profile::from(info)),
                Err(error) => {
                    tracing::warn!(%error, "the stored profile is unreadable; fetching it")
                }
            }
        }
        // Never stored (signed in before profiles were kept), or unreadable: Oura, once.
        fetch_and_keep(&caller, &api, &tokens, &store, user_id).await
    })
    .await
}

/// The profile from Oura, kept in the store for the next views.
async fn fetch_and_keep(
    caller: &Caller,
    api: &OuraApi,
    tokens: &UserTokens,
    store: &Store,
    user_id: &UserId,
) -> Result<Profile, ApiError> {
    let fetched = fetch(caller, api, tokens).await?;
    store.save_profile(user_id, &fetched.raw).await?;
    Ok(Profile::from(fetched.info))
}

async fn fetch(
    caller: &Caller,
    api: &OuraApi,
    tokens: &UserTokens,
) -> Result<crate::oura::ProfileDocument, ApiError> {
    caller
        .call_oura(tokens, |token| {
            let api = api.clone();
            async move { api.personal_info(&token).await }
        })
        .await
}
