//! How profile values read on screen: units spelled out, missing values said as such.

/// What an absent value shows.
pub const NOT_SHARED: &str = "Not shared";

pub fn age(years: Option<u32>) -> Option<String> {
    years.map(|y| format!("{y} years"))
}

pub fn weight(kg: Option<f64>) -> Option<String> {
    kg.map(|kg| format!("{kg:.1} kg"))
}

pub fn height(m: Option<f64>) -> Option<String> {
    m.map(|m| format!("{m:.2} m ({:.0} cm)", m * 100.0))
}

/// `"female"` reads as `"Female"`.
pub fn capitalised(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    let mut chars = text.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// `2026-11-24T01:59:33Z` reads as `2026-11-24 01:59 UTC`.
pub fn timestamp(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

/// `deep_sleep` reads as `Deep sleep`.
pub fn label(name: &str) -> String {
    let words = name
        .replace('_', " ")
        .replace("hrv", "HRV")
        .replace("rem ", "REM ");
    capitalised(Some(&words)).unwrap_or_default()
}

/// `+3 vs 7-day average`, `−2 vs …`, `same as …`.
pub fn change(delta: f64, against: &str) -> String {
    let rounded = delta.round();
    if rounded == 0.0 {
        format!("same as {against}")
    } else if rounded > 0.0 {
        format!("+{rounded:.0} vs {against}")
    } else {
        format!("\u{2212}{:.0} vs {against}", -rounded)
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

/// The minutes after midnight of an RFC 3339 local date-time (`2026-01-01T22:41:00+01:00`).
pub fn minute_of_day(rfc3339: &str) -> Option<u32> {
    let hours: u32 = rfc3339.get(11..13)?.parse().ok()?;
    let minutes: u32 = rfc3339.get(14..16)?.parse().ok()?;
    Some(hours * 60 + minutes)
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
    fn timestamps_read_as_date_and_minute() {
        assert_eq!(timestamp("2026-11-24T01:59:33Z"), "2026-11-24 01:59 UTC");
        assert_eq!(timestamp("garbage"), "garbage");
    }

    #[test]
    fn changes_read_with_their_sign() {
        assert_eq!(change(2.6, "7-day average"), "+3 vs 7-day average");
        assert_eq!(change(-1.6, "x"), "\u{2212}2 vs x");
        assert_eq!(change(0.2, "x"), "same as x");
        assert_eq!(label("hrv_balance"), "HRV balance");
        assert_eq!(label("rem_sleep"), "REM sleep");
        assert_eq!(label("deep_sleep"), "Deep sleep");
    }

    #[test]
    fn durations_and_clock_times_read_naturally() {
        assert_eq!(duration_minutes(435), "7 h 15 min");
        assert_eq!(duration_minutes(45), "45 min");
        assert_eq!(duration_minutes(120), "2 h");
        assert_eq!(clock(22 * 60 + 41), "22:41");
        assert_eq!(clock(24 * 60 + 5), "00:05");
        assert_eq!(
            minute_of_day("2026-01-01T22:41:00+01:00"),
            Some(22 * 60 + 41)
        );
        assert_eq!(minute_of_day("nonsense"), None);
    }

    #[test]
    fn words_are_capitalised() {
        assert_eq!(capitalised(Some("female")).as_deref(), Some("Female"));
    }
}
