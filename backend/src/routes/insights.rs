use actix_web::{get, web};
use shared::{ApiErrorBody, Insight};
use time::{Duration, OffsetDateTime};

use super::daily::by_day;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::insights;
use crate::store::Store;

/// Minutes after noon of an RFC 3339 local time, so that 23:30 and 00:30 are an hour apart.
fn minutes_after_noon(rfc3339: &str) -> Option<u32> {
    let hours: u32 = rfc3339.get(11..13)?.parse().ok()?;
    let minutes: u32 = rfc3339.get(14..16)?.parse().ok()?;
    Some((hours * 60 + minutes + 12 * 60) % (24 * 60))
}

/// A few observations computed from your last year of data, each with its sample size.
#[utoipa::path(
    tag = "dashboard",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The insights", body = Vec<Insight>),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/insights")]
pub async fn get_insights(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Vec<Insight>>, ApiError> {
    let user_id = caller.account()?;
    let end = OffsetDateTime::now_utc().date();
    let start = end - Duration::days(364);
    let days = by_day(&store.daily_range(user_id, start, end).await?);
    let bedtimes: Vec<(String, u32)> = store
        .bedtimes(user_id, start, end)
        .await?
        .into_iter()
        .filter_map(|(day, at)| Some((day, minutes_after_noon(&at)?)))
        .collect();
    Ok(web::Json(vec![
        insights::activity_and_sleep(&days),
        insights::bedtime_and_readiness(&days, &bedtimes),
        insights::weekday_sleep(&days),
    ]))
}
