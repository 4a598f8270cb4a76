//! `GET /api/heartrate`: heart rate over a span of time.

use actix_web::{get, web};
use shared::{ApiErrorBody, HeartRateSeries};

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
        (status = 400, description = "Malformed date-times, or a reversed or too long span", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/heartrate")]
pub async fn get_heart_rate(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<SpanQuery>,
) -> Result<web::Json<HeartRateSeries>, ApiError> {
    let (start, end) = query.span()?;
    Ok(web::Json(
        read_model::heart_rate(&store, caller.account()?, start, end).await?,
    ))
}
