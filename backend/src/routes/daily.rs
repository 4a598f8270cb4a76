//! `GET /api/daily` and `GET /api/summary`: the scores, from the warehouse.

use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::{ApiErrorBody, DailyColumns, DailyScores, Summary};
use time::OffsetDateTime;

use super::cache::{ResponseCache, warehouse_answer};
use super::params::DailyQuery;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::read_model;
use crate::store::Store;

/// Your daily sleep, readiness and activity scores with their contributors, from the warehouse
/// (no call to Oura). Days without any document are left out. With `compact=true`, the
/// scores only, as columns (`DailyColumns`): what charts need, at a fifteenth of the size.
#[utoipa::path(
    tag = "dashboard",
    params(DailyQuery),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One entry per day with data, oldest first (with `compact=true`, a `DailyColumns` object instead)", body = Vec<DailyScores>),
        (status = 304, description = "Unchanged: the `ETag` sent in `If-None-Match` is current"),
        (status = 400, description = "Missing or malformed dates, or a reversed or too long range", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/daily")]
pub async fn get_daily(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
    query: web::Query<DailyQuery>,
) -> Result<HttpResponse, ApiError> {
    let range = query.range()?;
    let user_id = caller.account()?;
    if query.compact {
        let key = format!("daily-columns/{}/{}", range.start(), range.end());
        return warehouse_answer(&request, &store, &cache, user_id, &key, || async {
            let days = read_model::daily(&store, user_id, range).await?;
            Ok::<_, anyhow::Error>(DailyColumns::from_rows(&days))
        })
        .await;
    }
    let key = format!("daily/{}/{}", range.start(), range.end());
    warehouse_answer(&request, &store, &cache, user_id, &key, || {
        read_model::daily(&store, user_id, range)
    })
    .await
}

/// Latest scores, the last 7 days against the 7 before, and 90-day baselines (UTC days).
#[utoipa::path(
    tag = "dashboard",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The summary", body = Summary),
        (status = 304, description = "Unchanged: the `ETag` sent in `If-None-Match` is current"),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/summary")]
pub async fn get_summary(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
) -> Result<HttpResponse, ApiError> {
    let today = OffsetDateTime::now_utc().date();
    let user_id = caller.account()?;
    // Today is part of the answer: it moves the 7-day and 90-day windows at midnight.
    let key = format!("summary/{today}");
    warehouse_answer(&request, &store, &cache, user_id, &key, || {
        read_model::summary(&store, user_id, today)
    })
    .await
}
