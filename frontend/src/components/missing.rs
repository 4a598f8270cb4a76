//! Why a card has no value, in words: what the sync knows first (Oura refused it, or it is
//! not synced yet), then what the card knows (the ring not worn, a baseline forming).

use shared::{Refusal, SyncHealth, routes};
use time::OffsetDateTime;
use yew::prelude::*;

use crate::format;

/// What the sync knows about the gaps: each collection's health, and the next sync.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gaps {
    pub health: Option<SyncHealth>,
    pub next_sync_at: Option<OffsetDateTime>,
}

/// Why `collection` has nothing to show; `otherwise` when the sync knows of no reason.
pub fn why_missing(gaps: &Gaps, collection: &str, otherwise: &str) -> Html {
    let health = gaps
        .health
        .as_ref()
        .and_then(|h| h.collections.iter().find(|c| c.collection == collection));
    match health.and_then(|c| c.refused) {
        Some(Refusal::NotGranted) => html! {
            <p class="empty">
                { "Oura did not share this: its permission was not granted on Oura's consent page. " }
                <a href={routes::LOGIN}>{ "Grant access" }</a>
            </p>
        },
        Some(Refusal::MembershipRequired) => html! {
            <p class="empty">{ "Oura shares this only with an active Oura membership (Gen3 and later rings need one)." }</p>
        },
        Some(Refusal::AppTooOld) => html! {
            <p class="empty">{ "Update the Oura app on your phone: this version is too old to share it." }</p>
        },
        None if health.is_some_and(|c| c.synced_through.is_none()) => html! {
            <p class="empty">{ not_synced_yet(gaps.next_sync_at.map(format::timestamp)) }</p>
        },
        None => html! { <p class="empty">{ otherwise.to_owned() }</p> },
    }
}

fn not_synced_yet(next_sync_at: Option<String>) -> String {
    match next_sync_at {
        Some(at) => format!("Not synced yet. The next sync runs at about {at}, or press Sync now."),
        None => "Not synced yet: press Sync now.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_synced_yet_says_when_the_next_sync_runs() {
        let at = format::timestamp_in(
            time::macros::datetime!(2026-11-25 10:00 UTC),
            time::UtcOffset::UTC,
        );

        assert_eq!(
            not_synced_yet(Some(at)),
            "Not synced yet. The next sync runs at about 2026-11-25 10:00 UTC, or press Sync now."
        );
        assert_eq!(not_synced_yet(None), "Not synced yet: press Sync now.");
    }
}
