//! `GET /api/heartrate`: heart rate over a span of time.

use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::{ApiErrorBody, HeartRateSeries};

use super::cache::{ResponseCache, warehouse_answer};
use super::params::SpanQuery;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::read_model;
use crate::store::Store;

/// Heart rate over a span of time (a day, a night), from the warehouse.
#[utoipa::path(
    tag = "dashboard",
    params(SpanQuery),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The readings, oldest first", body = HeartRateSeries),
        (status = 304, description = "Unchanged: the `ETag` sent in `If-None-Match` is current"),
        (status = 400, description = "Malformed date-times, or a reversed or too long span", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/heartrate")]
pub async fn get_heart_rate(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
    query: web::Query<SpanQuery>,
) -> Result<HttpResponse, ApiError> {
    let (start, end) = query.span()?;
    let user_id = caller.account()?;
    let key = format!(
        "heartrate/{}/{}",
        start.unix_timestamp(),
        end.unix_timestamp()
    );
    warehouse_answer(&request, &store, &cache, user_id, &key, || {
        read_model::heart_rate(&store, user_id, start, end)
    })
    .await
}
