//! [`WebhookWatch`]: whether Oura's events arrive for each data type. Deliveries get lost and
//! subscriptions can break without a word; a data type silent for too long is polled again
//! (the background sync runs at the polling interval) until its events come back.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use shared::WebhookState;

use super::subscriptions::DATA_TYPES;
use crate::oura::Collection;
use crate::store::{Store, now};

/// An instance writes a collection's last event at most this often (seconds): events come
/// in bursts, and silence is counted in hours.
const WRITE_EVERY_SECS: i64 = 60;

/// The data types Oura writes for every day a ring is worn, so a day without an event of
/// theirs means lost deliveries or a broken subscription. The others (workouts, tags, a VO2
/// max estimate, a new ring, ...) come when they come: a person who never tags anything
/// would otherwise keep the whole app polling hourly.
const EVERY_DAY: [Collection; 4] = [
    Collection::Sleep,
    Collection::SleepPeriods,
    Collection::Readiness,
    Collection::Activity,
];

/// Watches the events of every data type the app subscribes to.
pub struct WebhookWatch {
    store: Store,
    /// How long a data type may go without an event before it is polled again.
    silence: Duration,
    /// How often users are synced while some data type is silent.
    poll_interval: Duration,
    /// Silence is counted from here at the earliest: a new subscription has had no chance.
    started_at: i64,
    /// When this instance last wrote each collection's last event.
    written: Mutex<HashMap<Collection, i64>>,
}

impl WebhookWatch {
    /// A watch over the events recorded in `store`.
    pub fn new(store: Store, silence: Duration, poll_interval: Duration) -> Self {
        Self {
            store,
            silence,
            poll_interval,
            started_at: now(),
            written: Mutex::default(),
        }
    }

    /// How often users are synced while some data type is silent.
    pub fn poll_interval(&self) -> Duration {
        self.poll_interval
    }

    /// An event for `collection` arrived now.
    pub async fn heard(&self, collection: Collection) -> anyhow::Result<()> {
        let now = now();
        {
            let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            if written
                .get(&collection)
                .is_some_and(|at| now - at < WRITE_EVERY_SECS)
            {
                return Ok(());
            }
            written.insert(collection, now);
        }
        self.store
            .record_webhook_event(collection.name(), now)
            .await
    }

    /// Each collection's state and last event (Unix seconds), in [`Collection::ALL`]'s order.
    pub async fn states(&self) -> anyhow::Result<Vec<(Collection, WebhookState, Option<i64>)>> {
        let activity: HashMap<String, i64> =
            self.store.webhook_activity().await?.into_iter().collect();
        let now = now();
        let silence = i64::try_from(self.silence.as_secs()).unwrap_or(i64::MAX);
        Ok(Collection::ALL
            .into_iter()
            .map(|collection| {
                let last = activity.get(collection.name()).copied();
                let state = state_of(collection, last, self.started_at, now, silence);
                (collection, state, last)
            })
            .collect())
    }

    /// Whether any data type has been silent too long.
    pub async fn any_silent(&self) -> anyhow::Result<bool> {
        Ok(self
            .states()
            .await?
            .iter()
            .any(|(_, state, _)| *state == WebhookState::Silent))
    }
}

/// A collection's state at `now`, given its last event and when the watch began (Unix
/// seconds), and how long a silence may last (seconds).
fn state_of(
    collection: Collection,
    last: Option<i64>,
    started_at: i64,
    now: i64,
    silence: i64,
) -> WebhookState {
    if !offered(collection) {
        return WebhookState::NotOffered;
    }
    let heard_or_started = last.unwrap_or(0).max(started_at);
    let expected_daily = EVERY_DAY.contains(&collection);
    match last {
        _ if expected_daily && now - heard_or_started > silence => WebhookState::Silent,
        Some(_) => WebhookState::Live,
        None => WebhookState::Waiting,
    }
}

/// Whether Oura offers a webhook for `collection` (not for heart rate or the battery).
fn offered(collection: Collection) -> bool {
    DATA_TYPES
        .iter()
        .any(|data_type| Collection::from_webhook_data_type(data_type) == Some(collection))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heart_rate_and_the_battery_have_no_webhook_and_the_daily_collections_have() {
        assert!(!offered(Collection::HeartRate));
        assert!(!offered(Collection::Battery));
        for collection in [
            Collection::Sleep,
            Collection::SleepPeriods,
            Collection::Tags,
        ] {
            assert!(offered(collection), "{collection:?}");
        }
    }

    #[test]
    fn a_data_type_is_silent_once_no_event_came_for_longer_than_the_silence() {
        let (started, silence) = (1_000, 100);
        let state = |last, now| state_of(Collection::Sleep, last, started, now, silence);

        assert_eq!(
            state(None, 1_050),
            WebhookState::Waiting,
            "new: no chance yet"
        );
        assert_eq!(state(None, 1_101), WebhookState::Silent);
        assert_eq!(state(Some(1_090), 1_150), WebhookState::Live);
        assert_eq!(state(Some(1_090), 1_191), WebhookState::Silent);
        assert_eq!(
            state_of(Collection::HeartRate, None, started, 9_999, silence),
            WebhookState::NotOffered
        );
    }

    #[test]
    fn a_data_type_that_comes_when_it_comes_is_never_silent() {
        let (started, silence) = (1_000, 100);
        for collection in [Collection::Workouts, Collection::Tags, Collection::Vo2Max] {
            let state = |last, now| state_of(collection, last, started, now, silence);
            assert_eq!(state(None, 9_999), WebhookState::Waiting, "{collection:?}");
            assert_eq!(
                state(Some(1_090), 9_999),
                WebhookState::Live,
                "{collection:?}"
            );
        }
    }
}
