//! How days and moments read on the wire: `YYYY-MM-DD`, and RFC 3339 as the backend writes
//! it (`2026-11-24T02:59:00Z`, `2026-10-25T07:05:00+01:00`, fractions of a second allowed).
//!
//! Written by `time`, exactly as before; read by the small parsers here. The SPA decodes
//! every day and moment it shows, and `time`'s general parser (format descriptions, every
//! component and modifier) was a twentieth of its wasm for these two shapes.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// `YYYY-MM-DD` as a real date (`2026-02-30` is none).
pub fn parse_day(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    let month = Month::try_from(u8::try_from(digits(&bytes[5..7])?).ok()?).ok()?;
    let day = u8::try_from(digits(&bytes[8..10])?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, day).ok()
}

/// An RFC 3339 date-time with its offset kept (`...T23:10:00+02:00` stays at +02:00).
pub fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't') {
        return None;
    }
    let date = parse_day(text.get(..10)?)?;
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let hour = u8::try_from(digits(&bytes[11..13])?).ok()?;
    let minute = u8::try_from(digits(&bytes[14..16])?).ok()?;
    let second = u8::try_from(digits(&bytes[17..19])?).ok()?;
    let mut rest = &bytes[19..];
    let mut nanosecond = 0u32;
    if let [b'.', fraction @ ..] = rest {
        let length = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if length == 0 {
            return None;
        }
        // Nanoseconds: the first nine digits, the rest (finer than `time` keeps) dropped.
        let kept = &fraction[..length.min(9)];
        nanosecond = digits(kept)? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[length..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => UtcOffset::UTC,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = i8::try_from(digits(&[*h1, *h2])?).ok()?;
            let minutes = i8::try_from(digits(&[*m1, *m2])?).ok()?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let sign = if *sign == b'-' { -1 } else { 1 };
            UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()?
        }
        _ => return None,
    };
    let time = Time::from_hms_nano(hour, minute, second, nanosecond).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

/// The number that ASCII digits spell; `None` if any byte is not one.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |number, byte| {
        byte.is_ascii_digit()
            .then(|| number * 10 + u32::from(byte - b'0'))
    })
}

/// A value with a text form on the wire, and the parser that reads it (serde's readers here,
/// and the SPA's own).
pub trait WireForm: Sized {
    /// What the text should have been, for the error.
    const EXPECTING: &'static str;
    /// The value `text` spells, if it is one.
    fn parse(text: &str) -> Option<Self>;
}

impl WireForm for Date {
    const EXPECTING: &'static str = "a day as YYYY-MM-DD";
    fn parse(text: &str) -> Option<Self> {
        parse_day(text)
    }
}

impl WireForm for OffsetDateTime {
    const EXPECTING: &'static str = "an RFC 3339 date-time";
    fn parse(text: &str) -> Option<Self> {
        parse_rfc3339(text)
    }
}

/// A day or a moment read from the wire.
struct Wire<T>(T);

impl<'de, T: WireForm> Deserialize<'de> for Wire<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor<T>(std::marker::PhantomData<T>);
        impl<T: WireForm> Visitor<'_> for TextVisitor<T> {
            type Value = Wire<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Wire<T>, E> {
                T::parse(text)
                    .map(Wire)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(TextVisitor(std::marker::PhantomData))
    }
}

/// `#[serde(with = "crate::wire::day")]` on a `Date`.
#[allow(missing_docs)] // serde's `with` functions: their names are the protocol.
pub mod day {
    use super::*;

    pub fn serialize<S: Serializer>(day: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        day.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        Wire::<Date>::deserialize(deserializer).map(|day| day.0)
    }

    /// On an `Option<Date>` (with `#[serde(default)]`, so that an absent day is `None`).
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            day: &Option<Date>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            day.serialize(serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Date>, D::Error> {
            Option::<Wire<Date>>::deserialize(deserializer).map(|day| day.map(|day| day.0))
        }
    }

    /// On a `Vec<Date>`.
    pub mod vec {
        use super::*;

        pub fn serialize<S: Serializer>(days: &[Date], serializer: S) -> Result<S::Ok, S::Error> {
            days.serialize(serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Vec<Date>, D::Error> {
            Vec::<Wire<Date>>::deserialize(deserializer)
                .map(|days| days.into_iter().map(|day| day.0).collect())
        }
    }
}

/// `#[serde(with = "crate::wire::rfc3339")]` on an `OffsetDateTime`.
#[allow(missing_docs)] // serde's `with` functions: their names are the protocol.
pub mod rfc3339 {
    use super::*;

