//! The documents of things that happen at a time rather than once a day: `workout`,
//! `session`, `enhanced_tag` and `rest_mode_period`. Each is filed under the day it starts
//! on, and reported once it is over (rest mode: once it began; its end comes when it ends).

use serde_json::{Value, json};
use time::{Date, Duration, PrimitiveDateTime};

use super::generate;
use super::{document_id, local};
use crate::users::SimulatedUser;

/// An id for the `index`th document of `collection` on `day`.
fn id(user: &SimulatedUser, collection: &str, day: Date, index: usize) -> String {
    let id = document_id(user, collection, day);
    format!("{}{index}", &id[..id.len() - 1])
}

pub fn workouts(user: &SimulatedUser, day: Date, now: PrimitiveDateTime) -> Vec<Value> {
    generate::workouts(user, day)
        .iter()
        .enumerate()
        .filter(|(_, w)| w.end() <= now)
        .map(|(n, w)| {
            json!({
                "id": id(user, "workout", day, n),
                "activity": w.activity,
                "calories": w.calories,
                "day": day.to_string(),
                "distance": w.distance,
                "end_datetime": local(user, w.end()),
                "intensity": w.intensity,
                "label": w.label,
                "source": w.source,
                "start_datetime": local(user, w.start),
            })
        })
        .collect()
}

pub fn sessions(user: &SimulatedUser, day: Date, now: PrimitiveDateTime) -> Vec<Value> {
    generate::sessions(user, day)
        .iter()
        .enumerate()
        .filter(|(_, s)| s.end() <= now)
        .map(|(n, s)| {
            let sample = |items: &[Option<f64>]| {
                json!({ "interval": 5.0, "items": items, "timestamp": local(user, s.start) })
            };
            json!({
                "id": id(user, "session", day, n),
                "day": day.to_string(),
                "end_datetime": local(user, s.end()),
                "heart_rate": sample(&s.heart_rate),
                "heart_rate_variability": sample(&s.hrv),
                "mood": s.mood,
                "motion_count": null,
                "start_datetime": local(user, s.start),
                "type": s.kind,
            })
        })
        .collect()
}

pub fn tags(user: &SimulatedUser, day: Date, now: PrimitiveDateTime) -> Vec<Value> {
    generate::tags(user, day)
        .iter()
        .enumerate()
        .filter(|(_, t)| t.start <= now)
        .map(|(n, t)| {
            json!({
                "id": id(user, "enhanced_tag", day, n),
                "comment": t.comment,
                "custom_name": t.custom_name,
                "end_day": t.end.map(|end| end.date().to_string()),
                "end_time": t.end.map(|end| local(user, end)),
                "start_day": day.to_string(),
                "start_time": local(user, t.start),
                "tag_type_code": t.code,
            })
        })
        .collect()
}

/// The rest-mode period that began on `day`, if one did; still open (no end) while it lasts.
pub fn rest_mode(user: &SimulatedUser, day: Date, now: PrimitiveDateTime) -> Vec<Value> {
    let Some(days) = generate::rest_mode_starting(user, day) else {
        return Vec::new();
    };
    let start = day.midnight() + Duration::hours(9);
    let end = start + Duration::days(days);
    if start > now {
        return Vec::new();
    }
    let ended = end <= now;
    vec![json!({
        "id": id(user, "rest_mode_period", day, 0),
        "end_day": ended.then(|| end.date().to_string()),
        "end_time": ended.then(|| local(user, end)),
        "episodes": [{ "tags": ["tag_generic_sick"], "timestamp": local(user, start) }],
        "start_day": day.to_string(),
        "start_time": local(user, start),
    })]
}
