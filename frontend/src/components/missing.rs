//! Why a card has no value, in words: what the sync knows first (Oura refused it, or it is
//! not synced yet), then what the card knows (the ring not worn, a baseline forming).

use shared::{Refusal, SyncHealth, SyncState, SyncStatus, routes};
use time::{Date, OffsetDateTime};
use yew::prelude::*;

use super::empty;
use crate::format;
use crate::hooks::Fetch;

/// What the sync knows about the gaps: each collection's health, and the next sync.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gaps {
    pub health: Option<SyncHealth>,
    pub next_sync_at: Option<OffsetDateTime>,
    /// A sync is under way (the first one, say): it will bring what is not synced yet.
    pub syncing: bool,
}

impl Gaps {
    /// The gaps as far as the sync health and status that have arrived say.
    pub fn of(health: &Fetch<SyncHealth>, status: &Fetch<SyncStatus>) -> Self {
        Self {
            health: match health {
                Fetch::Ready(health) => Some((**health).clone()),
                _ => None,
            },
            next_sync_at: match status {
                Fetch::Ready(status) => status.next_sync_at,
                _ => None,
            },
            syncing: matches!(status, Fetch::Ready(status) if status.state == SyncState::Running),
        }
    }

    /// What a card or a night the sync has not reached says.
    fn not_synced_yet(&self) -> String {
        not_synced_yet(self.next_sync_at.map(format::timestamp), self.syncing)
    }

    /// How far `collection` is synced and whether Oura refused it; `None` until the sync
    /// health is here, or when it does not list the collection.
    pub fn sync_of(&self, collection: &str) -> Option<CollectionSync> {
        let found = self
            .health
            .as_ref()?
            .collections
            .iter()
            .find(|c| c.collection == collection)?;
        Some(CollectionSync {
            synced_through: found.synced_through,
            refused: found.refused,
        })
    }
}

/// What the sync knows of one collection's gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollectionSync {
    /// Every day through this one is stored.
    pub synced_through: Option<Date>,
    /// Why Oura would not share the collection, when it refused.
    pub refused: Option<Refusal>,
}

/// Why a day has no value, when Oura shares the collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayGap {
    /// The sync has not reached the day.
    NotSyncedYet,
    /// The day is in a rest-mode period.
    RestMode,
    /// The day is synced and Oura has nothing for it: the ring was not worn, or not long
    /// enough to score.
    NotWorn,
    /// Today, synced, and nothing in Oura yet: a day's scores come after its night, and the
    /// ring's data reaches Oura only when the Oura app syncs with it. Not "ring not worn":
    /// nobody can say that before the day is over.
    NotInOuraYet,
}

impl DayGap {
    /// Why `day` has no value, from how far its collection is synced and what day it is.
    pub fn of(day: Date, sync: CollectionSync, in_rest_mode: bool, today: Date) -> Self {
        match sync.synced_through {
            Some(through) if day <= through && in_rest_mode => Self::RestMode,
            Some(through) if day <= through && day >= today => Self::NotInOuraYet,
            Some(through) if day <= through => Self::NotWorn,
            _ => Self::NotSyncedYet,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Self::NotSyncedYet => "not synced yet",
            Self::RestMode => "rest mode",
            Self::NotWorn => "ring not worn",
            Self::NotInOuraYet => "not in Oura yet",
        }
    }
}

/// `3 of 30 days without data: 2 ring not worn, 1 not synced yet`, the commonest reason
/// first. `gaps` holds one entry per day without data, with its reason where it is known
/// (not until the sync health has arrived): every such day counts, known reason or not.
pub fn gap_summary(count: usize, gaps: &[Option<DayGap>]) -> String {
    let summary = format!("{} of {count} days without data", gaps.len());
    let counted: Vec<(usize, DayGap)> = [
        DayGap::NotWorn,
        DayGap::NotSyncedYet,
        DayGap::RestMode,
        DayGap::NotInOuraYet,
    ]
    .into_iter()
    .map(|reason| (gaps.iter().filter(|g| **g == Some(reason)).count(), reason))
    .filter(|(n, _)| *n > 0)
    .collect();
    if counted.is_empty() {
        return summary;
    }
    // The commonest first, ties in the order above: each count from the highest down, rather
    // than a sort, whose routine would be a kilobyte of the wasm for four entries.
    let most = counted.iter().map(|(n, _)| *n).max().unwrap_or(0);
    let reasons: Vec<String> = (1..=most)
        .rev()
        .flat_map(|n| counted.iter().filter(move |(count, _)| *count == n))
        .map(|(n, reason)| format!("{n} {}", reason.words()))
        .collect();
    format!("{summary}: {}", reasons.join(", "))
}

/// What Oura's refusal means, in words, with the way out where there is one.
pub fn refusal_notice(refusal: Refusal) -> Html {
    match refusal {
        Refusal::NotGranted => html! {
            <p class="empty">
                { "Oura did not share this: its permission was not granted on Oura's consent page. " }
                <a href={routes::LOGIN}>{ "Grant access" }</a>
            </p>
        },
        Refusal::MembershipRequired => empty(
            "Oura shares this only with an active Oura membership (Gen3 and later rings need one).",
        ),
        Refusal::AppTooOld => {
            empty("Update the Oura app on your phone: this version is too old to share it.")
        }
    }
}

