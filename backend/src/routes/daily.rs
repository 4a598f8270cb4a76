use std::collections::BTreeMap;

use std::time::Instant;

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::{ApiErrorBody, DailyScores, Score, ScoreSummary, Summary};
use time::{Date, Duration, OffsetDateTime};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::{Store, StoredDay};

use super::cache::ResponseCache;

/// The longest range one request may ask for: ten years.
pub const MAX_RANGE_DAYS: i64 = 3660;

/// `?start=YYYY-MM-DD&end=YYYY-MM-DD`, both inclusive, checked.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`, inclusive.
    pub end: String,
}

impl RangeQuery {
    pub fn dates(&self) -> Result<(Date, Date), ApiError> {
        let parse = |name: &str, text: &str| {
            Date::parse(
                text,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|_| {
                ApiError::BadRequest(format!(
                    "`{name}` must be a date like 2026-01-31, not {text:?}."
                ))
            })
        };
        let (start, end) = (parse("start", &self.start)?, parse("end", &self.end)?);
        if start > end {
            return Err(ApiError::BadRequest(
                "`start` must not be after `end`.".into(),
            ));
        }
        if (end - start).whole_days() >= MAX_RANGE_DAYS {
            return Err(ApiError::BadRequest(format!(
                "A range spans at most {MAX_RANGE_DAYS} days."
            )));
        }
        Ok((start, end))
    }
}

fn score(day: &StoredDay) -> Score {
    Score {
        score: day.score,
        contributors: serde_json::from_str::<BTreeMap<String, Option<i64>>>(&day.contributors)
            .unwrap_or_default(),
    }
}

/// Groups stored documents by day, oldest first.
pub fn by_day(stored: &[StoredDay]) -> Vec<DailyScores> {
    let mut days: BTreeMap<&str, DailyScores> = BTreeMap::new();
    for document in stored {
        let entry = days.entry(&document.day).or_insert_with(|| DailyScores {
            day: document.day.clone(),
            sleep: None,
            readiness: None,
            activity: None,
            steps: None,
            active_calories: None,
        });
        match document.collection.as_str() {
            "daily_sleep" => entry.sleep = Some(score(document)),
            "daily_readiness" => entry.readiness = Some(score(document)),
            "daily_activity" => {
                entry.activity = Some(score(document));
                entry.steps = document.steps;
                entry.active_calories = document.active_calories;
            }
            _ => {}
        }
    }
    days.into_values().collect()
}

/// Your daily sleep, readiness and activity scores with their contributors, from the warehouse
/// (no call to Oura). Days without any document are left out.
#[utoipa::path(
    tag = "dashboard",
    params(RangeQuery),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One entry per day with data, oldest first", body = Vec<DailyScores>),
        (status = 400, description = "Missing or malformed dates, or a reversed or too long range", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/daily")]
pub async fn get_daily(
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
    query: web::Query<RangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let started = Instant::now();
    let (start, end) = query.dates()?;
    let user_id = caller.account()?;
    let version = store.data_version(user_id).await?;
    let key = format!("daily/{start}/{end}");
    let body = match cache.get(user_id, &key, version) {
        Some(body) => body,
        None => {
            let days = by_day(&store.daily_range(user_id, start, end).await?);
            let body = web::Bytes::from(serde_json::to_vec(&days).map_err(anyhow::Error::from)?);
            cache.put(user_id, &key, version, body.clone());
            body
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        // The handler's own time, for benchmarks and browser devtools (W3C Server-Timing).
        .insert_header((
            "Server-Timing",
            format!("app;dur={:.3}", started.elapsed().as_secs_f64() * 1e3),
        ))
        .body(body))
}

fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<i64>() as f64 / values.len() as f64)
}

fn summarise(
    days: &[DailyScores],
    today: Date,
    pick: fn(&DailyScores) -> Option<i64>,
) -> ScoreSummary {
    let scored: Vec<(Date, i64)> = days
        .iter()
        .filter_map(|d| {
            let day = Date::parse(
                &d.day,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .ok()?;
            Some((day, pick(d)?))
        })
        .collect();
    let between = |from: i64, to: i64| -> Vec<i64> {
        scored
            .iter()
            .filter(|(day, _)| {
                let ago = (today - *day).whole_days();
                (from..=to).contains(&ago)
            })
            .map(|(_, s)| *s)
            .collect()
    };
    let baseline = between(0, 89);
    let latest = scored.iter().rfind(|(day, _)| *day <= today);
    ScoreSummary {
        latest: latest.map(|(_, s)| *s),
        latest_day: latest.map(|(d, _)| d.to_string()),
        last_7_days: mean(&between(0, 6)),
        previous_7_days: mean(&between(7, 13)),
        baseline_90_days: mean(&baseline),
        baseline_days: u32::try_from(baseline.len()).unwrap_or(u32::MAX),
    }
}

/// Latest scores, the last 7 days against the 7 before, and 90-day baselines (UTC days).
#[utoipa::path(
    tag = "dashboard",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The summary", body = Summary),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/summary")]
pub async fn get_summary(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Summary>, ApiError> {
    let today = OffsetDateTime::now_utc().date();
    let stored = store
        .daily_range(caller.account()?, today - Duration::days(89), today)
        .await?;
    let days = by_day(&stored);
    Ok(web::Json(Summary {
        today: today.to_string(),
        sleep: summarise(&days, today, |d| d.sleep.as_ref()?.score),
        readiness: summarise(&days, today, |d| d.readiness.as_ref()?.score),
        activity: summarise(&days, today, |d| d.activity.as_ref()?.score),
    }))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn day(day: &str, sleep: Option<i64>) -> DailyScores {
        DailyScores {
            day: day.into(),
            sleep: Some(Score {
                score: sleep,
                contributors: BTreeMap::new(),
            }),
            readiness: None,
            activity: None,
            steps: None,
            active_calories: None,
        }
    }

    #[test]
    fn the_summary_compares_this_week_with_last_week_and_skips_unscored_days() {
        let days = vec![
            day("2026-01-01", Some(50)), // 13 days ago
            day("2026-01-07", Some(70)), // 7 days ago
            day("2026-01-08", Some(80)), // 6 days ago
            day("2026-01-13", None),     // not worn
            day("2026-01-14", Some(90)), // today
        ];

        let summary = summarise(&days, date!(2026 - 01 - 14), |d| d.sleep.as_ref()?.score);

        assert_eq!(summary.latest, Some(90));
        assert_eq!(summary.latest_day.as_deref(), Some("2026-01-14"));
        assert_eq!(summary.last_7_days, Some(85.0));
        assert_eq!(summary.previous_7_days, Some(60.0));
        assert_eq!(summary.baseline_90_days, Some(72.5));
        assert_eq!(summary.baseline_days, 4);
    }

    #[test]
    fn ranges_are_validated() {
        let range = |start: &str, end: &str| {
            RangeQuery {
                start: start.into(),
                end: end.into(),
            }
            .dates()
        };

        assert!(range("2026-01-01", "2026-01-31").is_ok());
        assert!(range("2026-01-01", "2026-01-01").is_ok());
        for (start, end) in [
            ("2026-02-01", "2026-01-01"),
            ("2026-02-30", "2026-03-01"),
            ("yesterday", "2026-03-01"),
            ("2000-01-01", "2026-01-01"),
            ("2026-01-01%2F..", "2026-01-02"),
        ] {
            assert!(range(start, end).is_err(), "{start}..{end}");
        }
    }
}
