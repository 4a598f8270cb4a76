//! `ring_battery_level`: the ring's battery every 30 minutes (UTC), a date-time range of at
//! most 30 days, or with `latest=true` the most recent sample alone.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::authorize_collection;
use super::heartrate::parse_instant;
use super::query::Query;
use crate::faults::FaultTarget;
use crate::responses::api_error;
use crate::state::SimState;
use crate::users::SimulatedUser;

const STEP: Duration = Duration::minutes(30);

/// The ring sits in its charger for an hour from 08:00 UTC every fourth day, then drains
/// about 0.9 % an hour.
fn sample(user: &SimulatedUser, at: OffsetDateTime) -> Value {
    let phase = i64::from(user.age % 4);
    let days = (at.unix_timestamp().div_euclid(86_400) + phase).rem_euclid(4);
    let since_charge_start =
        Duration::days(days) + (at - at.replace_time(time::Time::MIDNIGHT)) - Duration::hours(8);
    let since_charge_start = if since_charge_start.is_negative() {
        since_charge_start + Duration::days(4)
    } else {
        since_charge_start
    };
    let charging = since_charge_start < Duration::hours(1);
    let level = if charging {
        60 + since_charge_start.whole_minutes() * 40 / 60
    } else {
        (100 - (since_charge_start.whole_minutes() - 60) * 9 / 600).max(5)
    };
    json!({
        "charging": charging,
        "in_charger": charging,
        "level": level,
        "timestamp": at.format(&Rfc3339).unwrap_or_default(),
        "timestamp_unix": at.unix_timestamp() * 1000,
    })
}

pub(crate) async fn list(request: HttpRequest, sim: web::Data<SimState>) -> HttpResponse {
    let grant = match authorize_collection(
        &request,
        &sim,
        FaultTarget::Daily,
        "daily",
        "ring_battery_level",
    )
    .await
    {
        Ok(grant) => grant,
        Err(response) => return response,
    };
    let query = Query::of(&request);
    let now = OffsetDateTime::from(sim.clock.now());
    let aligned = |at: OffsetDateTime| {
        let seconds = at.unix_timestamp();
        OffsetDateTime::from_unix_timestamp(seconds - seconds.rem_euclid(STEP.whole_seconds()))
            .unwrap_or(at)
    };
    if query.get("latest") == Some("true") {
        return HttpResponse::Ok()
            .json(json!({ "data": [sample(&grant.user, aligned(now))], "next_token": null }));
    }
    let instant = |name| {
        query.parsed(
            name,
            parse_instant,
            "Input should be a valid datetime",
            "datetime_parsing",
        )
    };
    let end = match instant("end_datetime") {
        Ok(end) => end.unwrap_or(now).min(now),
        Err(response) => return *response,
    };
    let start = match instant("start_datetime") {
        Ok(start) => start.unwrap_or(end - Duration::days(1)),
        Err(response) => return *response,
    };
    if start > end || end - start > Duration::days(30) {
        return api_error(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "start_datetime must come before end_datetime, at most 30 days before it.",
        );
    }
    let mut at = aligned(start);
    if at < start {
        at += STEP;
    }
    let mut data = Vec::new();
    while at < end {
        data.push(sample(&grant.user, at));
        at += STEP;
    }
    HttpResponse::Ok().json(json!({ "data": data, "next_token": null }))
}
