//! `GET /api/export`: a date range as CSV or JSON.

use std::fmt::Write as _;

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use shared::{ApiErrorBody, DailyScores};
use time::Date;

use super::params::RangeQuery;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::read_model;
use crate::store::Store;

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One row a day: scores, steps, calories.
    Csv,
    /// The scores and every raw document as Oura sent it.
    Json,
}

/// `?start&end&format`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`, inclusive; at most 3660 days after `start`.
    pub end: String,
    /// `csv` (one row a day, scores and steps) or `json` (the scores and every raw document).
    pub format: String,
}

impl ExportQuery {
    fn format(&self) -> Result<ExportFormat, ApiError> {
        match self.format.as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            other => Err(ApiError::BadRequest(format!(
                "`format` must be csv or json, not {other:?}."
            ))),
        }
    }
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

/// The JSON export: the scores, and Oura's documents exactly as they came.
#[derive(Serialize)]
struct JsonExport<'a> {
    start: Date,
    end: Date,
    days: &'a [DailyScores],
    documents: Vec<ExportedDocument>,
}

#[derive(Serialize)]
struct ExportedDocument {
    collection: &'static str,
    day: Date,
    document: Box<RawValue>,
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
    let range = RangeQuery {
        start: query.start.clone(),
        end: query.end.clone(),
    }
    .range()?;
    let format = query.format()?;
    let user_id = caller.account()?;
    let days = read_model::daily(&store, user_id, range).await?;
    let (content_type, body, extension) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", csv(&days), "csv"),
        ExportFormat::Json => {
            let documents = store
                .raw_documents(user_id, range.start(), range.end())
                .await?
                .into_iter()
                .map(|document| {
                    Ok(ExportedDocument {
                        collection: document.collection,
                        day: document.day,
                        document: RawValue::from_string(document.raw)?,
                    })
                })
                .collect::<Result<Vec<_>, serde_json::Error>>()
                .map_err(anyhow::Error::from)?;
            let body = serde_json::to_string(&JsonExport {
                start: range.start(),
                end: range.end(),
                days: &days,
                documents,
            })
            .map_err(anyhow::Error::from)?;
            ("application/json", body, "json")
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((
            CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"oura-{}-to-{}.{extension}\"",
                range.start(),
                range.end()
            ),
        ))
        .body(body))
}
