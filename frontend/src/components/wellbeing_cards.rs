use shared::DailyScores;
use yew::prelude::*;

use super::missing::{Gaps, why_missing};
use crate::format;

/// Stress, blood oxygen and resilience: the latest of the `recent` days (newest last) that
/// has each, or why there is none (`gaps`).
pub fn wellbeing_cards(recent: &[DailyScores], gaps: &Gaps) -> Html {
    let latest = |has: fn(&DailyScores) -> bool| recent.iter().rev().find(|d| has(d));
    // Each card says why it is empty.
    let missing = |collection: &str, otherwise: &str| why_missing(gaps, collection, otherwise);
    let on =
        |day: &DailyScores| html! { <span class="muted">{ format!(" on {}", day.day) }</span> };

    let stress = match latest(|d| d.stress.is_some()) {
        Some(day) => {
            let stress = day.stress.clone().unwrap_or_default();
            let minutes = |seconds: Option<i64>| {
                seconds.map_or_else(
                    || format::NOT_SHARED.to_owned(),
                    |s| format::duration_minutes(usize::try_from(s / 60).unwrap_or(0)),
                )
            };
            html! {
                <>
                    <p class="score"><span class="value small">{ format::capitalised(stress.day_summary.as_deref()).unwrap_or_else(|| format::NOT_SHARED.to_owned()) }</span>{ on(day) }</p>
                    <p class="muted">{ format!("High stress {}, high recovery {}.", minutes(stress.stress_high_seconds), minutes(stress.recovery_high_seconds)) }</p>
                </>
            }
        }
        None => missing(
            "daily_stress",
            "No stress data in the last week: Oura measures it only on days the ring is worn.",
        ),
    };
    let spo2 = match latest(|d| d.spo2.is_some()) {
        Some(day) => {
            let spo2 = day.spo2.clone().unwrap_or_default();
            html! {
                <>
                    <p class="score"><span class="value">{ spo2.average_percent.map_or_else(|| format::NOT_SHARED.to_owned(), |p| format!("{} %", format::decimal(p, 1))) }</span>{ on(day) }</p>
                    <p class="muted">{ spo2.breathing_disturbance_index.map(|i| format!("Breathing disturbance index {i} (lower is better).")).unwrap_or_default() }</p>
                </>
            }
        }
        None => missing(
            "daily_spo2",
            "No blood oxygen average in the last week: Oura measures it only on nights the ring is worn.",
        ),
    };
    let resilience = match latest(|d| d.resilience.is_some()) {
        Some(day) => {
            let resilience = day.resilience.clone().unwrap_or_default();
            html! {
                <>
                    <p class="score"><span class="value small">{ format::capitalised(resilience.level.as_deref()).unwrap_or_else(|| format::NOT_SHARED.to_owned()) }</span>{ on(day) }</p>
                    <p class="muted">{ resilience.contributors.iter().map(|(name, value)| format!("{} {}", format::label(name), value.map_or("—".to_owned(), |v| v.to_string()))).collect::<Vec<_>>().join(" · ") }</p>
                </>
            }
        }
        None => missing(
            "daily_resilience",
            "No resilience level in the last week. Oura needs about two weeks of data before the first one (the baseline is forming), and the ring worn.",
        ),
    };

    html! {
        <section class="cards" aria-label="Stress, blood oxygen and resilience">
            <article class="card" aria-label="Stress"><h2>{ "Stress" }</h2>{ stress }</article>
            <article class="card" aria-label="Blood oxygen"><h2>{ "Blood oxygen" }</h2>{ spo2 }</article>
            <article class="card" aria-label="Resilience"><h2>{ "Resilience" }</h2>{ resilience }</article>
        </section>
    }
}
