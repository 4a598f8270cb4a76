use crate::router::page_link;
use time::{Date, Duration};
use yew::prelude::*;

use crate::api;
use crate::app::Route;
use crate::clock;
use crate::components::{
    DayHeartRate, Gaps, Shell, sleep_period_card, use_session_ended_on, why_no_night,
};
use crate::format;
use crate::hooks::{Fetch, use_chart_width, use_fetch};

#[derive(Properties, PartialEq)]
pub struct NightProps {
    /// The morning the night ended.
    pub day: Date,
}

/// One night: its stages as a hypnogram, heart rate and HRV through the night.
pub fn night(day: Date) -> Html {
    html! { <Shell><NightBody {day} /></Shell> }
}

#[function_component(NightBody)]
fn night_body(props: &NightProps) -> Html {
    let night = use_fetch(api::night(props.day));
    // The tags of the evening before (the night is filed under the morning) and of the day.
    let events = use_fetch(api::events(props.day - Duration::days(1), props.day));
    use_session_ended_on(match &night.state {
        Fetch::Failed(error) => Some(error.clone()),
        _ => None,
    });
    // Why a night has no sleep, as far as the sync knows.
    let health = use_fetch(api::sync_health());
    let sync_status = use_fetch(api::sync_status());
    let gaps = Gaps::of(&health.state, &sync_status.state);
    let periods = use_node_ref();
    let chart_width = use_chart_width(periods.clone());
    let day = props.day;
    let nav = html! {
        <nav class="toolbar" aria-label="Nights">
            { page_link!(Route::night(day - Duration::days(1)), "button secondary", { "\u{2190} Night before" }) }
            { page_link!(Route::Home, "button secondary", { "Dashboard" }) }
            { page_link!(Route::night(day + Duration::days(1)), "button secondary", { "Night after \u{2192}" }) }
        </nav>
    };
    let body = night.view(
        "Loading the night…",
        "This night could not be loaded",
        |night| {
            if night.periods.is_empty() {
                why_no_night(&gaps, day, clock::today())
            } else {
                night
                    .periods
                    .iter()
                    .map(|period| sleep_period_card(period, chart_width))
                    .collect()
            }
        },
    );
    // The day is shown in the person's local time that morning: the offset the night's main
    // sleep (the longest) ended in. Until the night is here, the heart rate waits.
    let offset = match &night.state {
        Fetch::Ready(night) => Some(
            night
                .periods
                .iter()
                .filter(|p| p.kind == shared::SleepKind::LongSleep)
                .max_by_key(|p| p.bedtime_end - p.bedtime_start)
                .map_or(time::UtcOffset::UTC, |p| p.bedtime_end.offset()),
        ),
        Fetch::Failed(_) => Some(time::UtcOffset::UTC),
        Fetch::Loading => None,
    };
    let tags = match &events.state {
        Fetch::Ready(events) if !events.tags.is_empty() => html! {
            <section class="tags" aria-label="Tags">
                <h2>{ "Tags" }</h2>
                <ul>
                    { for events.tags.iter().map(|tag| html! {
                        <li>
                            <strong>{ &tag.name }</strong>
                            <span class="muted">{ format!(" {}{}", tag.day, tag.start.map(|s| format!(" {}", format::clock(format::minute_of_day(s)))).unwrap_or_default()) }</span>
                            { tag.comment.as_deref().filter(|c| *c != tag.name).map(|c| format!(" \u{2014} {c}")).unwrap_or_default() }
                        </li>
                    }) }
                </ul>
            </section>
        },
        _ => html! {},
    };
    let sessions = match &events.state {
        Fetch::Ready(events) if events.sessions.iter().any(|s| s.day == day) => html! {
            <section class="tags" aria-label="Sessions">
                <h2>{ "Sessions" }</h2>
                <ul>
                    { for events.sessions.iter().filter(|s| s.day == day).map(|session| html! {
                        <li>{ session_line(session) }</li>
                    }) }
                </ul>
            </section>
        },
        _ => html! {},
    };
    html! {
        <>
            <section class="panel" aria-labelledby="night-title">
                <h1 id="night-title">{ format!("Night ending {day}") }</h1>
                { nav }
                { tags }
                <div ref={periods}>{ body }</div>
                { sessions }
            </section>
            if let Some(offset) = offset {
                <DayHeartRate {day} {offset} />
            }
        </>
    }
}

/// `Meditation at 15:02, 12 min, mood good: heart rate 64 bpm (lowest 58), HRV 41 ms`.
fn session_line(session: &shared::Session) -> String {
    let mut line = format::label(session.kind.as_deref().unwrap_or("session"));
    if let Some(start) = session.start {
        line += &format!(" at {}", format::clock(format::minute_of_day(start)));
    }
    if let (Some(start), Some(end)) = (session.start, session.end) {
        let minutes = usize::try_from((end - start).whole_minutes()).unwrap_or(0);
        line += &format!(", {}", format::duration_minutes(minutes));
    }
    if let Some(mood) = &session.mood {
        line += &format!(", mood {mood}");
    }
    let mut measures = Vec::new();
    if let Some(average) = session.average_heart_rate {
        let lowest = session
            .lowest_heart_rate
            .map(|l| format!(" (lowest {})", format::decimal(l, 0)))
            .unwrap_or_default();
        measures.push(format!(
            "heart rate {} bpm{lowest}",
            format::decimal(average, 0)
        ));
    }
    if let Some(hrv) = session.average_hrv {
        measures.push(format!("HRV {} ms", format::decimal(hrv, 0)));
    }
    if !measures.is_empty() {
        line += &format!(": {}", measures.join(", "));
    }
    line
}