    pub fn serialize<S: Serializer>(at: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::serialize(at, serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        Wire::<OffsetDateTime>::deserialize(deserializer).map(|at| at.0)
    }

    /// On an `Option<OffsetDateTime>` (with `#[serde(default)]`: absent is `None`).
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            at: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            time::serde::rfc3339::option::serialize(at, serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            Option::<Wire<OffsetDateTime>>::deserialize(deserializer).map(|at| at.map(|at| at.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use time::format_description::well_known::Rfc3339;
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn days_are_read_as_time_writes_them() {
        let mut day = date!(1999 - 12 - 25);
        while day < date!(2031 - 01 - 10) {
            assert_eq!(parse_day(&day.to_string()), Some(day));
            day = day.next_day().unwrap();
        }
    }

    #[test]
    fn a_day_that_is_not_a_date_is_none() {
        for text in [
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "2026/01/01",
            "2026-01-011",
            "+026-01-01",
            "２026-01-01",
            "",
        ] {
            assert_eq!(parse_day(text), None, "{text:?}");
        }
    }

    #[test]
    fn moments_are_read_as_time_writes_them_with_their_offset() {
        let offsets = [
            UtcOffset::UTC,
            UtcOffset::from_hms(2, 0, 0).unwrap(),
            UtcOffset::from_hms(-5, -30, 0).unwrap(),
            UtcOffset::from_hms(9, 0, 0).unwrap(),
        ];
        let mut at = datetime!(2019-12-31 23:59:58.5 UTC);
        for step in 0..5_000u32 {
            let offset = offsets[step as usize % offsets.len()];
            let local = at.to_offset(offset);
            let text = local.format(&Rfc3339).unwrap();

            let read = parse_rfc3339(&text).unwrap_or_else(|| panic!("{text}"));

            assert_eq!(read, local, "{text}");
            assert_eq!(read.offset(), offset, "{text}");
            at += time::Duration::seconds_f64(1_234.567_891 * f64::from(step % 97));
        }
    }

    #[test]
    fn what_time_reads_in_rfc3339_this_reads_alike() {
        for text in [
            "2026-10-25T07:05:00+01:00",
            "2026-10-24T23:10:00+02:00",
            "2026-11-24t02:59:33z",
            "2026-11-24T02:59:33.123456789123Z",
            "2026-11-24T02:59:33.1-09:30",
        ] {
            assert_eq!(
                parse_rfc3339(text),
                Some(OffsetDateTime::parse(text, &Rfc3339).unwrap()),
                "{text}"
            );
        }
    }

    #[test]
    fn a_moment_that_is_not_rfc3339_is_none() {
        for text in [
            "2026-11-24T02:59:33",
            "2026-11-24 02:59:33Z",
            "2026-11-24T24:00:00Z",
            "2026-11-24T02:60:00Z",
            "2026-11-24T02:59:33.Z",
            "2026-11-24T02:59:33+0100",
            "2026-11-24T02:59:33+01:60",
            "2026-11-24T02:59:33+25:00",
            "2026-02-30T02:59:33Z",
            "2026-11-24T02:59:33Zjunk",
            "",
        ] {
            assert_eq!(parse_rfc3339(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_wire_form_is_unchanged_and_absent_optional_days_are_none() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Sample {
            #[serde(with = "day")]
            day: Date,
            #[serde(default, with = "day::option")]
            end_day: Option<Date>,
            #[serde(with = "day::vec")]
            days: Vec<Date>,
            #[serde(with = "rfc3339")]
            at: OffsetDateTime,
            #[serde(default, with = "rfc3339::option")]
            until: Option<OffsetDateTime>,
        }
        let sample = Sample {
            day: date!(2026 - 01 - 31),
            end_day: None,
            days: vec![date!(2026 - 02 - 01)],
            at: datetime!(2026-10-24 23:10 +02:00),
            until: Some(datetime!(2026-10-25 07:05:00.25 +01:00)),
        };

        let json = serde_json::to_string(&sample).unwrap();

        assert_eq!(
            json,
            r#"{"day":"2026-01-31","end_day":null,"days":["2026-02-01"],"at":"2026-10-24T23:10:00+02:00","until":"2026-10-25T07:05:00.25+01:00"}"#
        );
        assert_eq!(serde_json::from_str::<Sample>(&json).unwrap(), sample);
        let absent: Sample =
            serde_json::from_str(r#"{"day":"2026-01-31","days":[],"at":"2026-10-24T23:10:00Z"}"#)
                .unwrap();
        assert_eq!((absent.end_day, absent.until), (None, None));
        assert!(
            serde_json::from_str::<Sample>(r#"{"day":"2026-02-30","days":[],"at":"x"}"#).is_err()
        );
    }
}
