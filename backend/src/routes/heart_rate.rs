use actix_web::{get, web};
use serde::Deserialize;
use shared::{ApiErrorBody, HeartRatePoint, HeartRateSeries};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::Store;

/// The longest span one request may ask for, in seconds: a week.
const MAX_SPAN_SECS: i64 = 7 * 24 * 3600;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpanQuery {
    /// RFC 3339, for example `2026-01-31T00:00:00Z`.
    pub start: String,
    /// RFC 3339, after `start`, at most 7 days later (exclusive).
    pub end: String,
}

fn instant(name: &str, text: &str) -> Result<OffsetDateTime, ApiError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        ApiError::BadRequest(format!(
            "`{name}` must be an RFC 3339 date-time like 2026-01-31T00:00:00Z."
        ))
    })
}

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
    let (start, end) = (instant("start", &query.start)?, instant("end", &query.end)?);
    if start >= end {
        return Err(ApiError::BadRequest("`start` must be before `end`.".into()));
    }
    if (end - start).whole_seconds() > MAX_SPAN_SECS {
        return Err(ApiError::BadRequest("A span covers at most 7 days.".into()));
    }
    let readings = store
        .heart_rate(
            caller.account()?,
            start.unix_timestamp(),
            end.unix_timestamp(),
        )
        .await?;
    let rfc3339 = |at: OffsetDateTime| at.format(&Rfc3339).unwrap_or_default();
    Ok(web::Json(HeartRateSeries {
        start: rfc3339(start),
        end: rfc3339(end),
        points: readings
            .into_iter()
            .filter_map(|r| {
                Some(HeartRatePoint {
                    at: rfc3339(OffsetDateTime::from_unix_timestamp(r.at).ok()?),
                    bpm: r.bpm,
                    source: r.source,
                })
            })
            .collect(),
    }))
}
