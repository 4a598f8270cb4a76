//! `GET /api/events` (workouts, sessions, tags and rest mode) and `GET /api/rings`, from the
//! warehouse.

use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::{ApiErrorBody, Events, Rings};

use super::cache::{ResponseCache, warehouse_answer};
use super::params::RangeQuery;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::read_model;
use crate::store::Store;

/// The workouts, sessions and tags that began in the range, and the rest-mode periods that
/// overlap it, from the warehouse (no call to Oura).
#[utoipa::path(
    tag = "dashboard",
    params(RangeQuery),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The events, each list earliest first", body = Events),
        (status = 304, description = "Unchanged: the `ETag` sent in `If-None-Match` is current"),
        (status = 400, description = "Missing or malformed dates, or a reversed or too long range", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/events")]
pub async fn get_events(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
    query: web::Query<RangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let range = query.range()?;
    let user_id = caller.account()?;
    let key = format!("events/{}/{}", range.start(), range.end());
    warehouse_answer(&request, &store, &cache, user_id, &key, || {
        read_model::events(&store, user_id, range)
    })
    .await
}

/// Every ring you have set up, the most recently set up first (`ring_configuration`), and
/// the latest battery reading (`ring_battery_level`), from the warehouse.
#[utoipa::path(
    tag = "dashboard",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The rings, newest first, and the battery (empty before the first sync)", body = Rings),
        (status = 304, description = "Unchanged: the `ETag` sent in `If-None-Match` is current"),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/rings")]
pub async fn get_rings(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.account()?;
    warehouse_answer(&request, &store, &cache, user_id, "rings", || {
        read_model::rings(&store, user_id)
    })
    .await
}
