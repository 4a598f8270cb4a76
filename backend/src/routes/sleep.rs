use actix_web::{get, web};
use shared::{ApiErrorBody, Night, SleepPeriod};
use time::Date;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::{SleepPeriodRow, Store};

/// The samples (`items`) of one of a sleep document's series, as stored.
fn samples(raw: &serde_json::Value, series: &str) -> Vec<Option<f64>> {
    raw[series]["items"]
        .as_array()
        .map(|items| items.iter().map(serde_json::Value::as_f64).collect())
        .unwrap_or_default()
}

impl From<SleepPeriodRow> for SleepPeriod {
    fn from(row: SleepPeriodRow) -> Self {
        let raw: serde_json::Value = serde_json::from_str(&row.raw).unwrap_or_default();
        Self {
            heart_rate: samples(&raw, "heart_rate"),
            hrv: samples(&raw, "hrv"),
            id: row.document_id,
            kind: row.kind,
            bedtime_start: row.bedtime_start,
            bedtime_end: row.bedtime_end,
            total_sleep_seconds: row.total_sleep_seconds,
            efficiency: row.efficiency,
            average_hrv: row.average_hrv,
            lowest_heart_rate: row.lowest_heart_rate,
            stages: row.phases.unwrap_or_default(),
        }
    }
}

/// A night: the sleep periods filed under `day` with their stages (for a hypnogram), heart
/// rate and HRV, from the warehouse.
#[utoipa::path(
    tag = "dashboard",
    params(("day" = String, Path, description = "`YYYY-MM-DD`, the morning the night ended")),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The periods, earliest first (none: no data for that night)", body = Night),
        (status = 400, description = "The day is not a date", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/sleep/{day}")]
pub async fn get_night(
    caller: Caller,
    store: web::Data<Store>,
    day: web::Path<String>,
) -> Result<web::Json<Night>, ApiError> {
    let date = Date::parse(
        &day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        ApiError::BadRequest(format!(
            "The day must be a date like 2026-01-31, not {:?}.",
            day.as_str()
        ))
    })?;
    let periods = store.sleep_periods(caller.account()?, date).await?;
    Ok(web::Json(Night {
        day: date.to_string(),
        periods: periods.into_iter().map(SleepPeriod::from).collect(),
    }))
}
