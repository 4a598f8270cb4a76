//! Values the backend parses once, at its edges, and carries typed after that.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Oura's id of a person, the key of every row this app keeps about them.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct UserId(String);

impl UserId {
    /// Wraps an id Oura gave us (or one read back from our own store).
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UserId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// `YYYY-MM-DD`, the one way days are written in URLs, the database and Oura's API.
pub const DAY_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Parses a `YYYY-MM-DD` day.
pub fn parse_day(text: &str) -> Result<time::Date, time::error::Parse> {
    time::Date::parse(text, DAY_FORMAT)
}

/// A time stored as Unix seconds, as a time (the epoch for one out of range).
pub fn unix_time(seconds: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// Days from `start` through `end`, both included: never reversed, never longer than
/// [`DayRange::MAX_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    start: time::Date,
    end: time::Date,
}

/// Why two days do not make a [`DayRange`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    /// The start is after the end.
    #[error("`start` must not be after `end`.")]
    Reversed,
    /// Longer than [`DayRange::MAX_DAYS`].
    #[error("A range spans at most {} days.", DayRange::MAX_DAYS)]
    TooLong,
}

impl DayRange {
    /// The longest range one request may ask for: ten years.
    pub const MAX_DAYS: i64 = 3660;

    /// The range, checked.
    pub fn new(start: time::Date, end: time::Date) -> Result<Self, RangeError> {
        if start > end {
            return Err(RangeError::Reversed);
        }
        if (end - start).whole_days() >= Self::MAX_DAYS {
            return Err(RangeError::TooLong);
        }
        Ok(Self { start, end })
    }

    /// The `days` days that end on `end`.
    pub fn ending(end: time::Date, days: i64) -> Self {
        let days = days.clamp(1, Self::MAX_DAYS);
        Self {
            start: end - time::Duration::days(days - 1),
            end,
        }
    }

    /// The first day.
    pub fn start(&self) -> time::Date {
        self.start
    }

    /// The last day, included.
    pub fn end(&self) -> time::Date {
        self.end
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_range_is_never_reversed_or_longer_than_ten_years() {
        assert!(DayRange::new(date!(2026 - 01 - 01), date!(2026 - 01 - 01)).is_ok());
        assert_eq!(
            DayRange::new(date!(2026 - 02 - 01), date!(2026 - 01 - 01)),
            Err(RangeError::Reversed)
        );
        assert_eq!(
            DayRange::new(date!(2000 - 01 - 01), date!(2026 - 01 - 01)),
            Err(RangeError::TooLong)
        );
    }

    #[test]
    fn a_range_ending_on_a_day_includes_it() {
        let range = DayRange::ending(date!(2026 - 01 - 14), 7);

        assert_eq!(range.start(), date!(2026 - 01 - 08));
        assert_eq!(range.end(), date!(2026 - 01 - 14));
    }
}
