//! The date-range collections: `daily_sleep`, `daily_readiness`, `daily_activity`, `sleep`
//! (the sleep periods themselves), `daily_stress`, `daily_spo2`, `daily_resilience`, `vO2_max`,
//! `daily_cardiovascular_age`, `sleep_time` and the events (`workout`, `session`, `enhanced_tag`,
//! `rest_mode_period`, see `events`), with Oura's semantics (an inclusive `end_date` for sleep
//! and readiness, exclusive for activity and workouts, as observed in 2026; the others are taken
//! to behave like `daily_sleep`, which nobody has reported otherwise) and opaque `next_token`
//! pagination.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::{Date, Duration, OffsetDateTime};

use super::generate::{self, parse_day};
use super::query::{Query, decode_token, encode_token, page};
use super::{authorize_collection, events, local};
use crate::faults::FaultTarget;
use crate::responses::api_error;
use crate::state::SimState;
use crate::users::SimulatedUser;

/// Named after the path segments: `daily_sleep`, `daily_readiness`, `daily_activity`, `sleep`,
/// `daily_stress`, `daily_spo2`, `daily_resilience`, `vO2_max`, `daily_cardiovascular_age`,
/// `sleep_time`, `workout`, `session`, `enhanced_tag`, `rest_mode_period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Collection {
    Sleep,
    Readiness,
    Activity,
    SleepPeriods,
    Stress,
    Spo2,
    Resilience,
    Vo2Max,
    CardiovascularAge,
    SleepTime,
    Workout,
    Session,
    Tag,
    RestMode,
}

impl Collection {
    const ALL: [Self; 14] = [
        Self::Sleep,
        Self::Readiness,
        Self::Activity,
        Self::SleepPeriods,
        Self::Stress,
        Self::Spo2,
        Self::Resilience,
        Self::Vo2Max,
        Self::CardiovascularAge,
        Self::SleepTime,
        Self::Workout,
        Self::Session,
        Self::Tag,
        Self::RestMode,
    ];

    /// The scope a token needs to read the collection.
    fn scope(self) -> &'static str {
        match self {
            Self::Stress | Self::Resilience => "stress",
            Self::Spo2 => "spo2",
            // Oura's API 1.40 added `heart_health` for these two.
            Self::Vo2Max | Self::CardiovascularAge => "heart_health",
            Self::Workout => "workout",
            Self::Session => "session",
            Self::Tag => "tag",
            Self::Sleep
            | Self::Readiness
            | Self::Activity
            | Self::SleepPeriods
            | Self::SleepTime
            | Self::RestMode => "daily",
        }
    }

    fn end_is_inclusive(self) -> bool {
        !matches!(self, Self::Activity | Self::Workout)
    }

    fn name(self) -> &'static str {
        match self {
            Self::Sleep => "daily_sleep",
            Self::Readiness => "daily_readiness",
            Self::Activity => "daily_activity",
            Self::SleepPeriods => "sleep",
            Self::Stress => "daily_stress",
            Self::Spo2 => "daily_spo2",
            Self::Resilience => "daily_resilience",
            Self::Vo2Max => "vO2_max",
            Self::CardiovascularAge => "daily_cardiovascular_age",
            Self::SleepTime => "sleep_time",
            Self::Workout => "workout",
            Self::Session => "session",
            Self::Tag => "enhanced_tag",
            Self::RestMode => "rest_mode_period",
        }
    }
}

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    for collection in Collection::ALL {
        cfg.route(
            &format!("/v2/usercollection/{}", collection.name()),
            web::get().to(move |request: HttpRequest, sim: web::Data<SimState>| {
                list(request, sim, collection)
            }),
        )
        .route(
            &format!("/v2/usercollection/{}/{{document_id}}", collection.name()),
            web::get().to(
                move |request: HttpRequest, sim: web::Data<SimState>, id: web::Path<String>| {
                    single(request, sim, collection, id.into_inner())
                },
            ),
        );
    }
}

/// The token's grant when it may read `collection` (see [`authorize_collection`]).
async fn authorize(
    request: &HttpRequest,
    sim: &SimState,
    collection: Collection,
) -> Result<crate::state::Grant, HttpResponse> {
    authorize_collection(
        request,
        sim,
        FaultTarget::Daily,
        collection.scope(),
        collection.name(),
    )
    .await
}

/// The days a single-document request searches back from today for the id.
const SINGLE_DOCUMENT_SEARCH_DAYS: i64 = 3 * 366;

