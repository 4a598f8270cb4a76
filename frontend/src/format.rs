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
    fn words_are_capitalised() {
        assert_eq!(capitalised(Some("female")).as_deref(), Some("Female"));
    }
}
