//! Sync: Oura's daily collections, sleep periods and heart rate into the warehouse. A backfill (two years by default), then
//! incremental runs that re-read a few days of overlap, because Oura revises recent days.
//! Work goes in date windows, page by page: every page is stored in one transaction, and a
//! collection's progress advances only when a window is complete, so a crash or a kill
//! resumes where it stopped, and running twice changes nothing. One sync per user at a time,
//! across instances too (a lease in the database).

mod documents;

use std::sync::Arc;
use std::time::Duration;

use time::{Date, OffsetDateTime};

use crate::error::ApiError;
use crate::oura::{Collection, OuraApi, PageRequest, UserTokens};
use crate::store::Store;

/// How a sync is paced and how far back it reaches.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// How far back the first sync reaches.
    pub backfill_days: i64,
    /// How far back the first sync of heart rate reaches (about 300 readings a day).
    pub heart_rate_backfill_days: i64,
    /// How many recent days every later sync reads again.
    pub overlap_days: i64,
    /// Days per request window (Oura answers two years in one call for daily collections).
    pub window_days: i64,
    /// Retries of one page after a 429 or a passing failure.
    pub max_retries: u32,
    /// The longest wait for one retry, whatever `Retry-After` says.
    pub max_wait: Duration,
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self {
            backfill_days: 730,
            heart_rate_backfill_days: 730,
            overlap_days: 3,
            window_days: 365,
            max_retries: 4,
            max_wait: Duration::from_secs(60),
        }
    }
}

/// How long one instance holds a user's sync before another may take it over.
const LEASE_SECS: i64 = 300;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("a sync for this user is already running")]
    AlreadyRunning,
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub windows: i64,
    pub pages: i64,
    pub documents: i64,
    /// Collections Oura refused (403), left out of this run.
    pub refused: Vec<&'static str>,
}

/// One window of days of one collection.
#[derive(Debug, Clone, Copy)]
struct Window {
    collection: Collection,
    first: Date,
    last: Date,
}

pub struct Syncer {
    store: Store,
    api: OuraApi,
    tokens: Arc<UserTokens>,
    settings: SyncSettings,
}

impl Syncer {
    pub fn new(
        store: Store,
        api: OuraApi,
        tokens: Arc<UserTokens>,
        settings: SyncSettings,
    ) -> Self {
        Self {
            store,
            api,
            tokens,
            settings,
        }
    }

    /// Syncs every collection of `user_id` up to today.
    #[tracing::instrument(name = "sync", skip(self))]
    pub async fn run(&self, user_id: &str) -> Result<SyncReport, SyncError> {
        let today = OffsetDateTime::now_utc().date();
        let windows = self.plan(user_id, today).await?;
        let total = i64::try_from(windows.len()).unwrap_or(i64::MAX);
        if !self
            .store
            .try_start_sync(user_id, LEASE_SECS, total)
            .await?
        {
            return Err(SyncError::AlreadyRunning);
        }
        let mut report = SyncReport::default();
        let mut result = Ok(());
        for window in windows {
            if report.refused.contains(&window.collection.name()) {
                self.store.sync_window_done(user_id, LEASE_SECS).await?;
                continue;
            }
            match self.sync_window(user_id, window, &mut report).await {
                // The person did not grant this one (scopes can be unticked on Oura's consent
                // page): the rest still syncs, and the status says what was left out.
                Err(SyncError::Api(ApiError::Forbidden(reason))) => {
                    tracing::info!(
                        collection = window.collection.name(),
                        reason,
                        "Oura refused a collection"
                    );
                    report.refused.push(window.collection.name());
                    self.store.sync_window_done(user_id, LEASE_SECS).await?;
                }
                Err(error) => {
                    result = Err(error);
                    break;
                }
                Ok(()) => {}
            }
        }
        let note = (!report.refused.is_empty()).then(|| {
            format!(
                "Not synced, because Oura did not give access (permission not granted?): {}.",
                report.refused.join(", ")
            )
        });
        match &result {
            Err(error) => {
                self.store
                    .finish_sync(user_id, Some(&error.to_string()), None)
                    .await?
            }
            Ok(()) => {
                self.store
                    .finish_sync(user_id, None, note.as_deref())
                    .await?
            }
        }
        match result {
            Ok(()) => {
                tracing::info!(?report, "sync finished");
                Ok(report)
            }
            Err(error) => {
                tracing::warn!(%error, "sync failed; the next run resumes from the last whole window");
                Err(error)
            }
        }
    }

