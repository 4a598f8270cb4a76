use crate::router::navigate;
use time::{Date, Duration};
use yew::prelude::*;

use crate::api;
use crate::app::Route;
use crate::clock;
use crate::components::{
    Gaps, Marker, MarkerKind, Scale, Shell, SyncBar, TrendChart, error_panel, heart_cards, loading,
    score_cards, use_session_ended_on, wellbeing_cards,
};
use crate::format;
use crate::hooks::{Fetch, use_fetch};

/// The ranges the trends can show, in days.
const RANGES: [i64; 4] = [7, 30, 90, 365];

/// The start page when signed in: today's scores, the trends, sync and export.
pub fn dashboard() -> Html {
    html! { <Shell><DashboardBody /></Shell> }
}

#[function_component(DashboardBody)]
fn dashboard_body() -> Html {
    let today = *use_state(clock::today);
    let range = use_state(|| 30i64);
    let periods_back = use_state(|| 0i64);
    let end = today - Duration::days(*range * *periods_back);
    let start = end - Duration::days(*range - 1);

    let open_night = Callback::from(|day: Date| navigate(&Route::night(day)));
    let summary = use_fetch(api::summary());
    let recent = use_fetch(api::daily_range(today - Duration::days(6), today));
    let daily = use_fetch(api::daily_columns(start, end));
    let events = use_fetch(api::events(start, end));
    let insights = use_fetch(api::insights());
    let health = use_fetch(api::sync_health());
    let sync_status = use_fetch(api::sync_status());
    use_session_ended_on(match &summary.state {
        Fetch::Failed(error) => Some(error.clone()),
        _ => None,
    });

    let on_synced = {
        let reloads = [
            summary.reload.clone(),
            recent.reload.clone(),
            daily.reload.clone(),
            events.reload.clone(),
            insights.reload.clone(),
            health.reload.clone(),
            sync_status.reload.clone(),
        ];
        Callback::from(move |()| reloads.iter().for_each(|reload| reload.emit(())))
    };

    // Why a card is empty, as far as the sync knows; the cards do not wait for it.
    let gaps = Gaps::of(&health.state, &sync_status.state);
    // How far each chart's collection is synced: says why a day has no value.
    let sleep_sync = gaps.sync_of("daily_sleep");
    let readiness_sync = gaps.sync_of("daily_readiness");
    let activity_sync = gaps.sync_of("daily_activity");
    let cards = match (&summary.state, &recent.state) {
        (Fetch::Ready(summary), Fetch::Ready(recent)) => html! {
            <>
                { score_cards(summary, recent, &gaps) }
                { wellbeing_cards(recent, &gaps) }
                { heart_cards(recent, &gaps) }
            </>
        },
        (Fetch::Failed(error), _) | (_, Fetch::Failed(error)) => {
            error_panel("Your scores could not be loaded", error, &summary.reload)
        }
        _ => loading("Loading your scores…"),
    };

    let range_buttons = RANGES.iter().map(|days| {
        let (range_state, periods_back) = (range.clone(), periods_back.clone());
        let days = *days;
        html! {
            <button type="button" class="button secondary" aria-pressed={(*range == days).to_string()}
                onclick={move |_| { range_state.set(days); periods_back.set(0); }}>
                { format!("{days} days") }
            </button>
        }
    });
    let earlier = {
        let periods_back = periods_back.clone();
        Callback::from(move |_| periods_back.set(*periods_back + 1))
    };
    let later = {
        let periods_back = periods_back.clone();
        Callback::from(move |_| periods_back.set((*periods_back - 1).max(0)))
    };

    let charts = daily.view("Loading your trends…", "Your trends could not be loaded", |columns| {
            let axis = dates(start, end);
            let baseline = |pick: fn(&shared::Summary) -> Option<f64>| match &summary.state {
                Fetch::Ready(summary) => pick(summary),
                _ => None,
            };
            // Events draw over the charts once they are here; the charts do not wait for them.
            let (tags, workouts, rest_days) = match &events.state {
                Fetch::Ready(events) => (
                    tag_markers(events),
                    workout_markers(events),
                    rest_days(events, &axis, today),
                ),
                _ => Default::default(),
            };
            html! {
                <div class="chart-grid">
                    <TrendChart title="Sleep score" days={axis.clone()} values={series(&axis, &columns.days, &scores(&columns.sleep))}
                        baseline={baseline(|s| s.sleep.baseline_90_days)} on_select={open_night.clone()}
                        markers={tags.clone()} rest_days={rest_days.clone()} sync={sleep_sync} {today} />
                    <TrendChart title="Readiness score" days={axis.clone()} values={series(&axis, &columns.days, &scores(&columns.readiness))}
                        baseline={baseline(|s| s.readiness.baseline_90_days)} markers={tags} rest_days={rest_days.clone()} sync={readiness_sync} {today} />
                    <TrendChart title="Activity score" days={axis.clone()} values={series(&axis, &columns.days, &scores(&columns.activity))}
                        baseline={baseline(|s| s.activity.baseline_90_days)} markers={workouts} rest_days={rest_days.clone()} sync={activity_sync} {today} />
                    <TrendChart title="Body temperature" days={axis.clone()} values={series(&axis, &columns.days, &columns.temperature_deviation)}
                        trend={series(&axis, &columns.days, &columns.temperature_trend_deviation)}
                        baseline={Some(0.0)} scale={Scale::Celsius} {rest_days} sync={readiness_sync} {today} />
                </div>
            }
    });

    html! {
        <>
            <SyncBar {on_synced} />
            { cards }
            <section class="panel trends" aria-labelledby="trends-title">
                <div class="trends-head">
                    <h1 id="trends-title">{ "Trends" }</h1>
                    <div class="toolbar" role="group" aria-label="Range">{ for range_buttons }</div>
                </div>
                <div class="toolbar" role="group" aria-label="Dates">
                    <button type="button" class="button secondary" onclick={earlier}>{ "\u{2190} Earlier" }</button>
                    <span class="range-label">{ format!("{start} to {end}") }</span>
                    <button type="button" class="button secondary" onclick={later} disabled={*periods_back == 0}>{ "Later \u{2192}" }</button>
                    <span class="spacer"></span>
                    <a class="button secondary" href={api::export_url(start, end, api::ExportFormat::Csv)} download="">{ "Export CSV" }</a>
                    <a class="button secondary" href={api::export_url(start, end, api::ExportFormat::Json)} download="">{ "Export JSON" }</a>
                </div>
                { charts }
            </section>
            <section class="panel" aria-labelledby="insights-title">
                <h1 id="insights-title">{ "Insights" }</h1>
                <p class="muted">{ "Computed from your last year of data. They describe what went together, not what caused what." }</p>
                { insights.view("Computing insights…", "Insights could not be computed", |list| list.iter().map(insight_card).collect::<Html>()) }
            </section>
        </>
    }
}