/// `GET /v2/usercollection/{collection}/{document_id}`: one document, as in a list.
async fn single(
    request: HttpRequest,
    sim: web::Data<SimState>,
    collection: Collection,
    id: String,
) -> HttpResponse {
    let grant = match authorize(&request, &sim, collection).await {
        Ok(grant) => grant,
        Err(response) => return response,
    };
    let now = OffsetDateTime::from(sim.clock.now());
    let user = grant.user;
    // Ids are opaque hashes: search the days, newest first (what a webhook names is recent).
    let found = web::block(move || find_document(&user, collection, &id, now)).await;
    match found {
        Ok(Some(document)) => HttpResponse::Ok().json(document),
        _ => api_error(StatusCode::NOT_FOUND, "Not Found", "No such document."),
    }
}

/// The document of `collection` called `id`, if it exists by `now`.
fn find_document(
    user: &SimulatedUser,
    collection: Collection,
    id: &str,
    now: OffsetDateTime,
) -> Option<Value> {
    let today = generate::local_now(user, now).date();
    (0..SINGLE_DOCUMENT_SEARCH_DAYS)
        .map(|back| today - Duration::days(back))
        .take_while(|day| *day >= generate::first_day(user))
        .find_map(|day| {
            let end = if collection.end_is_inclusive() {
                day
            } else {
                day + Duration::days(1)
            };
            documents(user, collection, day, end, now)
                .into_iter()
                .find(|document| document["id"] == id)
        })
}

/// The ids of `collection`'s documents filed under `day` (the webhook tests name them).
pub(crate) fn ids_on(
    user: &SimulatedUser,
    collection_name: &str,
    day: Date,
    now: OffsetDateTime,
) -> Vec<String> {
    let Some(collection) = Collection::ALL
        .into_iter()
        .find(|c| c.name() == collection_name)
    else {
        return Vec::new();
    };
    let end = if collection.end_is_inclusive() {
        day
    } else {
        day + Duration::days(1)
    };
    documents(user, collection, day, end, now)
        .iter()
        .filter_map(|document| document["id"].as_str().map(str::to_owned))
        .collect()
}

const DATE_MSG: &str = "Input should be a valid date or datetime";

/// What a `next_token` carries: the original window and how far the pages have got.
#[derive(Serialize, Deserialize)]
struct Cursor {
    c: Collection,
    s: Date,
    e: Date,
    o: usize,
}

fn decode_cursor(token: &str, collection: Collection) -> Option<Cursor> {
    decode_token::<Cursor>(token).filter(|cursor| cursor.c == collection)
}

async fn list(
    request: HttpRequest,
    sim: web::Data<SimState>,
    collection: Collection,
) -> HttpResponse {
    let grant = match authorize(&request, &sim, collection).await {
        Ok(grant) => grant,
        Err(response) => return response,
    };
    let query = Query::of(&request);
    let param = |name: &str| query.get(name);
    let now = OffsetDateTime::from(sim.clock.now());
    let today = now.date();

    let cursor = match param("next_token") {
        Some(token) => match decode_cursor(token, collection) {
            Some(cursor) => cursor,
            None => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request",
                    "Invalid next_token.",
                );
            }
        },
        None => {
            let date = |name| query.parsed(name, parse_day, DATE_MSG, "date_from_datetime_parsing");
            let end = match date("end_date") {
                Ok(end) => end.unwrap_or(today),
                Err(response) => return *response,
            };
            let start = match date("start_date") {
                Ok(start) => start.unwrap_or(end - Duration::days(1)),
                Err(response) => return *response,
            };
            if start > end {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request",
                    "start_date is after end_date.",
                );
            }
            Cursor {
                c: collection,
                s: start,
                e: end,
                o: 0,
            }
        }
    };

    // Years of documents take real work to make: off the server's worker, so that heavy pages
    // do not hold up every other request (a sign-in's token exchange, say).
    let (user, start, end) = (grant.user, cursor.s, cursor.e);
    let Ok(documents) = web::block(move || documents(&user, collection, start, end, now)).await
    else {
        return api_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "The documents could not be made.",
        );
    };
    let (page, next) = page(&documents, cursor.o, sim.config.daily_page_size);
    let next_token = next.map(|o| encode_token(&Cursor { o, ..cursor }));
    HttpResponse::Ok().json(json!({ "data": page, "next_token": next_token }))
}

