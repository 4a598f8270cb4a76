//! `GET /api/daily` and `GET /api/summary`: the scores, from the warehouse.

use std::time::Instant;

use actix_web::{HttpResponse, get, web};
use shared::{ApiErrorBody, DailyScores, Summary};
use time::OffsetDateTime;

use super::cache::ResponseCache;
use super::params::RangeQuery;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::read_model;
use crate::store::Store;

/// Your daily sleep, readiness and activity scores with their contributors, from the warehouse
/// (no call to Oura). Days without any document are left out.
#[utoipa::path(
    tag = "dashboard",
    params(RangeQuery),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One entry per day with data, oldest first", body = Vec<DailyScores>),
        (status = 400, description = "Missing or malformed dates, or a reversed or too long range", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/daily")]
pub async fn get_daily(
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
    query: web::Query<RangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let started = Instant::now();
    let range = query.range()?;
    let user_id = caller.account()?;
    let version = store.data_version(user_id).await?;
    let key = format!("daily/{}/{}", range.start(), range.end());
    let body = match cache.get(user_id, &key, version) {
        Some(body) => body,
        None => {
            let days = read_model::daily(&store, user_id, range).await?;
            let body = web::Bytes::from(serde_json::to_vec(&days).map_err(anyhow::Error::from)?);
            cache.put(user_id, &key, version, body.clone());
            body
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        // The handler's own time, for benchmarks and browser devtools (W3C Server-Timing).
        .insert_header((
            "Server-Timing",
            format!("app;dur={:.3}", started.elapsed().as_secs_f64() * 1e3),
        ))
        .body(body))
}

/// Latest scores, the last 7 days against the 7 before, and 90-day baselines (UTC days).
#[utoipa::path(
    tag = "dashboard",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The summary", body = Summary),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/summary")]
pub async fn get_summary(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Summary>, ApiError> {
    let today = OffsetDateTime::now_utc().date();
    Ok(web::Json(
        read_model::summary(&store, caller.account()?, today).await?,
    ))
}
