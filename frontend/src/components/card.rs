//! The pieces every dashboard card is made of, written once so that every card reads alike.

use shared::DailyScores;
use time::Date;
use yew::prelude::*;

/// The newest of the `recent` days (newest last) that has a value for `pick`: its day and the
/// value.
pub fn latest<'a, T>(
    recent: &'a [DailyScores],
    pick: impl Fn(&'a DailyScores) -> Option<&'a T>,
) -> Option<(Date, &'a T)> {
    recent.iter().rev().find_map(|d| Some((d.day, pick(d)?)))
}

/// A card: `title` as its heading and its accessible name, then `body`.
pub fn card(title: &'static str, body: Html) -> Html {
    html! {
        <article class="card" aria-label={title}><h2>{ title }</h2>{ body }</article>
    }
}

/// A card's latest value: `value` (then `unit`, if any) and the day it is from, and under it
/// `note`, a line about it.
pub struct Reading {
    pub value: String,
    pub unit: &'static str,
    /// A word rather than a number (`Restored`): set in a smaller size.
    pub is_word: bool,
    pub day: Date,
    pub note: String,
}

pub fn reading(reading: Reading) -> Html {
    let Reading {
        value,
        unit,
        is_word,
        day,
        note,
    } = reading;
    html! {
        <>
            <p class="score">
                if is_word {
                    <span class="value small">{ value }</span>
                } else {
                    <span class="value">{ value }</span>
                }
                if !unit.is_empty() {
                    <span class="muted">{ unit }</span>
                }
                <span class="muted">{ format!(" on {day}") }</span>
            </p>
            <p class="muted">{ note }</p>
        </>
    }
}

/// What shows instead of a value: why there is none.
pub fn empty(text: impl Into<AttrValue>) -> Html {
    empty_line(text.into())
}

/// [`empty`]'s markup, not generic: in the wasm once, whatever text type the callers pass.
fn empty_line(text: AttrValue) -> Html {
    html! { <p class="empty">{ text }</p> }
}