/// Every document of `collection` in the window, oldest first.
fn documents(
    user: &SimulatedUser,
    collection: Collection,
    start: Date,
    end: Date,
    now: OffsetDateTime,
) -> Vec<Value> {
    // Days and "is it over yet" are the person's own, in their local time.
    let now = generate::local_now(user, now);
    let today = now.date();
    let last = if collection.end_is_inclusive() {
        end
    } else {
        end - Duration::days(1)
    };
    let first = start.max(generate::first_day(user));
    let last = last.min(today);
    let mut day = first;
    let mut out = Vec::new();
    while day <= last {
        let events = match collection {
            Collection::Workout => Some(events::workouts(user, day, now)),
            Collection::Session => Some(events::sessions(user, day, now)),
            Collection::Tag => Some(events::tags(user, day, now)),
            Collection::RestMode => Some(events::rest_mode(user, day, now)),
            _ => None,
        };
        if let Some(events) = events {
            out.extend(events);
        } else if collection == Collection::SleepPeriods {
            // A period is reported once it is over, not before.
            let periods = generate::sleep_periods(user, day);
            let finished = periods.iter().enumerate().filter(|(_, p)| p.end() <= now);
            out.extend(finished.map(|(n, p)| sleep_document(user, day, n, p)));
        } else if let Some(document) = document(user, collection, &generate::day(user, day)) {
            // A night is scored (sleep, readiness) only once it is over.
            let scores_a_night = matches!(
                collection,
                Collection::Sleep | Collection::Readiness | Collection::Spo2
            );
            let night_over = || {
                generate::sleep_periods(user, day)
                    .iter()
                    .filter(|p| p.kind == "long_sleep")
                    .all(|p| p.end() <= now)
            };
            if !scores_a_night || day < today || night_over() {
                out.push(document);
            }
        }
        day += Duration::days(1);
    }
    out
}

fn document_id(user: &SimulatedUser, collection: Collection, day: Date) -> String {
    super::document_id(user, collection.name(), day)
}

