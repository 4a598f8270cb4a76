use time::Date;
use yew::prelude::*;

use super::SeriesChart;
use crate::api;
use crate::format;
use crate::hooks::use_fetch_with;

#[derive(Properties, PartialEq)]
pub struct DayHeartRateProps {
    pub day: Date,
}

/// Heart rate through the whole (UTC) day, five-minute readings, gaps where the ring was off.
#[function_component(DayHeartRate)]
pub fn day_heart_rate(props: &DayHeartRateProps) -> Html {
    let series = use_fetch_with(props.day, |day| api::heart_rate_of_day(*day));
    let body = series.view(
        "Loading heart rate…",
        "Heart rate could not be loaded",
        |series| {
            if series.points.is_empty() {
                return html! {
                    <p class="empty">{ "No heart rate for this day (the ring was not worn, or heart rate is not synced this far back)." }</p>
                };
            }
            // One slot per 5 minutes of the day, so gaps show where readings are missing.
            let mut slots: Vec<Option<f64>> = vec![None; 288];
            for point in &series.points {
                let minute = format::minute_of_day(point.at.to_offset(time::UtcOffset::UTC));
                slots[(minute / 5).min(287) as usize] = Some(point.bpm as f64);
            }
            html! { <SeriesChart title="Heart rate through the day (bpm, UTC)" values={slots} start_minute={0} /> }
        },
    );
    html! {
        <section class="panel" aria-labelledby="day-hr-title">
            <h1 id="day-hr-title">{ format!("Heart rate on {}", props.day) }</h1>
            { body }
        </section>
    }
}
