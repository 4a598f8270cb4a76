//! `GET /api/sleep/{day}`: a night.

use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::{ApiErrorBody, Night};

use super::cache::{ResponseCache, warehouse_answer};
use super::params;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::read_model;
use crate::store::Store;

/// A night: the sleep periods filed under `day` with their stages (for a hypnogram), heart
/// rate and HRV, from the warehouse.
#[utoipa::path(
    tag = "dashboard",
    params(("day" = String, Path, description = "`YYYY-MM-DD`, the morning the night ended")),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The periods, earliest first (none: no data for that night)", body = Night),
        (status = 304, description = "Unchanged: the `ETag` sent in `If-None-Match` is current"),
        (status = 400, description = "The day is not a date", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/sleep/{day}")]
pub async fn get_night(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
    day: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let day = params::day("day", &day)?;
    let user_id = caller.account()?;
    let key = format!("night/{day}");
    warehouse_answer(&request, &store, &cache, user_id, &key, || {
        read_model::night(&store, user_id, day)
    })
    .await
}