/// Why `collection` has nothing to show; `otherwise` when the sync knows of no reason.
pub fn why_missing(gaps: &Gaps, collection: &str, otherwise: &str) -> Html {
    match gaps.sync_of(collection) {
        Some(CollectionSync {
            refused: Some(refusal),
            ..
        }) => refusal_notice(refusal),
        Some(CollectionSync {
            synced_through: None,
            ..
        }) => empty(gaps.not_synced_yet()),
        _ => empty(otherwise.to_owned()),
    }
}

/// Why the night that ended on `day` has no sleep recorded, `today` being today.
pub fn why_no_night(gaps: &Gaps, day: Date, today: Date) -> Html {
    let Some(sync) = gaps.sync_of("sleep") else {
        return empty("No sleep recorded for this night.");
    };
    if let Some(refusal) = sync.refused {
        return refusal_notice(refusal);
    }
    match DayGap::of(day, sync, false, today) {
        DayGap::NotSyncedYet => empty(format!(
            "No sleep for this night yet: {}",
            format::uncapitalised(&gaps.not_synced_yet())
        )),
        DayGap::NotInOuraYet => empty(
            "This night is not in Oura yet: it reaches Oura when the Oura app on your phone syncs with the ring.",
        ),
        _ => empty(
            "No sleep recorded for this night: the ring was not worn, or not long enough for Oura to record a sleep.",
        ),
    }
}

/// What a day or a card the sync has not reached says: when the next sync runs, or that the
/// one under way brings it (not "press Sync now" while the bar above shows a sync running).
fn not_synced_yet(next_sync_at: Option<String>, syncing: bool) -> String {
    if syncing {
        return "Not synced yet: the sync under way brings it.".to_owned();
    }
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
            not_synced_yet(Some(at.clone()), false),
            "Not synced yet. The next sync runs at about 2026-11-25 10:00 UTC, or press Sync now."
        );
        assert_eq!(
            not_synced_yet(None, false),
            "Not synced yet: press Sync now."
        );
        assert_eq!(
            not_synced_yet(Some(at), true),
            "Not synced yet: the sync under way brings it.",
            "no 'press Sync now' while a sync runs"
        );
    }

    fn synced_through(day: Option<Date>) -> CollectionSync {
        CollectionSync {
            synced_through: day,
            refused: None,
        }
    }

    #[test]
    fn a_day_past_the_sync_is_not_synced_yet_and_a_synced_one_was_not_worn() {
        let sync = synced_through(Some(time::macros::date!(2026 - 11 - 20)));

        let today = time::macros::date!(2026 - 11 - 25);

        assert_eq!(
            DayGap::of(time::macros::date!(2026 - 11 - 21), sync, false, today),
            DayGap::NotSyncedYet
        );
        assert_eq!(
            DayGap::of(time::macros::date!(2026 - 11 - 20), sync, false, today),
            DayGap::NotWorn
        );
        assert_eq!(
            DayGap::of(time::macros::date!(2026 - 11 - 19), sync, true, today),
            DayGap::RestMode
        );
        assert_eq!(
            DayGap::of(
                time::macros::date!(2026 - 01 - 01),
                synced_through(None),
                true,
                today
            ),
            DayGap::NotSyncedYet,
            "nothing synced"
        );
    }

    #[test]
    fn today_synced_without_a_value_is_not_in_oura_yet_rather_than_not_worn() {
        let today = time::macros::date!(2026 - 11 - 20);
        let sync = synced_through(Some(today));

        assert_eq!(DayGap::of(today, sync, false, today), DayGap::NotInOuraYet);
        assert_eq!(
            DayGap::of(today.previous_day().unwrap(), sync, false, today),
            DayGap::NotWorn,
            "yesterday is over: it was not worn"
        );
        assert_eq!(
            DayGap::of(today, synced_through(today.previous_day()), false, today),
            DayGap::NotSyncedYet,
            "today not reached by the sync"
        );
        assert_eq!(DayGap::of(today, sync, true, today), DayGap::RestMode);
    }

    #[test]
    fn a_gap_summary_counts_each_reason_commonest_first() {
        let gaps = [
            Some(DayGap::NotSyncedYet),
            Some(DayGap::NotWorn),
            Some(DayGap::NotWorn),
            Some(DayGap::RestMode),
        ];

        assert_eq!(
            gap_summary(30, &gaps),
            "4 of 30 days without data: 2 ring not worn, 1 not synced yet, 1 rest mode"
        );
        assert_eq!(gap_summary(30, &[]), "0 of 30 days without data");
    }

    #[test]
    fn days_without_data_count_before_their_reasons_are_known() {
        // The sync health has not arrived yet: the days are missing all the same.
        assert_eq!(gap_summary(30, &[None, None]), "2 of 30 days without data");
        assert_eq!(
            gap_summary(30, &[None, Some(DayGap::NotWorn)]),
            "2 of 30 days without data: 1 ring not worn"
        );
    }
}