/// One insight; one its sample does not bear out is set apart.
fn insight_card(insight: &shared::Insight) -> Html {
    let label = insight.title.clone();
    let body = html! {
        <>
            <h2>{ &insight.title }</h2>
            <p>{ &insight.finding }</p>
            <p class="muted">{ format!("Based on {} days.", insight.sample_size) }</p>
        </>
    };
    if insight.conclusive {
        html! { <article class="insight" aria-label={label}>{ body }</article> }
    } else {
        html! { <article class="insight inconclusive" aria-label={label}>{ body }</article> }
    }
}

/// Every day from `start` through `end`.
fn dates(start: Date, end: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut day = start;
    while day <= end {
        out.push(day);
        day += Duration::days(1);
    }
    out
}

/// One value per day of `axis`; `None` where there is none. `days` is sorted (the API
/// answers oldest first) and `values` aligned with it.
fn series(axis: &[Date], days: &[Date], values: &[Option<f64>]) -> Vec<Option<f64>> {
    axis.iter()
        .map(|day| {
            let index = days.binary_search(day).ok()?;
            values.get(index).copied().flatten()
        })
        .collect()
}

/// The tags, marked on their day: name, local time and comment.
fn tag_markers(events: &shared::Events) -> Vec<Marker> {
    events
        .tags
        .iter()
        .map(|tag| {
            let mut label = tag.name.clone();
            if let Some(start) = tag.start {
                label += &format!(" {}", format::clock(format::minute_of_day(start)));
            }
            if let Some(comment) = tag
                .comment
                .as_deref()
                .filter(|c| !c.is_empty() && *c != tag.name)
            {
                label += &format!(": {comment}");
            }
            Marker {
                day: tag.day,
                kind: MarkerKind::Tag,
                label,
            }
        })
        .collect()
}

/// The workouts, marked on their day: what, how long, how hard, how much.
fn workout_markers(events: &shared::Events) -> Vec<Marker> {
    events
        .workouts
        .iter()
        .map(|workout| {
            let mut parts = vec![format::label(
                workout
                    .label
                    .as_deref()
                    .or(workout.activity.as_deref())
                    .unwrap_or("workout"),
            )];
            if let (Some(start), Some(end)) = (workout.start, workout.end) {
                let minutes = usize::try_from((end - start).whole_minutes()).unwrap_or(0);
                parts.push(format::duration_minutes(minutes));
            }
            parts.extend(workout.intensity.clone());
            parts.extend(
                workout
                    .calories
                    .map(|c| format!("{} kcal", format::decimal(c, 0))),
            );
            parts.extend(
                workout
                    .distance_meters
                    .filter(|d| *d > 0.0)
                    .map(|d| format!("{} km", format::decimal(d / 1000.0, 1))),
            );
            Marker {
                day: workout.day,
                kind: MarkerKind::Workout,
                label: parts.join(", "),
            }
        })
        .collect()
}

/// The days of `axis` in rest mode.
fn rest_days(events: &shared::Events, axis: &[Date], today: Date) -> Vec<Date> {
    axis.iter()
        .copied()
        .filter(|day| events.in_rest_mode(*day, today))
        .collect()
}

/// Whole-number scores as chart values.
fn scores(values: &[Option<i64>]) -> Vec<Option<f64>> {
    values.iter().map(|v| v.map(|s| s as f64)).collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_series_puts_each_score_on_its_day_and_leaves_gaps_empty() {
        let axis = dates(date!(2026 - 01 - 01), date!(2026 - 01 - 04));
        let days = [date!(2026 - 01 - 02), date!(2026 - 01 - 04)];

        let values = series(&axis, &days, &scores(&[Some(71), None]));

        assert_eq!(values, [None, Some(71.0), None, None]);
    }
}
