use shared::SleepPeriod;
use time::{Date, Duration};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::charts::{Frame, line_path};
use crate::components::{ErrorPanel, Hypnogram, Loading, Shell, use_session_ended_on};
use crate::format;
use crate::hooks::{Fetch, use_fetch_with};

#[derive(Properties, PartialEq)]
pub struct NightProps {
    /// `YYYY-MM-DD`: the morning the night ended.
    pub day: AttrValue,
}

/// One night: its stages as a hypnogram, heart rate and HRV through the night.
#[function_component(Night)]
pub fn night(props: &NightProps) -> Html {
    html! { <Shell><NightBody day={props.day.clone()} /></Shell> }
}

#[function_component(NightBody)]
fn night_body(props: &NightProps) -> Html {
    let night = use_fetch_with(props.day.clone(), |day| api::night(day.to_string()));
    use_session_ended_on(match &night.state {
        Fetch::Failed(error) => Some(error.clone()),
        _ => None,
    });
    let date = Date::parse(
        &props.day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok();
    let step = |days: i64| date.map(|d| (d + Duration::days(days)).to_string());
    let nav = html! {
        <nav class="toolbar" aria-label="Nights">
            if let Some(day) = step(-1) {
                <Link<Route> to={Route::Night { day }} classes="button secondary">{ "\u{2190} Night before" }</Link<Route>>
            }
            <Link<Route> to={Route::Home} classes="button secondary">{ "Dashboard" }</Link<Route>>
            if let Some(day) = step(1) {
                <Link<Route> to={Route::Night { day }} classes="button secondary">{ "Night after \u{2192}" }</Link<Route>>
            }
        </nav>
    };
    let body = match &night.state {
        Fetch::Loading => html! { <Loading label="Loading the night…" /> },
        Fetch::Failed(error) => html! {
            <ErrorPanel title="This night could not be loaded" error={error.clone()} on_retry={night.reload.clone()} />
        },
        Fetch::Ready(night) if night.periods.is_empty() => html! {
            <p class="empty">{ "No sleep recorded for this night (the ring was not worn, or this day is not synced yet)." }</p>
        },
        Fetch::Ready(night) => night.periods.iter().map(period).collect::<Html>(),
    };
    html! {
        <>
            <section class="panel" aria-labelledby="night-title">
                <h1 id="night-title">{ format!("Night ending {}", props.day) }</h1>
                { nav }
                { body }
            </section>
            if let Some(date) = date {
                <DayHeartRate day={date.to_string()} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DayHeartRateProps {
    day: AttrValue,
}

/// Heart rate through the whole (UTC) day, five-minute readings, gaps where the ring was off.
#[function_component(DayHeartRate)]
fn day_heart_rate(props: &DayHeartRateProps) -> Html {
    let series = use_fetch_with(props.day.clone(), |day| {
        let date = Date::parse(
            day,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap_or(Date::MIN);
        api::heart_rate_of_day(date)
    });
    let body = match &series.state {
        Fetch::Loading => html! { <Loading label="Loading heart rate…" /> },
        Fetch::Failed(error) => html! {
            <ErrorPanel title="Heart rate could not be loaded" error={error.clone()} on_retry={series.reload.clone()} />
        },
        Fetch::Ready(series) if series.points.is_empty() => html! {
            <p class="empty">{ "No heart rate for this day (the ring was not worn, or heart rate is not synced this far back)." }</p>
        },
        Fetch::Ready(series) => {
            // One slot per 5 minutes of the day, so gaps show where readings are missing.
            let mut slots: Vec<Option<f64>> = vec![None; 288];
            for point in &series.points {
                if let Some(minute) = format::minute_of_day(&point.at) {
                    slots[(minute / 5).min(287) as usize] = Some(point.bpm as f64);
                }
            }
            series_chart("Heart rate through the day (bpm, UTC)", &slots, 0)
        }
    };
    html! {
        <section class="panel" aria-labelledby="day-hr-title">
            <h1 id="day-hr-title">{ format!("Heart rate on {}", props.day) }</h1>
            { body }
        </section>
    }
}

fn period(period: &SleepPeriod) -> Html {
    let start_minute = format::minute_of_day(&period.bedtime_start).unwrap_or(0);
    let title = match period.kind.as_deref() {
        Some("long_sleep") => "Night",
        Some("late_nap" | "sleep") => "Nap",
        Some("rest") => "Rest",
        _ => "Sleep",
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
                format::minute_of_day(&period.bedtime_end)
                    .map(format::clock)
                    .unwrap_or_default()
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
                <Hypnogram stages={AttrValue::from(period.stages.clone())} {start_minute} />
            }
            { series_chart("Heart rate (bpm)", &period.heart_rate, start_minute) }
            { series_chart("HRV (ms)", &period.hrv, start_minute) }
        </article>
    }
}

/// A 5-minute series through the night, scaled to its own range.
fn series_chart(title: &str, values: &[Option<f64>], start_minute: u32) -> Html {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    if present.is_empty() {
        return Html::default();
    }
    let low = present.iter().copied().fold(f64::INFINITY, f64::min);
    let high = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let frame = Frame {
        width: 640.0,
        height: 140.0,
        left: 40.0,
        right: 8.0,
        top: 10.0,
        bottom: 22.0,
        min: (low - 5.0).floor(),
        max: (high + 5.0).ceil(),
    };
    let end_minute = start_minute + 5 * values.len() as u32;
    html! {
        <figure class="chart">
            <figcaption>{ title }</figcaption>
            <svg viewBox={format!("0 0 {} {}", frame.width, frame.height)} role="img"
                aria-label={format!("{title}: from {low:.0} to {high:.0}")}>
                <text class="axis" x={(frame.left - 6.0).to_string()} y={(frame.y(frame.max) + 4.0).to_string()} text-anchor="end">{ frame.max }</text>
                <text class="axis" x={(frame.left - 6.0).to_string()} y={(frame.y(frame.min)).to_string()} text-anchor="end">{ frame.min }</text>
                <path class="score" d={line_path(values, &frame)} />
                <text class="axis" x={frame.left.to_string()} y={(frame.height - 4.0).to_string()}>{ format::clock(start_minute) }</text>
                <text class="axis" x={(frame.width - frame.right).to_string()} y={(frame.height - 4.0).to_string()} text-anchor="end">{ format::clock(end_minute) }</text>
            </svg>
        </figure>
    }
}
