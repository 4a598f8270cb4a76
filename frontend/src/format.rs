//! How values read on screen: units spelled out, missing values said as such.

use time::OffsetDateTime;

/// What an absent value shows.
pub const NOT_SHARED: &str = "Not shared";

pub fn age(years: Option<u32>) -> Option<String> {
    years.map(|y| format!("{y} years"))
}

pub fn weight(kg: Option<f64>) -> Option<String> {
    kg.map(|kg| format!("{} kg", decimal(kg, 1)))
}

pub fn height(m: Option<f64>) -> Option<String> {
    m.map(|m| format!("{} m ({} cm)", decimal(m, 2), decimal(m * 100.0, 0)))
}

/// `value` with `places` decimals (`72.45` with one is `72.5`; halves round away from zero),
/// in integer arithmetic. Not `{:.1}`: Rust's float formatting, with its tables, was about
/// 20 KB of the SPA's wasm, for numbers the app shows with at most two decimals.
pub fn decimal(value: f64, places: u32) -> String {
    let scale = 10_u64.pow(places);
    let scaled = (value * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let (whole, fraction) = (scaled.unsigned_abs() / scale, scaled.unsigned_abs() % scale);
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}", width = places as usize)
    }
}

/// `"female"` reads as `"Female"`. Only an ASCII first letter changes: Oura's words are
/// ASCII, and Unicode's case tables would add 17 KB to the app for nothing.
pub fn capitalised(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    let first = text.chars().next()?;
    let rest = &text[first.len_utf8()..];
    Some(format!("{}{rest}", first.to_ascii_uppercase()))
}

/// `"Not synced yet. Press Sync now."` reads as `"not synced yet. Press Sync now."`, to follow
/// a colon: only the first letter changes (lowercasing all of it made "UTC" "utc" and the
/// button's name "sync now"), and only an ASCII one, for the reason `capitalised` gives.
pub fn uncapitalised(text: &str) -> String {
    let mut text = text.to_owned();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    text
}

/// A moment in the browser's local time: `2026-11-24 02:59 (UTC+01:00)`.
pub fn timestamp(at: OffsetDateTime) -> String {
    timestamp_in(at, browser_offset())
}

/// A moment in `offset`: `2026-11-24 02:59 (UTC+01:00)`, or `2026-11-24 01:59 UTC`.
pub fn timestamp_in(at: OffsetDateTime, offset: time::UtcOffset) -> String {
    let local = at.to_offset(offset);
    let clock = format!("{} {:02}:{:02}", local.date(), local.hour(), local.minute());
    if offset.is_utc() {
        format!("{clock} UTC")
    } else {
        format!("{clock} ({})", utc_offset(offset))
    }
}

/// The browser's UTC offset now (its time zone's), or UTC if it cannot say.
fn browser_offset() -> time::UtcOffset {
    // JavaScript gives minutes *behind* UTC: -60 for UTC+01:00.
    let minutes_behind = js_sys::Date::new_0().get_timezone_offset();
    time::UtcOffset::from_whole_seconds((-minutes_behind * 60.0) as i32)
        .unwrap_or(time::UtcOffset::UTC)
}

/// `deep_sleep` reads as `Deep sleep`.
pub fn label(name: &str) -> String {
    let words: Vec<&str> = name
        .split('_')
        .map(|word| match word {
            "hrv" => "HRV",
            "rem" => "REM",
            "heartrate" => "heart rate",
            "spo2" => "SpO2",
            word => word,
        })
        .collect();
    capitalised(Some(&words.join(" "))).unwrap_or_default()
}

/// `+3 vs 7-day average`, `−2 vs …`, `same as …`.
pub fn change(delta: f64, against: &str) -> String {
    let rounded = delta.round();
    if rounded == 0.0 {
        format!("same as {against}")
    } else if rounded > 0.0 {
        format!("+{} vs {against}", decimal(rounded, 0))
    } else {
        format!("\u{2212}{} vs {against}", decimal(-rounded, 0))
    }
}

