use time::{Date, Duration, UtcOffset};
use yew::prelude::*;

use super::{empty, series_chart};
use crate::api;
use crate::format;
use crate::hooks::{use_chart_width, use_fetch};

#[derive(Properties, PartialEq)]
pub struct DayHeartRateProps {
    pub day: Date,
    /// The person's UTC offset that day (from the night's sleep): the day is drawn from one
    /// local midnight to the next. UTC when it is not known.
    #[prop_or(UtcOffset::UTC)]
    pub offset: UtcOffset,
}

/// Heart rate through the whole day in the person's local time, five-minute readings, gaps
/// where the ring was off.
#[function_component(DayHeartRate)]
pub fn day_heart_rate(props: &DayHeartRateProps) -> Html {
    let offset = props.offset;
    let chart = use_node_ref();
    let chart_width = use_chart_width(chart.clone());
    let start = props.day.midnight().assume_offset(offset);
    let series = use_fetch(api::heart_rate(start, start + Duration::days(1)));
    let body = series.view(
        "Loading heart rate…",
        "Heart rate could not be loaded",
        |series| {
            if series.points.is_empty() {
                return empty(
                    "No heart rate for this day (the ring was not worn, or heart rate is not synced this far back).",
                );
            }
            // One slot per 5 minutes of the day, so gaps show where readings are missing.
            let mut slots: Vec<Option<f64>> = vec![None; 288];
            for point in &series.points {
                let minute = format::minute_of_day(point.at.to_offset(offset));
                slots[(minute / 5).min(287) as usize] = Some(point.bpm as f64);
            }
            let title = format!("Heart rate through the day (bpm, local time, {})", format::utc_offset(offset));
            series_chart(&title, &slots, 0, chart_width)
        },
    );
    html! {
        <section class="panel" aria-labelledby="day-hr-title">
            <h1 id="day-hr-title">{ format!("Heart rate on {}", props.day) }</h1>
            <div ref={chart}>{ body }</div>
        </section>
    }
}
