use shared::DailyScores;
use yew::prelude::*;

use super::missing::{Gaps, why_missing};
use super::{Reading, card, latest, reading};
use crate::format;

/// Stress, blood oxygen and resilience: the latest of the `recent` days (newest last) that
/// has each, or why there is none (`gaps`).
pub fn wellbeing_cards(recent: &[DailyScores], gaps: &Gaps) -> Html {
    // Each card says why it is empty.
    let missing = |collection: &str, otherwise: &str| why_missing(gaps, collection, otherwise);

    let stress = match latest(recent, |d| d.stress.as_ref()) {
        Some((day, stress)) => {
            let minutes = |seconds: Option<i64>| {
                seconds.map_or_else(
                    || format::NOT_SHARED.to_owned(),
                    |s| format::duration_minutes(usize::try_from(s / 60).unwrap_or(0)),
                )
            };
            reading(Reading {
                value: format::capitalised(stress.day_summary.as_deref())
                    .unwrap_or_else(|| format::NOT_SHARED.to_owned()),
                unit: "",
                is_word: true,
                day,
                note: format!(
                    "High stress {}, high recovery {}.",
                    minutes(stress.stress_high_seconds),
                    minutes(stress.recovery_high_seconds)
                ),
            })
        }
        None => missing(
            "daily_stress",
            "No stress data in the last week: Oura measures it only on days the ring is worn.",
        ),
    };
    let spo2 = match latest(recent, |d| d.spo2.as_ref()) {
        Some((day, spo2)) => reading(Reading {
            value: spo2.average_percent.map_or_else(
                || format::NOT_SHARED.to_owned(),
                |p| format!("{} %", format::decimal(p, 1)),
            ),
            unit: "",
            is_word: false,
            day,
            note: spo2
                .breathing_disturbance_index
                .map(|i| format!("Breathing disturbance index {i} (lower is better)."))
                .unwrap_or_default(),
        }),
        None => missing(
            "daily_spo2",
            "No blood oxygen average in the last week: Oura measures it only on nights the ring is worn.",
        ),
    };
    let resilience = match latest(recent, |d| d.resilience.as_ref()) {
        Some((day, resilience)) => reading(Reading {
            value: format::capitalised(resilience.level.as_deref())
                .unwrap_or_else(|| format::NOT_SHARED.to_owned()),
            unit: "",
            is_word: true,
            day,
            note: resilience
                .contributors
                .iter()
                .map(|(name, value)| {
                    let value = value.map_or("—".to_owned(), |v| v.to_string());
                    format!("{} {value}", format::label(name))
                })
                .collect::<Vec<_>>()
                .join(" · "),
        }),
        None => missing(
            "daily_resilience",
            "No resilience level in the last week. Oura needs about two weeks of data before the first one (the baseline is forming), and the ring worn.",
        ),
    };

    html! {
        <section class="cards" aria-label="Stress, blood oxygen and resilience">
            { card("Stress", stress) }
            { card("Blood oxygen", spo2) }
            { card("Resilience", resilience) }
        </section>
    }
}
