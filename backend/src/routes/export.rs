use std::fmt::Write as _;

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::{ApiErrorBody, DailyScores};

use super::daily::{RangeQuery, by_day};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::Store;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`, inclusive.
    pub end: String,
    /// `csv` (one row a day, scores and steps) or `json` (the scores and every raw document).
    pub format: String,
}

/// The header of the CSV export; each row is one day.
pub const CSV_HEADER: &str = "day,sleep_score,readiness_score,activity_score,steps,active_calories";

fn csv(days: &[DailyScores]) -> String {
    let cell = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
    let mut out = format!("{CSV_HEADER}\n");
    for day in days {
        // Dates and numbers only: nothing a spreadsheet could read as a formula.
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            day.day,
            cell(day.sleep.as_ref().and_then(|s| s.score)),
            cell(day.readiness.as_ref().and_then(|s| s.score)),
            cell(day.activity.as_ref().and_then(|s| s.score)),
            cell(day.steps),
            cell(day.active_calories),
        );
    }
    out
}

/// Downloads a date range: CSV for spreadsheets, or JSON with Oura's documents as they came.
#[utoipa::path(
    tag = "dashboard",
    params(ExportQuery),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", content_type = "text/csv"),
        (status = 400, description = "Malformed dates or an unknown format", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/export")]
pub async fn export(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (start, end) = RangeQuery {
        start: query.start.clone(),
        end: query.end.clone(),
    }
    .dates()?;
    let user_id = caller.account()?;
    let days = by_day(&store.daily_range(user_id, start, end).await?);
    let (content_type, body, extension) = match query.format.as_str() {
        "csv" => ("text/csv; charset=utf-8", csv(&days), "csv"),
        "json" => {
            let raw: Vec<serde_json::Value> = store
                .raw_documents(user_id, start, end)
                .await?
                .into_iter()
                .map(|(collection, day, raw)| {
                    let document = serde_json::from_str(&raw).unwrap_or(serde_json::Value::Null);
                    serde_json::json!({ "collection": collection, "day": day, "document": document })
                })
                .collect();
            let body = serde_json::json!({
                "start": start.to_string(),
                "end": end.to_string(),
                "days": days,
                "documents": raw,
            });
            ("application/json", body.to_string(), "json")
        }
        other => {
            return Err(ApiError::BadRequest(format!(
                "`format` must be csv or json, not {other:?}."
            )));
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"oura-{start}-to-{end}.{extension}\""),
        ))
        .body(body))
}
