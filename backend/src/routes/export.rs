//! `GET /api/export`: a date range as CSV or JSON.

use std::collections::VecDeque;
use std::fmt::Write as _;

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use shared::{ApiErrorBody, DailyScores};
use time::{Date, Duration, OffsetDateTime};

use super::params::RangeQuery;
use crate::auth::Caller;
use crate::domain::{DayRange, UserId};
use crate::error::ApiError;
use crate::read_model;
use crate::store::{MainSleep, StageSeconds, Store};

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One row a day: scores, steps, calories.
    Csv,
    /// The scores, and every document as Oura sent it: the daily collections', the sleep
    /// periods', the workouts', sessions', tags' and rest-mode periods' of the range, and the
    /// rings.
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
    /// `csv` (a row a day: scores, measures and the night's main sleep) or `json` (the
    /// scores, and every document of the range as Oura sent it, with the rings).
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

/// A day of the CSV export: its scores and measures, and its night's main sleep.
struct CsvDay<'a> {
    scores: &'a DailyScores,
    night: Option<&'a MainSleep>,
}

/// A CSV column: its header and its cell for a day.
type CsvColumn = (&'static str, fn(&CsvDay) -> String);

/// The CSV export's columns, one row a day. Cells hold dates, numbers and plain words only:
/// nothing a spreadsheet could read as a formula.
const CSV_COLUMNS: &[CsvColumn] = &[
    ("day", |d| d.scores.day.to_string()),
    ("sleep_score", |d| {
        int(d.scores.sleep.as_ref().and_then(|s| s.score))
    }),
    ("readiness_score", |d| {
        int(d.scores.readiness.as_ref().and_then(|s| s.score))
    }),
    ("activity_score", |d| {
        int(d.scores.activity.as_ref().and_then(|s| s.score))
    }),
    ("steps", |d| int(d.scores.steps)),
    ("active_calories", |d| int(d.scores.active_calories)),
    ("stress_high_minutes", |d| {
        int(d
            .scores
            .stress
            .as_ref()
            .and_then(|s| s.stress_high_seconds)
            .map(|s| s / 60))
    }),
    ("recovery_high_minutes", |d| {
        int(d
            .scores
            .stress
            .as_ref()
            .and_then(|s| s.recovery_high_seconds)
            .map(|s| s / 60))
    }),
    ("stress_day_summary", |d| {
        word(
            d.scores
                .stress
                .as_ref()
                .and_then(|s| s.day_summary.as_deref()),
        )
    }),
    ("spo2_average_percent", |d| {
        decimal(d.scores.spo2.as_ref().and_then(|s| s.average_percent), 1)
    }),
    ("breathing_disturbance_index", |d| {
        int(d
            .scores
            .spo2
            .as_ref()
            .and_then(|s| s.breathing_disturbance_index))
    }),
    ("resilience_level", |d| {
        word(
            d.scores
                .resilience
                .as_ref()
                .and_then(|r| r.level.as_deref()),
        )
    }),
    ("temperature_deviation_celsius", |d| {
        decimal(d.scores.temperature.as_ref().and_then(|t| t.deviation), 2)
    }),
    ("temperature_trend_deviation_celsius", |d| {
        decimal(
            d.scores
                .temperature
                .as_ref()
                .and_then(|t| t.trend_deviation),
            2,
        )
    }),
    ("vo2_max", |d| decimal(d.scores.vo2_max, 1)),
    ("vascular_age", |d| {
        int(d
            .scores
            .cardiovascular
            .as_ref()
            .and_then(|c| c.vascular_age))
    }),
    ("pulse_wave_velocity", |d| {
        decimal(
            d.scores
                .cardiovascular
                .as_ref()
                .and_then(|c| c.pulse_wave_velocity),
            2,
        )
    }),
    ("optimal_bedtime_start", |d| {
        clock(
            d.scores
                .bedtime
                .as_ref()
                .and_then(|b| b.window_start_seconds),
        )
    }),
    ("optimal_bedtime_end", |d| {
        clock(d.scores.bedtime.as_ref().and_then(|b| b.window_end_seconds))
    }),
    ("bedtime_start", |d| local_clock(d.night.map(|n| n.start))),
    ("bedtime_end", |d| local_clock(d.night.map(|n| n.end))),
    ("total_sleep_minutes", |d| {
        int(d.night.and_then(|n| n.total_sleep_seconds).map(|s| s / 60))
    }),
    ("deep_sleep_minutes", |d| stage(d, |s| s.deep)),
    ("light_sleep_minutes", |d| stage(d, |s| s.light)),
    ("rem_sleep_minutes", |d| stage(d, |s| s.rem)),
    ("awake_minutes", |d| stage(d, |s| s.awake)),
    ("sleep_efficiency_percent", |d| {
        int(d.night.and_then(|n| n.efficiency))
    }),
    ("average_hrv_ms", |d| {
        int(d.night.and_then(|n| n.average_hrv))
    }),
    ("lowest_heart_rate_bpm", |d| {
        int(d.night.and_then(|n| n.lowest_heart_rate))
    }),
];

/// The CSV header line.
pub fn csv_header() -> String {
    let names: Vec<&str> = CSV_COLUMNS.iter().map(|(name, _)| *name).collect();
    names.join(",")
}

/// A CSV row a day; `nights` (oldest first) are matched to their days.
fn csv_rows(days: &[DailyScores], nights: &[MainSleep]) -> String {
    let mut out = String::new();
    for scores in days {
        let night = nights
            .binary_search_by_key(&scores.day, |n| n.day)
            .ok()
            .map(|index| &nights[index]);
        let day = CsvDay { scores, night };
        let cells: Vec<String> = CSV_COLUMNS.iter().map(|(_, cell)| cell(&day)).collect();
        let _ = writeln!(out, "{}", cells.join(","));
    }
    out
}

/// Minutes in one stage of the night's main sleep.
fn stage(day: &CsvDay, seconds: fn(&StageSeconds) -> i64) -> String {
    int(day.night.and_then(|n| n.stages).map(|s| seconds(&s) / 60))
}

/// A time as the clock read where the person was (in the offset it carries), `HH:MM`.
fn local_clock(at: Option<OffsetDateTime>) -> String {
    at.map(|at| format!("{:02}:{:02}", at.hour(), at.minute()))
        .unwrap_or_default()
}

fn int(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn decimal(value: Option<f64>, places: usize) -> String {
    value
        .filter(|v| v.is_finite())
        .map(|v| format!("{v:.places$}"))
        .unwrap_or_default()
}

/// Seconds from midnight as a local clock time, `HH:MM` (negative: the evening before).
fn clock(seconds: Option<i64>) -> String {
    seconds.map(shared::clock_of_offset).unwrap_or_default()
}

/// One of Oura's words (`restored`, `solid`) as a cell; anything else Oura might send (a
/// formula, a comma, a quote) is left out rather than written into a spreadsheet.
fn word(value: Option<&str>) -> String {
    value
        .filter(|v| v.len() <= 40 && v.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .unwrap_or_default()
        .to_owned()
}

/// One of Oura's documents in the JSON export, exactly as it came.
#[derive(Serialize)]
struct ExportedDocument {
    collection: &'static str,
    day: Date,
    document: Box<RawValue>,
}

/// Days read from the database at a time while an export streams: memory stays flat
/// whatever the range (at most ten years).
const CHUNK_DAYS: i64 = 92;

/// `range` in consecutive pieces of at most [`CHUNK_DAYS`].
fn chunks(range: DayRange) -> VecDeque<DayRange> {
    let mut pieces = VecDeque::new();
    let mut start = range.start();
    while start <= range.end() {
        let end = (start + Duration::days(CHUNK_DAYS - 1)).min(range.end());
        pieces.extend(DayRange::new(start, end));
        start = end + Duration::days(1);
    }
    pieces
}

/// Where a streaming export stands.
struct Export {
    store: Store,
    user_id: UserId,
    range: DayRange,
    format: ExportFormat,
    stage: Stage,
    days: VecDeque<DayRange>,
    documents: VecDeque<DayRange>,
    /// Whether the JSON array being written has an item yet (for the commas).
    written: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Head,
    Days,
    Documents,
    Done,
}

impl Export {
    /// The next piece of the file, or `None` at its end.
    async fn next(&mut self) -> anyhow::Result<Option<String>> {
        Ok(Some(match (self.stage, self.format) {
            (Stage::Head, ExportFormat::Csv) => {
                self.stage = Stage::Days;
                format!("{}\n", csv_header())
            }
            (Stage::Head, ExportFormat::Json) => {
                self.stage = Stage::Days;
                // Rings have no day: every ring set up is in every export.
                let rings = self
                    .store
                    .raw_rings(&self.user_id)
                    .await?
                    .into_iter()
                    .map(RawValue::from_string)
                    .collect::<serde_json::Result<Vec<_>>>()?;
                format!(
                    r#"{{"start":"{}","end":"{}","rings":{},"days":["#,
                    self.range.start(),
                    self.range.end(),
                    serde_json::to_string(&rings)?
                )
            }
            (Stage::Days, format) => match self.days.pop_front() {
                Some(chunk) => {
                    let days = read_model::daily(&self.store, &self.user_id, chunk).await?;
                    match format {
                        ExportFormat::Csv => {
                            let nights = self
                                .store
                                .main_sleeps(&self.user_id, chunk.start(), chunk.end())
                                .await?;
                            csv_rows(&days, &nights)
                        }
                        ExportFormat::Json => self.items(days.iter().map(serde_json::to_string))?,
                    }
                }
                None if format == ExportFormat::Json => {
                    self.stage = Stage::Documents;
                    self.written = false;
                    r#"],"documents":["#.to_owned()
                }
                None => return Ok(None),
            },
            (Stage::Documents, _) => match self.documents.pop_front() {
                Some(chunk) => {
                    let raw = self
                        .store
                        .raw_documents(&self.user_id, chunk.start(), chunk.end())
                        .await?;
                    self.items(raw.into_iter().map(|document| {
                        serde_json::to_string(&ExportedDocument {
                            collection: document.collection,
                            day: document.day,
                            document: RawValue::from_string(document.raw)?,
                        })
                    }))?
                }
                None => {
                    self.stage = Stage::Done;
                    "]}".to_owned()
                }
            },
            (Stage::Done, _) => return Ok(None),
        }))
    }

    /// JSON array items, with the commas between them and the items already written.
    fn items(
        &mut self,
        items: impl Iterator<Item = serde_json::Result<String>>,
    ) -> anyhow::Result<String> {
        let mut out = String::new();
        for item in items {
            if self.written {
                out.push(',');
            }
            out.push_str(&item?);
            self.written = true;
        }
        Ok(out)
    }
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
    let user_id = caller.account()?.clone();
    let (content_type, extension) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Json => ("application/json", "json"),
    };
    let export = Export {
        store: store.get_ref().clone(),
        user_id,
        range,
        format,
        stage: Stage::Head,
        days: chunks(range),
        documents: chunks(range),
        written: false,
    };
    let body = futures_util::stream::unfold(export, |mut export| async move {
        match export.next().await {
            Ok(Some(piece)) => Some((Ok(web::Bytes::from(piece)), export)),
            Ok(None) => None,
            Err(error) => {
                // The answer has begun: all that is left is to cut it short, and say why here.
                tracing::error!(error = format!("{error:#}"), "an export failed midway");
                export.stage = Stage::Done;
                Some((
                    Err(actix_web::error::ErrorInternalServerError("export failed")),
                    export,
                ))
            }
        }
    });
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
        .streaming(body))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn an_export_is_read_in_pieces_that_cover_each_day_once() {
        let range = DayRange::new(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap();

        let pieces = chunks(range);

        assert_eq!(pieces.len(), 4);
        assert_eq!(pieces[0].start(), range.start());
        assert_eq!(pieces[3].end(), range.end());
        for pair in pieces.iter().collect::<Vec<_>>().windows(2) {
            assert_eq!(pair[0].end() + Duration::days(1), pair[1].start());
        }
    }

    #[test]
    fn a_csv_row_has_a_cell_per_column_and_oura_words_only_when_they_are_plain() {
        let mut day = DailyScores::empty(date!(2026 - 01 - 02));
        day.stress = Some(shared::StressDay {
            stress_high_seconds: Some(5400),
            recovery_high_seconds: None,
            day_summary: Some("=HYPERLINK(\"x\")".into()),
        });
        day.spo2 = Some(shared::Spo2Day {
            average_percent: Some(96.44),
            breathing_disturbance_index: Some(3),
        });
        day.resilience = Some(shared::ResilienceDay {
            level: Some("solid".into()),
            contributors: Default::default(),
        });

        let rows = csv_rows(&[day], &[]);

        assert_eq!(
            rows,
            format!("2026-01-02,,,,,,90,,,96.4,3,solid{}\n", ",".repeat(17))
        );
        assert_eq!(
            rows.split(',').count(),
            csv_header().split(',').count(),
            "a cell per column"
        );
    }

    #[test]
    fn temperature_heart_health_and_the_bedtime_window_have_their_columns() {
        let mut day = DailyScores::empty(date!(2026 - 01 - 02));
        day.temperature = Some(shared::TemperatureDay {
            deviation: Some(0.456),
            trend_deviation: Some(-0.1),
        });
        day.vo2_max = Some(41.0);
        day.cardiovascular = Some(shared::CardiovascularDay {
            vascular_age: Some(38),
            pulse_wave_velocity: Some(7.123),
        });
        day.bedtime = Some(shared::BedtimeDay {
            window_start_seconds: Some(-5400),
            window_end_seconds: Some(900),
            ..Default::default()
        });

        let rows = csv_rows(&[day], &[]);

        assert_eq!(
            rows,
            format!(
                "2026-01-02,,,,,,,,,,,,0.46,-0.10,41.0,38,7.12,22:30,00:15{}\n",
                ",".repeat(10)
            )
        );
    }

    #[test]
    fn a_day_brings_its_nights_times_in_their_own_offset_durations_and_heart() {
        let day = DailyScores::empty(date!(2026 - 10 - 25));
        let night = MainSleep {
            day: date!(2026 - 10 - 25),
            start: time::macros::datetime!(2026-10-24 23:10 +02:00),
            end: time::macros::datetime!(2026-10-25 07:05 +01:00),
            average_hrv: Some(41),
            total_sleep_seconds: Some(27_000),
            efficiency: Some(88),
            lowest_heart_rate: Some(52),
            stages: Some(StageSeconds::of("11223344")),
        };

        let rows = csv_rows(&[day], &[night]);

        assert!(
            rows.ends_with(",23:10,07:05,450,10,10,10,10,88,41,52\n"),
            "{rows}"
        );
    }
}
