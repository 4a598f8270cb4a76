use shared::DailyScores;
use yew::prelude::*;

use super::missing::{Gaps, why_missing};
use super::{Reading, card, empty, latest, reading};
use crate::format;

/// VO2 max, cardiovascular age and tonight's bedtime window: the latest of the `recent` days
/// (newest last) that has each, or why there is none (`gaps`).
pub fn heart_cards(recent: &[DailyScores], gaps: &Gaps) -> Html {
    let missing = |collection: &str, otherwise: &str| why_missing(gaps, collection, otherwise);

    let vo2_max = match latest(recent, |d| d.vo2_max.as_ref()) {
        Some((day, vo2_max)) => reading(Reading {
            value: format::decimal(*vo2_max, 0),
            unit: " ml/kg/min",
            is_word: false,
            day,
            note: "Oura's estimate of your cardiorespiratory fitness.".into(),
        }),
        None => missing(
            "vO2_max",
            "No estimate in the last week. Oura estimates VO2 max now and then, from a walk outdoors with the ring on.",
        ),
    };
    let cardiovascular = match latest(recent, |d| {
        d.cardiovascular
            .as_ref()
            .filter(|c| c.vascular_age.is_some())
    }) {
        Some((day, heart)) => reading(Reading {
            value: heart
                .vascular_age
                .map(|a| a.to_string())
                .unwrap_or_default(),
            unit: " years",
            is_word: false,
            day,
            note: heart
                .pulse_wave_velocity
                .map(|v| {
                    format!(
                        "Pulse wave velocity {} m/s (lower means suppler arteries).",
                        format::decimal(v, 1)
                    )
                })
                .unwrap_or_default(),
        }),
        None => missing(
            "daily_cardiovascular_age",
            "No cardiovascular age in the last week. Oura needs about two weeks of nights first (the baseline is forming), and the ring worn.",
        ),
    };
    let bedtime = match latest(recent, |d| d.bedtime.as_ref()) {
        Some((day, bedtime)) => match (bedtime.window_start_seconds, bedtime.window_end_seconds) {
            (Some(start), Some(end)) => reading(Reading {
                value: format!(
                    "{}–{}",
                    shared::clock_of_offset(start),
                    shared::clock_of_offset(end)
                ),
                unit: "",
                is_word: true,
                day,
                note: recommendation(bedtime.recommendation.as_deref()),
            }),
            _ => empty(why_no_window(bedtime.status.as_deref())),
        },
        None => missing(
            "sleep_time",
            "No bedtime guidance in the last week. It needs the ring worn at night.",
        ),
    };

    html! {
        <section class="cards" aria-label="Heart health and bedtime">
            { card("VO2 max", vo2_max) }
            { card("Cardiovascular age", cardiovascular) }
            { card("Optimal bedtime", bedtime) }
        </section>
    }
}

/// Oura's advice in words; an advice added later is passed on as it reads.
fn recommendation(code: Option<&str>) -> String {
    match code {
        Some("follow_optimal_bedtime") => "Your bedtime is in the window: keep it there.".into(),
        Some("earlier_bedtime") => "Oura suggests going to bed earlier.".into(),
        Some("later_bedtime") => "Oura suggests going to bed later.".into(),
        Some("earlier_wake_up_time") => "Oura suggests waking up earlier.".into(),
        Some("later_wake_up_time") => "Oura suggests waking up later.".into(),
        Some("improve_efficiency") => "Oura suggests improving your sleep efficiency first.".into(),
        Some(other) => format::label(other),
        None => String::new(),
    }
}

/// Why Oura has no window for the day, from its status.
fn why_no_window(status: Option<&str>) -> String {
    match status {
        Some("not_enough_nights") => {
            "Oura needs more nights before it can suggest a window: the baseline is forming.".into()
        }
        Some("not_enough_recent_nights") => {
            "Oura needs more recent nights with the ring before it can suggest a window.".into()
        }
        Some("bad_sleep_quality") => {
            "Oura found no window: recent nights were too restless to tell.".into()
        }
        _ => "Oura has not suggested a window for this day.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_advice_and_status_reads_as_a_sentence() {
        for code in [
            "follow_optimal_bedtime",
            "earlier_bedtime",
            "later_bedtime",
            "earlier_wake_up_time",
            "later_wake_up_time",
            "improve_efficiency",
        ] {
            assert!(recommendation(Some(code)).ends_with('.'), "{code}");
        }
        assert_eq!(recommendation(Some("nap_more")), "Nap more");
        assert!(why_no_window(Some("not_enough_nights")).contains("baseline is forming"));
    }
}