/// `435` minutes reads as `7 h 15 min`.
pub fn duration_minutes(minutes: usize) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Minutes after midnight (past 24 h wraps round) as `HH:MM`.
pub fn clock(minutes: u32) -> String {
    let minutes = minutes % (24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `UTC+02:00`, `UTC−05:00`, or `UTC`.
pub fn utc_offset(offset: time::UtcOffset) -> String {
    if offset.is_utc() {
        return "UTC".to_owned();
    }
    let (hours, minutes, _) = offset.as_hms();
    let sign = if offset.is_negative() {
        '\u{2212}'
    } else {
        '+'
    };
    format!(
        "UTC{sign}{:02}:{:02}",
        hours.unsigned_abs(),
        minutes.unsigned_abs()
    )
}

/// The minutes after midnight of a time, in the offset it carries (the person's local time
/// for Oura's sleep times).
pub fn minute_of_day(at: OffsetDateTime) -> u32 {
    u32::from(at.hour()) * 60 + u32::from(at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_carry_their_units() {
        assert_eq!(age(Some(34)).as_deref(), Some("34 years"));
        assert_eq!(weight(Some(72.45)).as_deref(), Some("72.5 kg"));
        assert_eq!(height(Some(1.8)).as_deref(), Some("1.80 m (180 cm)"));
    }

    #[test]
    fn missing_values_stay_missing() {
        assert_eq!(age(None), None);
        assert_eq!(weight(None), None);
        assert_eq!(height(None), None);
        assert_eq!(capitalised(None), None);
        assert_eq!(capitalised(Some("  ")), None);
    }

    #[test]
    fn timestamps_read_as_date_and_minute_in_the_offset_asked_for() {
        let at = time::macros::datetime!(2026-11-24 02:59:33 +01:00);

        assert_eq!(
            timestamp_in(at, time::UtcOffset::UTC),
            "2026-11-24 01:59 UTC"
        );
        assert_eq!(
            timestamp_in(at, time::macros::offset!(+9)),
            "2026-11-24 10:59 (UTC+09:00)"
        );
    }

    #[test]
    fn decimals_read_as_rust_would_write_them() {
        for (value, places) in [
            (72.45, 1),
            (1.8, 2),
            (180.0, 0),
            (0.04, 1),
            (-3.75, 1),
            (99.5, 0),
            (1234.5678, 2),
            (0.0, 1),
            (-12.0, 0),
        ] {
            assert_eq!(
                decimal(value, places),
                format!("{value:.*}", places as usize),
                "{value} with {places}"
            );
        }
        assert_eq!(decimal(-0.04, 1), "0.0", "no sign on what rounds to zero");
        assert_eq!(decimal(2.25, 1), "2.3", "halves round away from zero");
        assert_eq!(decimal(-2.25, 1), "-2.3");
        assert_eq!(
            decimal(0.07, 2),
            "0.07",
            "the fraction keeps its leading zeros"
        );
    }

    #[test]
    fn changes_read_with_their_sign() {
        assert_eq!(change(2.6, "7-day average"), "+3 vs 7-day average");
        assert_eq!(change(-1.6, "x"), "\u{2212}2 vs x");
        assert_eq!(change(0.2, "x"), "same as x");
        assert_eq!(label("hrv_balance"), "HRV balance");
        assert_eq!(label("rem_sleep"), "REM sleep");
        assert_eq!(label("deep_sleep"), "Deep sleep");
        assert_eq!(label("heartrate"), "Heart rate");
        assert_eq!(label("daily_spo2"), "Daily SpO2");
        assert_eq!(label("vO2_max"), "VO2 max");
    }

    #[test]
    fn durations_and_clock_times_read_naturally() {
        assert_eq!(duration_minutes(435), "7 h 15 min");
        assert_eq!(duration_minutes(45), "45 min");
        assert_eq!(duration_minutes(120), "2 h");
        assert_eq!(clock(22 * 60 + 41), "22:41");
        assert_eq!(clock(24 * 60 + 5), "00:05");
        assert_eq!(
            minute_of_day(time::macros::datetime!(2026-01-01 22:41 +01:00)),
            22 * 60 + 41
        );
    }

    #[test]
    fn offsets_read_as_utc_plus_or_minus() {
        assert_eq!(utc_offset(time::macros::offset!(+2)), "UTC+02:00");
        assert_eq!(utc_offset(time::macros::offset!(-5:30)), "UTC\u{2212}05:30");
        assert_eq!(utc_offset(time::UtcOffset::UTC), "UTC");
    }

    #[test]
    fn a_sentence_after_a_colon_loses_only_its_capital() {
        assert_eq!(
            uncapitalised(
                "Not synced yet. The next sync runs at about 03:00 (UTC+01:00), or press Sync now."
            ),
            "not synced yet. The next sync runs at about 03:00 (UTC+01:00), or press Sync now."
        );
        assert_eq!(uncapitalised("Élan"), "Élan");
        assert_eq!(uncapitalised(""), "");
    }

    #[test]
    fn words_are_capitalised() {
        assert_eq!(capitalised(Some("female")).as_deref(), Some("Female"));
        assert_eq!(capitalised(Some("élan")).as_deref(), Some("élan"));
    }
}
