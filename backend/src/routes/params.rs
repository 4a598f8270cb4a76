//! The query and path parameters of the dashboard routes, parsed once into domain types with
//! one clear 400 each.

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::domain::{DayRange, parse_day};
use crate::error::ApiError;

/// A day in a URL, `YYYY-MM-DD`.
pub fn day(name: &str, text: &str) -> Result<Date, ApiError> {
    parse_day(text).map_err(|_| {
        ApiError::BadRequest(format!(
            "`{name}` must be a date like 2026-01-31, not {text:?}."
        ))
    })
}

/// A moment in a URL, RFC 3339.
pub fn instant(name: &str, text: &str) -> Result<OffsetDateTime, ApiError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        ApiError::BadRequest(format!(
            "`{name}` must be an RFC 3339 date-time like 2026-01-31T00:00:00Z."
        ))
    })
}

/// `?start=YYYY-MM-DD&end=YYYY-MM-DD`, both inclusive, at most ten years apart.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`, inclusive; at most 3660 days after `start`.
    pub end: String,
}

impl RangeQuery {
    /// The range, checked.
    pub fn range(&self) -> Result<DayRange, ApiError> {
        day_range(&self.start, &self.end)
    }
}

/// `start..=end` from a URL, checked.
fn day_range(start: &str, end: &str) -> Result<DayRange, ApiError> {
    let (start, end) = (day("start", start)?, day("end", end)?);
    DayRange::new(start, end).map_err(|error| ApiError::BadRequest(error.to_string()))
}

/// `GET /api/daily`'s query: a range, and whether to answer in columns.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DailyQuery {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`, inclusive; at most 3660 days after `start`.
    pub end: String,
    /// `true`: the scores as columns without contributors (`DailyColumns`), for charts.
    #[serde(default)]
    pub compact: bool,
}

impl DailyQuery {
    /// The range, checked.
    pub fn range(&self) -> Result<DayRange, ApiError> {
        day_range(&self.start, &self.end)
    }
}

/// `?start=<RFC 3339>&end=<RFC 3339>`: a span of time of at most a week.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpanQuery {
    /// RFC 3339, for example `2026-01-31T00:00:00Z`.
    pub start: String,
    /// RFC 3339, after `start`, at most 7 days later (exclusive).
    pub end: String,
}

impl SpanQuery {
    /// The longest span one request may ask for, in seconds: a week.
    pub const MAX_SECS: i64 = 7 * 24 * 3600;

    /// `(start, end)`, checked.
    pub fn span(&self) -> Result<(OffsetDateTime, OffsetDateTime), ApiError> {
        let (start, end) = (instant("start", &self.start)?, instant("end", &self.end)?);
        if start >= end {
            return Err(ApiError::BadRequest("`start` must be before `end`.".into()));
        }
        if (end - start).whole_seconds() > Self::MAX_SECS {
            return Err(ApiError::BadRequest("A span covers at most 7 days.".into()));
        }
        Ok((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_validated() {
        let range = |start: &str, end: &str| {
            RangeQuery {
                start: start.into(),
                end: end.into(),
            }
            .range()
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

    #[test]
    fn spans_are_validated() {
        let span = |start: &str, end: &str| {
            SpanQuery {
                start: start.into(),
                end: end.into(),
            }
            .span()
        };

        assert!(span("2026-01-01T00:00:00Z", "2026-01-02T00:00:00+01:00").is_ok());
        assert!(span("2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z").is_err());
        assert!(span("2026-01-01T00:00:00Z", "2026-01-09T00:00:00Z").is_err());
        assert!(span("2026-01-01", "2026-01-02T00:00:00Z").is_err());
    }
}