fn contributors(pairs: &[(&'static str, i64)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect(),
    )
}

fn sleep_document(
    user: &SimulatedUser,
    day: Date,
    index: usize,
    period: &generate::SleepPeriod,
) -> Value {
    let id = document_id(user, Collection::SleepPeriods, day);
    let id = format!("{}{index}", &id[..id.len() - 1]);
    let sample = |items: &[Option<f64>]| json!({ "interval": 300.0, "items": items, "timestamp": local(user, period.start) });
    let values = |items: &[Option<f64>]| items.iter().flatten().copied().collect::<Vec<f64>>();
    let hr = values(&period.heart_rate);
    let hrv = values(&period.hrv);
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let in_bed = period.phases.len() as i64 * 300;
    let awake = period.seconds_in('4');
    let asleep = in_bed - awake;
    json!({
        "id": id,
        "average_breath": 14.5,
        "average_heart_rate": mean(&hr).map(|m| (m * 10.0).round() / 10.0),
        "average_hrv": mean(&hrv).map(|m| m.round() as i64),
        "awake_time": awake,
        "bedtime_end": local(user, period.end()),
        "bedtime_start": local(user, period.start),
        "day": day.to_string(),
        "deep_sleep_duration": period.seconds_in('1'),
        "efficiency": (asleep * 100).checked_div(in_bed),
        "heart_rate": sample(&period.heart_rate),
        "hrv": sample(&period.hrv),
        "latency": 600,
        "light_sleep_duration": period.seconds_in('2'),
        "low_battery_alert": false,
        "lowest_heart_rate": hr.iter().copied().fold(None, |low: Option<f64>, v| Some(low.map_or(v, |l| l.min(v)))).map(|v| v as i64),
        "movement_30_sec": null,
        "period": index,
        "readiness": null,
        "readiness_score_delta": null,
        "rem_sleep_duration": period.seconds_in('3'),
        "restless_periods": period.phases.matches('4').count(),
        "sleep_algorithm_version": "v2",
        "sleep_analysis_reason": "foreground_sleep_analysis",
        "sleep_phase_5_min": period.phases,
        "sleep_score_delta": null,
        "time_in_bed": in_bed,
        "total_sleep_duration": asleep,
        "type": period.kind,
    })
}

fn document(user: &SimulatedUser, collection: Collection, day: &generate::Day) -> Option<Value> {
    let id = document_id(user, collection, day.day);
    let timestamp = format!("{}T00:00:00+00:00", day.day);
    match collection {
        // Sleep periods and events are documents of their own (`sleep_document`, `events`).
        Collection::SleepPeriods
        | Collection::Workout
        | Collection::Session
        | Collection::Tag
        | Collection::RestMode => None,
        // Without the ring only activity has a document.
        Collection::Sleep
        | Collection::Readiness
        | Collection::Stress
        | Collection::Spo2
        | Collection::Resilience
        | Collection::Vo2Max
        | Collection::CardiovascularAge
        | Collection::SleepTime
            if !day.worn =>
        {
            None
        }
        Collection::Vo2Max => {
            let vo2_max = generate::heart_health(user, day.day).vo2_max?;
            Some(json!({
                "id": id,
                "day": day.day.to_string(),
                "timestamp": format!("{}T18:30:00+00:00", day.day),
                "vo2_max": vo2_max,
            }))
        }
        // The first two weeks have no cardiovascular age or resilience: the baseline is forming.
        Collection::CardiovascularAge | Collection::Resilience
            if generate::baseline_forming(user, day.day) =>
        {
            None
        }
        Collection::CardiovascularAge => {
            let health = generate::heart_health(user, day.day);
            Some(json!({
                "id": id,
                "day": day.day.to_string(),
                "pulse_wave_velocity": health.pulse_wave_velocity,
                "vascular_age": health.vascular_age,
            }))
        }
        // Before two weeks of nights Oura says so instead of suggesting a window.
        Collection::SleepTime if generate::baseline_forming(user, day.day) => Some(json!({
            "id": id,
            "day": day.day.to_string(),
            "optimal_bedtime": null,
            "recommendation": null,
            "status": "not_enough_nights",
        })),
        Collection::SleepTime => {
            let window = generate::sleep_time(user, day.day);
            Some(json!({
                "id": id,
                "day": day.day.to_string(),
                "optimal_bedtime": {
                    "day_tz": 0,
                    "end_offset": window.end_offset,
                    "start_offset": window.start_offset,
                },
                "recommendation": window.recommendation,
                "status": "optimal_found",
            }))
        }
        Collection::Stress => {
            let wellbeing = generate::wellbeing(user, day);
            Some(json!({
                "id": id,
                "day": day.day.to_string(),
                "day_summary": wellbeing.day_summary,
                "recovery_high": wellbeing.recovery_high,
                "stress_high": wellbeing.stress_high,
            }))
        }
        Collection::Spo2 => {
            let wellbeing = generate::wellbeing(user, day);
            Some(json!({
                "id": id,
                "breathing_disturbance_index": wellbeing.breathing_disturbance_index,
                "day": day.day.to_string(),
                "spo2_percentage": { "average": wellbeing.spo2_average },
            }))
        }
        Collection::Resilience => {
            let wellbeing = generate::wellbeing(user, day);
            let contributors: serde_json::Map<String, Value> = wellbeing
                .resilience_contributors
                .iter()
                .map(|(name, value)| ((*name).to_owned(), json!(value)))
                .collect();
            Some(json!({
                "id": id,
                "contributors": contributors,
                "day": day.day.to_string(),
                "level": wellbeing.resilience_level,
            }))
        }
        Collection::Sleep => Some(json!({
            "id": id,
            "contributors": contributors(&day.sleep_contributors),
            "day": day.day.to_string(),
            "score": day.sleep_score,
            "timestamp": timestamp,
        })),
        Collection::Readiness => Some(json!({
            "id": id,
            "contributors": contributors(&day.readiness_contributors),
            "day": day.day.to_string(),
            "score": day.readiness_score,
            "temperature_deviation": day.temperature_deviation,
            "temperature_trend_deviation": (day.temperature_deviation * 0.6 * 100.0).round() / 100.0,
            "timestamp": timestamp,
        })),
        Collection::Activity => {
            // Without the ring the day still has a document, but no score.
            let (score, steps) = if day.worn {
                (json!(day.activity_score), day.steps)
            } else {
                (Value::Null, 0)
            };
            let calories = if day.worn { day.active_calories } else { 0 };
            let hourly: Vec<Value> = (0..24)
                .map(|h| json!(if (7..22).contains(&h) { 1.6 } else { 0.9 }))
                .collect();
            Some(json!({
                "id": id,
                "active_calories": calories,
                "average_met_minutes": 1.4,
                "class_5_min": "1".repeat(288),
                "contributors": contributors(&day.activity_contributors),
                "day": day.day.to_string(),
                "equivalent_walking_distance": steps * 7 / 10,
                "high_activity_met_minutes": steps / 400,
                "high_activity_time": steps / 10,
                "inactivity_alerts": i64::from(steps < 5000),
                "low_activity_met_minutes": steps / 50,
                "low_activity_time": steps * 2,
                "medium_activity_met_minutes": steps / 150,
                "medium_activity_time": steps / 2,
                "met": { "interval": 3600.0, "items": hourly, "timestamp": timestamp },
                "meters_to_target": (10_000 - steps).max(0) * 7 / 10,
                "non_wear_time": if day.worn { 1800 } else { 86_400 },
                "resting_time": 28_800,
                "score": score,
                "sedentary_met_minutes": 12,
                "sedentary_time": 30_000,
                "steps": steps,
                "target_calories": 450,
                "target_meters": 7000,
                "timestamp": timestamp,
                "total_calories": 1800 + calories,
            }))
        }
    }
}
