use shared::{SleepKind, SleepPeriod};
use yew::prelude::*;

use super::{hypnogram, series_chart};
use crate::format;

/// One sleep period: its facts, its stages as a hypnogram, heart rate and HRV, all in the
/// person's local time; the charts `chart_width` CSS pixels wide.
pub fn sleep_period_card(period: &SleepPeriod, chart_width: f64) -> Html {
    let start_minute = format::minute_of_day(period.bedtime_start);
    let title = match period.kind {
        SleepKind::LongSleep => "Night",
        SleepKind::LateNap | SleepKind::Sleep => "Nap",
        SleepKind::Rest => "Rest",
        SleepKind::Deleted | SleepKind::Unknown => "Sleep",
    };
    let facts = [
        (
            "Asleep",
            period
                .total_sleep_seconds
                .map(|s| format::duration_minutes((s / 60) as usize)),
        ),
        (
            "In bed",
            Some(format!(
                "{}\u{2013}{}",
                format::clock(start_minute),
                format::clock(format::minute_of_day(period.bedtime_end))
            )),
        ),
        ("Efficiency", period.efficiency.map(|e| format!("{e} %"))),
        (
            "Lowest heart rate",
            period.lowest_heart_rate.map(|b| format!("{b} bpm")),
        ),
        ("Average HRV", period.average_hrv.map(|h| format!("{h} ms"))),
    ];
    html! {
        <article class="period" aria-label={title}>
            <h2>{ title }</h2>
            <dl class="facts">
                { for facts.into_iter().map(|(label, value)| html! {
                    <div class="fact"><dt>{ label }</dt><dd>{ value.unwrap_or_else(|| format::NOT_SHARED.to_owned()) }</dd></div>
                }) }
            </dl>
            if !period.stages.is_empty() {
                { hypnogram(&period.stages, start_minute, chart_width) }
            }
            { series_chart("Heart rate (bpm)", &period.heart_rate, start_minute, chart_width) }
            { series_chart("HRV (ms)", &period.hrv, start_minute, chart_width) }
        </article>
    }
}
