use crate::router::page_link;
use shared::{DailyScores, Score, ScoreSummary, Summary};
use yew::prelude::*;

use super::missing::{Gaps, why_missing};
use crate::app::Route;
use crate::format;

/// Today: the three scores, each against its 7-day average, with what made it up (from the
/// `recent` days, newest last), or why there is none (`gaps`).
pub fn score_cards(summary: &Summary, recent: &[DailyScores], gaps: &Gaps) -> Html {
    let latest = |pick: fn(&DailyScores) -> Option<&Score>| {
        recent
            .iter()
            .rev()
            .find_map(|d| pick(d).filter(|s| s.score.is_some()))
    };
    let card = |title, collection, score_summary, score, links_night| ScoreCard {
        title,
        collection,
        rest_mode_days: summary.rest_mode_days,
        gaps,
        summary: score_summary,
        score,
        links_night,
    };
    html! {
        <section class="cards" aria-label="Today">
            { score_card(&card("Sleep", "daily_sleep", &summary.sleep, latest(|d| d.sleep.as_ref()), true)) }
            { score_card(&card("Readiness", "daily_readiness", &summary.readiness, latest(|d| d.readiness.as_ref()), false)) }
            { score_card(&card("Activity", "daily_activity", &summary.activity, latest(|d| d.activity.as_ref()), false)) }
        </section>
    }
}

/// One score's card.
struct ScoreCard<'a> {
    title: &'static str,
    /// Oura's name of the collection behind the score.
    collection: &'static str,
    /// Days in rest mode among the last 90, left out of the baseline.
    rest_mode_days: u32,
    gaps: &'a Gaps,
    summary: &'a ScoreSummary,
    score: Option<&'a Score>,
    /// Offer the night behind the latest score.
    links_night: bool,
}

fn score_card(props: &ScoreCard<'_>) -> Html {
    let summary = &props.summary;
    let Some(latest) = summary.latest else {
        return html! {
            <article class="card" aria-label={format!("{} score", props.title)}>
                <h2>{ props.title }</h2>
                { why_missing(props.gaps, props.collection, "No score in the last 90 days: the ring was not worn, or nothing is synced for them yet.") }
            </article>
        };
    };
    let versus_week = summary
        .last_7_days
        .map(|avg| format::change(latest as f64 - avg, "7-day average"));
    let day = summary.latest_day;
    html! {
        <article class="card" aria-label={format!("{} score", props.title)}>
            <h2>{ props.title }</h2>
            <p class="score"><span class="value">{ latest }</span><span class="muted">{ day.map(|day| format!(" on {day}")).unwrap_or_default() }</span></p>
            if let Some(text) = versus_week {
                <p class="change">{ text }</p>
            }
            if let (true, Some(day)) = (props.links_night, day) {
                { page_link!(Route::night(day), "night-link", { "See the night \u{2192}" }) }
            }
            <p class="muted">
                { match (summary.last_7_days, summary.previous_7_days) {
                    (Some(now), Some(before)) => format!("This week {}, last week {}. ", format::decimal(now, 0), format::decimal(before, 0)),
                    _ => String::new(),
                } }
                { summary.baseline_90_days.map(|b| format!("90-day baseline {} ({} days).", format::decimal(b, 0), summary.baseline_days)).unwrap_or_default() }
                if props.rest_mode_days > 0 {
                    { format!(" {} rest-mode days left out of it.", props.rest_mode_days) }
                }
            </p>
            if let Some(score) = props.score {
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
