//! `heartrate`: a time series queried by `start_datetime`/`end_datetime` (spans of at most
//! 30 days, as reported), in pages of `heartrate_page_size` rows (1000 observed).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::authorize_collection;
use super::generate::{self, parse_day};
use super::query::{Query, decode_token, encode_token, page};
use crate::faults::FaultTarget;
use crate::responses::api_error;
use crate::state::SimState;

/// The longest span one request may cover.
const MAX_SPAN: Duration = Duration::days(30);

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v2/usercollection/heartrate", web::get().to(list));
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    c: String,
    s: i64,
    e: i64,
    o: usize,
}

/// An RFC 3339 date-time, or a date (its midnight, UTC).
pub(super) fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok().or_else(|| {
        parse_day(text)
            .filter(|_| text.len() == 10)
            .map(|d| d.midnight().assume_utc())
    })
}

async fn list(request: HttpRequest, sim: web::Data<SimState>) -> HttpResponse {
    let grant = match authorize_collection(
        &request,
        &sim,
        FaultTarget::HeartRate,
        "heartrate",
        "heartrate",
    )
    .await
    {
        Ok(grant) => grant,
        Err(response) => return response,
    };
    let query = Query::of(&request);
    let param = |name: &str| query.get(name);
    let now = OffsetDateTime::from(sim.clock.now());

    let cursor = if let Some(token) = param("next_token") {
        let decoded = decode_token::<Cursor>(token).filter(|c| c.c == "heartrate");
        match decoded {
            Some(cursor) => cursor,
            None => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request",
                    "Invalid next_token.",
                );
            }
        }
    } else {
        let instant = |name| {
            query.parsed(
                name,
                parse_instant,
                "Input should be a valid datetime",
                "datetime_parsing",
            )
        };
        let end = match instant("end_datetime") {
            Ok(end) => end.unwrap_or(now),
            Err(response) => return *response,
        };
        let start = match instant("start_datetime") {
            Ok(start) => start.unwrap_or(end - Duration::days(1)),
            Err(response) => return *response,
        };
        if start > end {
            return api_error(
                StatusCode::BAD_REQUEST,
                "Bad Request",
                "start_datetime is after end_datetime.",
            );
        }
        if end - start > MAX_SPAN {
            return api_error(
                StatusCode::BAD_REQUEST,
                "Bad Request",
                "The range may span at most 30 days.",
            );
        }
        Cursor {
            c: "heartrate".into(),
            s: start.unix_timestamp(),
            e: end.unix_timestamp(),
            o: 0,
        }
    };

    let (Ok(start), Ok(end)) = (
        OffsetDateTime::from_unix_timestamp(cursor.s),
        OffsetDateTime::from_unix_timestamp(cursor.e),
    ) else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "Invalid next_token.",
        );
    };
    // Off the server's worker, like the daily collections' pages.
    let user = grant.user;
    let Ok(rows) = web::block(move || rows(&user, start, end.min(now))).await else {
        return api_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "The readings could not be made.",
        );
    };
    let (page, next) = page(&rows, cursor.o, sim.config.heartrate_page_size);
    let next_token = next.map(|o| encode_token(&Cursor { o, ..cursor }));
    HttpResponse::Ok().json(json!({ "data": page, "next_token": next_token }))
}

/// Every reading in `[start, end)`, oldest first.
fn rows(user: &crate::SimulatedUser, start: OffsetDateTime, end: OffsetDateTime) -> Vec<Value> {
    let (start, end) = (utc(start), utc(end));
    let first_day = generate::first_day(user);
    let mut out = Vec::new();
    let mut day = start.date().max(first_day);
    while day <= end.date() {
        for row in generate::heart_rate(user, day) {
            if row.at >= start && row.at < end {
                let at = row.at.assume_utc();
                out.push(json!({
                    "timestamp": at.format(&Rfc3339).unwrap_or_default(),
                    "timestamp_unix": at.unix_timestamp() * 1000,
                    "bpm": row.bpm,
                    "source": row.source,
                }));
            }
        }
        day += Duration::days(1);
    }
    out
}

fn utc(at: OffsetDateTime) -> PrimitiveDateTime {
    let at = at.to_offset(UtcOffset::UTC);
    PrimitiveDateTime::new(at.date(), at.time())
}