    /// The windows each collection still needs, oldest first.
    async fn plan(&self, user_id: &str, today: Date) -> anyhow::Result<Vec<Window>> {
        let mut windows = Vec::new();
        for collection in Collection::ALL {
            let depth = if collection == Collection::HeartRate {
                self.settings.heart_rate_backfill_days
            } else {
                self.settings.backfill_days
            };
            let backfill_from = today - time::Duration::days(depth);
            let (from, through) = self
                .store
                .sync_progress(user_id, collection.name(), backfill_from)
                .await?;
            let mut first = match through {
                None => from,
                Some(through) => {
                    (through - time::Duration::days(self.settings.overlap_days)).max(from)
                }
            };
            let window_days = collection
                .max_window_days()
                .map_or(self.settings.window_days, |max| {
                    max.min(self.settings.window_days)
                });
            while first <= today {
                let last = (first + time::Duration::days(window_days - 1)).min(today);
                windows.push(Window {
                    collection,
                    first,
                    last,
                });
                first = last + time::Duration::days(1);
            }
        }
        Ok(windows)
    }

    async fn sync_window(
        &self,
        user_id: &str,
        window: Window,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let name = window.collection.name();
        let mut request = PageRequest::Window {
            first: window.first,
            last: window.last,
        };
        loop {
            let page = self.fetch(user_id, window.collection, &request).await?;
            let stored = if window.collection == Collection::SleepPeriods {
                let periods = documents::parse_sleep_periods(&page.data)?;
                self.store.save_sleep_page(user_id, &periods).await?;
                periods.len()
            } else if window.collection == Collection::HeartRate {
                let readings = documents::parse_heart_rate(&page.data)?;
                self.store.save_heart_rate_page(user_id, &readings).await?;
                readings.len()
            } else {
                let documents = documents::parse(window.collection, &page.data)?;
                self.store
                    .save_daily_page(user_id, name, &documents)
                    .await?;
                documents.len()
            };
            report.pages += 1;
            report.documents += i64::try_from(stored).unwrap_or(0);
            match page.next_token {
                Some(next) => request = PageRequest::Next(next),
                None => break,
            }
        }
        self.store.advance_sync(user_id, name, window.last).await?;
        self.store.sync_window_done(user_id, LEASE_SECS).await?;
        report.windows += 1;
        Ok(())
    }

    /// One page, retried (it is an idempotent GET) after a 429, honouring `Retry-After`, or
    /// after a passing failure, with growing waits; never past `max_retries`.
    async fn fetch(
        &self,
        user_id: &str,
        collection: Collection,
        request: &PageRequest,
    ) -> Result<crate::oura::Page, SyncError> {
        let mut attempt = 0;
        loop {
            let result = self
                .tokens
                .call(user_id, |token| {
                    let api = self.api.clone();
                    let request = request.clone();
                    async move { api.daily_page(collection, &token, &request).await }
                })
                .await;
            let wait = match &result {
                Err(ApiError::UpstreamUnavailable { retry_after, .. }) => *retry_after,
                Err(ApiError::UpstreamTimeout) => Duration::from_secs(1 << attempt.min(5)),
                _ => return result.map_err(SyncError::from),
            };
            if attempt >= self.settings.max_retries {
                return result.map_err(SyncError::from);
            }
            attempt += 1;
            let wait = wait.min(self.settings.max_wait);
            tracing::info!(?wait, attempt, "Oura asked us to wait; retrying the page");
            tokio::time::sleep(wait).await;
        }
    }
}
