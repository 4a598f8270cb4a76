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
    fn words_are_capitalised() {
        assert_eq!(capitalised(Some("female")).as_deref(), Some("Female"));
    }
}
