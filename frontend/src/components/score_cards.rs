use shared::{DailyScores, Score, ScoreSummary, Summary};
use yew::prelude::*;
use yew_router::prelude::*;

use super::missing::{Gaps, why_missing};
use crate::app::Route;
use crate::format;

#[derive(Properties, PartialEq)]
pub struct ScoreCardsProps {
    pub summary: Summary,
    /// The most recent days, newest last, for the contributors of the latest score.
    pub recent: Vec<DailyScores>,
    /// What the sync knows about why a score is missing.
    pub gaps: Gaps,
}

/// Today: the three scores, each against its 7-day average, with what made it up.
#[function_component(ScoreCards)]
pub fn score_cards(props: &ScoreCardsProps) -> Html {
    let latest = |pick: fn(&DailyScores) -> Option<&Score>| {
        props
            .recent
            .iter()
            .rev()
            .find_map(|d| pick(d).filter(|s| s.score.is_some()))
            .cloned()
    };
    html! {
        <section class="cards" aria-label="Today">
            <ScoreCard title="Sleep" collection="daily_sleep" summary={props.summary.sleep.clone()} score={latest(|d| d.sleep.as_ref())}
                rest_mode_days={props.summary.rest_mode_days} gaps={props.gaps.clone()} links_night=true />
            <ScoreCard title="Readiness" collection="daily_readiness" summary={props.summary.readiness.clone()} score={latest(|d| d.readiness.as_ref())}
                rest_mode_days={props.summary.rest_mode_days} gaps={props.gaps.clone()} />
            <ScoreCard title="Activity" collection="daily_activity" summary={props.summary.activity.clone()} score={latest(|d| d.activity.as_ref())}
                rest_mode_days={props.summary.rest_mode_days} gaps={props.gaps.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ScoreCardProps {
    title: AttrValue,
    /// Oura's name of the collection behind the score.
    collection: AttrValue,
    /// Days in rest mode among the last 90, left out of the baseline.
    rest_mode_days: u32,
    gaps: Gaps,
    summary: ScoreSummary,
    score: Option<Score>,
    /// Offer the night behind the latest score.
    #[prop_or_default]
    links_night: bool,
}

#[function_component(ScoreCard)]
fn score_card(props: &ScoreCardProps) -> Html {
    let summary = &props.summary;
    let Some(latest) = summary.latest else {
        return html! {
            <article class="card" aria-label={format!("{} score", props.title)}>
                <h2>{ props.title.clone() }</h2>
                { why_missing(&props.gaps, &props.collection, "No score in the last 90 days: the ring was not worn, or nothing is synced for them yet.") }
            </article>
        };
    };
    let versus_week = summary
        .last_7_days
        .map(|avg| format::change(latest as f64 - avg, "7-day average"));
    let day = summary.latest_day;
    html! {
        <article class="card" aria-label={format!("{} score", props.title)}>
            <h2>{ props.title.clone() }</h2>
            <p class="score"><span class="value">{ latest }</span><span class="muted">{ day.map(|day| format!(" on {day}")).unwrap_or_default() }</span></p>
            if let Some(text) = versus_week {
                <p class="change">{ text }</p>
            }
            if let (true, Some(day)) = (props.links_night, day) {
                <Link<Route> to={Route::night(day)} classes="night-link">{ "See the night \u{2192}" }</Link<Route>>
            }
            <p class="muted">
                { match (summary.last_7_days, summary.previous_7_days) {
                    (Some(now), Some(before)) => format!("This week {now:.0}, last week {before:.0}. "),
                    _ => String::new(),
                } }
                { summary.baseline_90_days.map(|b| format!("90-day baseline {b:.0} ({} days).", summary.baseline_days)).unwrap_or_default() }
                if props.rest_mode_days > 0 {
                    { format!(" {} rest-mode days left out of it.", props.rest_mode_days) }
                }
            </p>
            if let Some(score) = &props.score {
                <dl class="contributors">
                    { for score.contributors.iter().map(|(name, value)| html! {
                        <div class="contributor">
                            <dt>{ format::label(name) }</dt>
                            <dd>
                                if let Some(value) = value {
                                    <meter min="0" max="100" low="60" high="85" optimum="100" value={value.to_string()}
                                        aria-label={format!("{} {value}", format::label(name))}>{ *value }</meter>
                                    <span class="muted">{ *value }</span>
                                } else {
                                    <span class="muted">{ "—" }</span>
                                }
                            </dd>
                        </div>
                    }) }
                </dl>
            }
        </article>
    }
}
