//! Sync: Oura's daily collections, sleep periods and heart rate into the warehouse. A backfill (two years by default), then
//! incremental runs that re-read a few days of overlap, because Oura revises recent days.
//! Work goes in date windows, page by page: every page is stored in one transaction, and a
//! collection's progress advances only when a window is complete, so a crash or a kill
//! resumes where it stopped, and running twice changes nothing. One sync per user at a time,
//! across instances too (a lease in the database).

mod documents;

use std::sync::Arc;
use std::time::Duration;

use futures_util::{FutureExt as _, StreamExt as _};
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
    /// Windows fetched at the same time (the pages within a window follow one another).
    pub concurrency: usize,
    /// At most this many requests per `rate_window`, to stay under Oura's limit (5000 per 5 min).
    pub rate_limit: usize,
    pub rate_window: Duration,
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
            concurrency: 8,
            rate_limit: 4800,
            rate_window: Duration::from_secs(300),
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

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn window(collection: Collection, last: Date) -> Window {
        Window {
            collection,
            first: last,
            last,
        }
    }

    #[test]
    fn progress_moves_only_over_windows_with_no_gap_before_them() {
        let windows = [
            window(Collection::Sleep, date!(2026 - 01 - 10)),
            window(Collection::Sleep, date!(2026 - 01 - 20)),
            window(Collection::HeartRate, date!(2026 - 01 - 10)),
            window(Collection::Sleep, date!(2026 - 01 - 30)),
        ];
        let mut progress = Progress::new(&windows);

        assert_eq!(
            progress.done(1),
            None,
            "the first sleep window is not done yet"
        );
        assert_eq!(progress.done(2), Some(date!(2026 - 01 - 10)));
        assert_eq!(
            progress.done(0),
            Some(date!(2026 - 01 - 20)),
            "both sleep windows now"
        );
        assert_eq!(progress.done(3), Some(date!(2026 - 01 - 30)));
    }

    #[tokio::test(start_paused = true)]
    async fn the_pacer_keeps_requests_within_the_budget() {
        let pacer = Pacer::new(3, Duration::from_secs(10));
        let started = tokio::time::Instant::now();

        for _ in 0..7 {
            pacer.wait_turn().await;
        }

        // 3 at once, 3 more after 10 s, the 7th after 20 s.
        assert_eq!(started.elapsed(), Duration::from_secs(20));
    }
}

#[derive(Debug, Default)]
struct WindowCounts {
    pages: i64,
    documents: i64,
}

/// Which windows are done, per collection, and how far each collection is done without gaps.
struct Progress {
    /// Per window: its collection, its last day, and whether it is done.
    windows: Vec<(Collection, Date, bool)>,
}

impl Progress {
    fn new(windows: &[Window]) -> Self {
        Self {
            windows: windows
                .iter()
                .map(|w| (w.collection, w.last, false))
                .collect(),
        }
    }

    /// Marks window `index` done; returns the last day its collection is now complete through,
    /// if that moved.
    fn done(&mut self, index: usize) -> Option<Date> {
        let collection = self.windows.get(index)?.0;
        self.windows[index].2 = true;
        let mut through = None;
        for (c, last, done) in &self.windows {
            if *c != collection {
                continue;
            }
            if !done {
                break;
            }
            through = Some(*last);
        }
        through
    }
}

/// Keeps one sync under a request budget: at most `limit` requests in any `window`.
struct Pacer {
    limit: usize,
    window: Duration,
    sent: std::sync::Mutex<std::collections::VecDeque<tokio::time::Instant>>,
}

impl Pacer {
    fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit: limit.max(1),
            window,
            sent: std::sync::Mutex::new(std::collections::VecDeque::new()),
        }
    }

    /// Waits until one more request fits in the budget, and counts it.
    async fn wait_turn(&self) {
        loop {
            let wait = {
                let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
                let now = tokio::time::Instant::now();
                while sent
                    .front()
                    .is_some_and(|at| now.duration_since(*at) >= self.window)
                {
                    sent.pop_front();
                }
                if sent.len() < self.limit {
                    sent.push_back(now);
                    return;
                }
                sent.front().map_or(Duration::ZERO, |oldest| {
                    self.window.saturating_sub(now.duration_since(*oldest))
                })
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// A run that holds the user's sync lease and has its windows planned.
pub struct StartedSync(Vec<Window>);

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
        let started = self.begin(user_id).await?;
        self.complete(user_id, started).await
    }

    /// Plans the run and takes the user's sync lease: from here the status says "running".
    /// Fails with [`SyncError::AlreadyRunning`] while another run holds it.
    pub async fn begin(&self, user_id: &str) -> Result<StartedSync, SyncError> {
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
        Ok(StartedSync(windows))
    }

    /// Does the work of a run [`Self::begin`] started, and records how it ended.
    pub async fn complete(
        &self,
        user_id: &str,
        started: StartedSync,
    ) -> Result<SyncReport, SyncError> {
        let windows = started.0;
        let mut report = SyncReport::default();
        let mut result = Ok(());
        let pacer = Pacer::new(self.settings.rate_limit, self.settings.rate_window);
        let progress = std::sync::Mutex::new(Progress::new(&windows));
        // Each window stores its pages and records its own progress inside its future: the
        // futures in flight must keep being polled, as one may hold SQLite's write lock.
        let mut running = futures_util::stream::iter(windows.into_iter().enumerate())
            .map(|(index, window)| {
                let (pacer, progress) = (&pacer, &progress);
                async move {
                    let outcome = self.sync_window(user_id, window, pacer).await;
                    if let Ok(_) | Err(SyncError::Api(ApiError::Forbidden(_))) = &outcome {
                        // Progress moves only over windows with every earlier one done, so a
                        // failure never leaves a hole behind it.
                        let through = progress
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .done(index);
                        if let (Some(through), Ok(_)) = (through, &outcome) {
                            self.store
                                .advance_sync(user_id, window.collection.name(), through)
                                .await?;
                        }
                        self.store.sync_window_done(user_id, LEASE_SECS).await?;
                    }
                    outcome
                }
                .map(move |outcome| (window, outcome))
            })
            .buffer_unordered(self.settings.concurrency.max(1));
        while let Some((window, outcome)) = running.next().await {
            let name = window.collection.name();
            match outcome {
                _ if report.refused.contains(&name) => {}
                Ok(counts) => {
                    report.windows += 1;
                    report.pages += counts.pages;
                    report.documents += counts.documents;
                }
                // The person did not grant this one (scopes can be unticked on Oura's consent
                // page): the rest still syncs, and the status says what was left out.
                Err(SyncError::Api(ApiError::Forbidden(reason))) => {
                    tracing::info!(collection = name, reason, "Oura refused a collection");
                    report.refused.push(name);
                }
                Err(error) => {
                    result = Err(error);
                    break;
                }
            }
        }
        drop(running);
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

    /// Fetches and stores every page of one window; the caller records the progress.
    async fn sync_window(
        &self,
        user_id: &str,
        window: Window,
        pacer: &Pacer,
    ) -> Result<WindowCounts, SyncError> {
        let name = window.collection.name();
        let mut counts = WindowCounts::default();
        let mut request = PageRequest::Window {
            first: window.first,
            last: window.last,
        };
        loop {
            pacer.wait_turn().await;
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
            counts.pages += 1;
            counts.documents += i64::try_from(stored).unwrap_or(0);
            match page.next_token {
                Some(next) => request = PageRequest::Next(next),
                None => return Ok(counts),
            }
        }
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
