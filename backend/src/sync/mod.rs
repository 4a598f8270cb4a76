//! Sync: Oura's daily collections, sleep periods and heart rate into the warehouse. A backfill (two years by default), then
//! incremental runs that re-read a few days of overlap, because Oura revises recent days.
//! Work goes in date windows, page by page: every page is stored in one transaction, and a
//! collection's progress advances only when a window is complete, so a crash or a kill
//! resumes where it stopped, and running twice changes nothing. One sync per user at a time,
//! across instances too (a lease in the database).

mod budget;
mod changes;
mod ingest;
mod plan;
mod schedule;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{FutureExt as _, StreamExt as _};
use rand::Rng as _;
use time::{Date, OffsetDateTime};
use tracing::Instrument as _;

pub use self::budget::{RateBudget, RateLimits};
pub use self::changes::Applied;
use self::ingest::{Ingest, Ingested, Records};
use self::plan::{Progress, Window};
use shared::Refusal;

use crate::domain::UserId;
use crate::oura::documents::{
    BatteryLevel, DailyActivity, DailyCardiovascularAge, DailyReadiness, DailyResilience,
    DailySleep, DailySpo2, DailyStress, EnhancedTag, HeartRate, RestModePeriod, RingConfiguration,
    Session, SleepPeriod, SleepTime, Vo2Max, Workout,
};
use crate::oura::{Collection, OuraApi, OuraError, Page, PageRequest, TokenError, UserTokens};
use crate::store::{Store, WithRaw};
use crate::webhooks::watch::WebhookWatch;

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
    /// Retries of one page after a passing failure (429, 5xx, timeout, refused connection).
    pub max_retries: u32,
    /// The longest wait for one retry, whatever `Retry-After` says.
    pub max_wait: Duration,
    /// Windows fetched at the same time (the pages within a window follow one another).
    pub concurrency: usize,
    /// At most this many requests per `rate_window` with one person's token, to stay under
    /// Oura's limit (5000 per 5 min).
    pub rate_limit: i64,
    /// At most this many requests per `rate_window` by the whole app, every user and every
    /// instance together (Oura limits applications too, without saying how much).
    pub app_rate_limit: i64,
    /// See `rate_limit`.
    pub rate_window: Duration,
    /// How long a run holds the user's sync lease without renewing it; it renews it every
    /// third of that while it works, so another instance takes over only from a dead one.
    pub lease: Duration,
    /// The longest one window may spend retrying before it gives up.
    pub window_deadline: Duration,
}

impl SyncSettings {
    /// Two years back.
    pub const DEFAULT_BACKFILL_DAYS: i64 = 730;
    /// Windows in flight at once: with Oura's latency the backfill waits on the network, and
    /// 16 keeps a 5-year one of all fifteen collections near 10 s (`scripts/bench`), far under
    /// the rate limit (about 600 requests, at most 16 at a time).
    pub const DEFAULT_CONCURRENCY: usize = 16;
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self {
            backfill_days: Self::DEFAULT_BACKFILL_DAYS,
            heart_rate_backfill_days: Self::DEFAULT_BACKFILL_DAYS,
            overlap_days: 3,
            window_days: 365,
            max_retries: 4,
            max_wait: Duration::from_secs(60),
            concurrency: Self::DEFAULT_CONCURRENCY,
            rate_limit: 4800,
            app_rate_limit: 4800,
            rate_window: Duration::from_secs(300),
            lease: Duration::from_secs(300),
            window_deadline: Duration::from_secs(600),
        }
    }
}

/// More pages than one window can hold: a `next_token` chain this long is a loop.
const MAX_PAGES_PER_WINDOW: i64 = 500;
/// How often an instance looks for users whose scheduled sync is due (or the interval, if
/// shorter). Users become due one by one as their last runs ended, not all at once.
const SCHEDULE_CHECK: Duration = Duration::from_secs(30);
/// Scheduled runs an instance keeps going at once (each fetches several windows at a time):
/// few, so that N instances share the users instead of the first to look taking them all.
const RUNS_AT_ONCE: usize = 4;
/// The first wait before retrying a page that failed without saying how long to wait.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// Why a sync (or one window of it) stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Getting the token or calling Oura failed.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// Oura's pages did not end: a repeated `next_token`, or more pages than a window holds.
    #[error("Oura's pages did not end: {0}")]
    EndlessPages(String),
    /// The server is shutting down: the run stopped at a page boundary.
    #[error("the server is shutting down")]
    Stopped,
    /// The account was deleted while its sync ran: what was left of the run was dropped.
    #[error("the account was deleted")]
    AccountDeleted,
    /// The warehouse failed.
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl SyncError {
    /// Oura refused the collection (a scope not granted, no membership, an old Oura app):
    /// the rest of the run goes on without it.
    fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::Token(TokenError::Oura(OuraError::Forbidden { membership: true })) => {
                Some(Refusal::MembershipRequired)
            }
            Self::Token(TokenError::Oura(OuraError::Forbidden { membership: false })) => {
                Some(Refusal::NotGranted)
            }
            Self::Token(TokenError::Oura(OuraError::AppTooOld)) => Some(Refusal::AppTooOld),
            _ => None,
        }
    }
}

/// How one collection's part of a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CollectionOutcome {
    /// Every window was stored.
    Complete,
    /// Oura refused it; left out of this run.
    Refused(Refusal),
    /// A window failed; its later windows were left for the next run. The other collections
    /// went on.
    Failed(String),
}

impl CollectionOutcome {
    /// What the collection's health says about its last attempt.
    fn error(&self) -> Option<String> {
        match self {
            Self::Complete => None,
            Self::Refused(Refusal::NotGranted) => {
                Some("Oura did not give access to this: its permission was not granted.".into())
            }
            Self::Refused(Refusal::MembershipRequired) => {
                Some("Oura shares this only with an active Oura membership.".into())
            }
            Self::Refused(Refusal::AppTooOld) => {
                Some("Oura asks for a newer version of the Oura app before it shares this.".into())
            }
            Self::Failed(error) => Some(error.clone()),
        }
    }

    fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::Refused(refusal) => Some(*refusal),
            _ => None,
        }
    }
}

/// How one window ended.
enum WindowOutcome {
    Stored(WindowCounts),
    Refused(Refusal),
    Failed(SyncError),
    /// Not fetched: an earlier window of its collection failed in this run.
    Skipped,
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Windows stored.
    pub windows: i64,
    /// Pages stored.
    pub pages: i64,
    /// Documents (or readings) stored.
    pub documents: i64,
    /// Documents set aside because they could not be read.
    pub unreadable: i64,
    /// How each collection's part ended.
    pub outcomes: Vec<(Collection, CollectionOutcome)>,
}

impl SyncReport {
    /// The collections Oura refused.
    pub fn refused(&self) -> Vec<&'static str> {
        self.outcomes
            .iter()
            .filter(|(_, outcome)| matches!(outcome, CollectionOutcome::Refused(_)))
            .map(|(collection, _)| collection.name())
            .collect()
    }

    /// The collections that failed, with why.
    pub fn failed(&self) -> Vec<String> {
        self.outcomes
            .iter()
            .filter_map(|(collection, outcome)| match outcome {
                CollectionOutcome::Failed(error) => {
                    Some(format!("{} ({error})", collection.name()))
                }
                _ => None,
            })
            .collect()
    }

    fn set(&mut self, collection: Collection, outcome: CollectionOutcome) {
        match self.outcomes.iter_mut().find(|(c, _)| *c == collection) {
            Some(entry) => entry.1 = outcome,
            None => self.outcomes.push((collection, outcome)),
        }
    }
}

#[derive(Debug, Default)]
struct WindowCounts {
    pages: i64,
    documents: i64,
    unreadable: i64,
}

/// A run that holds the user's sync lease and has its windows planned. It counts as under
/// way from the moment the lease is taken, so a shutdown between [`Syncer::begin`] and
/// [`Syncer::complete`] still waits for it to record "interrupted".
pub struct StartedSync {
    windows: Vec<Window>,
    _active: ActiveRun,
}

/// Syncs users' Oura data into the warehouse; one per process.
pub struct Syncer {
    store: Store,
    api: OuraApi,
    tokens: Arc<UserTokens>,
    settings: SyncSettings,
    /// Every request to Oura for a person's data takes its turn here.
    budget: RateBudget,
    /// Runs go on the main runtime, not a server worker's, so that they outlive the workers
    /// at shutdown long enough to stop cleanly.
    runtime: tokio::runtime::Handle,
    /// Set at shutdown: runs stop at the next page boundary.
    stopping: AtomicBool,
    /// How often every user is synced, once [`Self::schedule`] started it.
    interval: std::sync::OnceLock<Duration>,
    /// Whether Oura's events arrive, when webhooks are on: while a data type is silent,
    /// users are synced at the polling interval instead.
    webhooks: Option<WebhookWatch>,
    runs: Arc<RunCount>,
}

/// What the windows of one run share: turns at writing.
struct RunLimits {
    /// One page (or progress record) written at a time: the windows fetch in parallel but
    /// take turns at writing, so a backfill holds at most one place in the store's queue of
    /// writers and a request's write is never behind many of them.
    writes: tokio::sync::Mutex<()>,
}

/// Runs under way, and a signal each time one ends.
#[derive(Default)]
struct RunCount {
    active: AtomicUsize,
    ended: tokio::sync::Notify,
}

/// Counts a run as under way while it lives.
struct ActiveRun(Arc<RunCount>);

impl ActiveRun {
    fn new(runs: &Arc<RunCount>) -> Self {
        runs.active.fetch_add(1, Ordering::SeqCst);
        Self(Arc::clone(runs))
    }
}

impl Drop for ActiveRun {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
        self.0.ended.notify_waiters();
    }
}

impl Syncer {
    /// A syncer storing into `store`, calling Oura through `api` with `tokens`.
    pub fn new(
        store: Store,
        api: OuraApi,
        tokens: Arc<UserTokens>,
        settings: SyncSettings,
    ) -> Self {
        let budget = RateBudget::new(
            store.clone(),
            RateLimits {
                per_app: settings.app_rate_limit,
                per_user: settings.rate_limit,
                window: settings.rate_window,
            },
        );
        Self {
            store,
            api,
            tokens,
            settings,
            budget,
            runtime: tokio::runtime::Handle::current(),
            stopping: AtomicBool::new(false),
            interval: std::sync::OnceLock::new(),
            webhooks: None,
            runs: Arc::default(),
        }
    }

    /// Stops every run at its next page boundary (each releases its lease and reads
    /// "interrupted"), and waits for them, `patience` at most. Called at shutdown.
    pub async fn stop(&self, patience: Duration) {
        self.stopping.store(true, Ordering::SeqCst);
        let all_ended = async {
            while self.runs.active.load(Ordering::SeqCst) > 0 {
                let ended = self.runs.ended.notified();
                if self.runs.active.load(Ordering::SeqCst) == 0 {
                    break;
                }
                ended.await;
            }
        };
        if tokio::time::timeout(patience, all_ended).await.is_err() {
            tracing::warn!("syncs still running at shutdown; their leases lapse by themselves");
        }
    }

    fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Runs `complete` for a started run on the main runtime.
    pub fn spawn_started(self: Arc<Self>, user_id: UserId, started: StartedSync) {
        let runtime = self.runtime.clone();
        // The same span as `run`'s: every line the run logs names the user.
        let span = tracing::info_span!("sync", %user_id);
        runtime.spawn(
            async move {
                match self.complete(&user_id, started).await {
                    Ok(_) | Err(SyncError::AccountDeleted) => {}
                    Err(error) => tracing::warn!(%error, "sync failed"),
                }
            }
            .instrument(span),
        );
    }

    /// Syncs every collection of `user_id` up to today; `None` when a sync of theirs is
    /// already running.
    #[tracing::instrument(name = "sync", skip(self), fields(%user_id))]
    pub async fn run(&self, user_id: &UserId) -> Result<Option<SyncReport>, SyncError> {
        match self.begin(user_id).await? {
            Some(started) => self.complete(user_id, started).await.map(Some),
            None => Ok(None),
        }
    }

    /// Runs a sync in the background; one already running for the user is left to finish.
    pub fn spawn(self: Arc<Self>, user_id: UserId) {
        let runtime = self.runtime.clone();
        runtime.spawn(async move {
            match self.run(&user_id).await {
                Ok(_) | Err(SyncError::AccountDeleted) => {}
                Err(error) => tracing::warn!(%user_id, %error, "background sync failed"),
            }
        });
    }

    /// Keeps the rate budget's counts in Redis rather than the database, for the Oura
    /// application `client_id`.
    #[must_use]
    pub fn with_budget_in_redis(self, pool: deadpool_redis::Pool, client_id: &str) -> Self {
        Self {
            budget: self.budget.in_redis(pool, client_id),
            ..self
        }
    }

    /// The budget every request to Oura for a person's data draws on.
    pub fn budget(&self) -> &RateBudget {
        &self.budget
    }

    /// Watches Oura's events with `watch` (webhooks are on).
    #[must_use]
    pub fn with_webhook_watch(self, watch: WebhookWatch) -> Self {
        Self {
            webhooks: Some(watch),
            ..self
        }
    }

    /// The watch over Oura's events, when webhooks are on.
    pub fn webhook_watch(&self) -> Option<&WebhookWatch> {
        self.webhooks.as_ref()
    }

    /// How long until a user's next scheduled sync: the interval, or the polling interval
    /// while some data type's webhook events have gone silent. `None`: not scheduled.
    async fn next_interval(&self) -> Option<Duration> {
        let interval = *self.interval.get()?;
        let Some(watch) = &self.webhooks else {
            return Some(interval);
        };
        let silent = watch.any_silent().await.unwrap_or_else(|error| {
            tracing::warn!(
                error = format!("{error:#}"),
                "could not read the webhook activity"
            );
            true
        });
        Some(if silent {
            interval.min(watch.poll_interval())
        } else {
            interval
        })
    }

    /// Whether users are synced in the background on a schedule.
    pub fn is_scheduled(&self) -> bool {
        self.interval.get().is_some()
    }

    /// Syncs every user who has Oura tokens once per `interval`, sharing the work with every
    /// other instance on the same database: each instance keeps a few runs going, claiming
    /// users whose turn has come from the schedule in the store whenever one ends, and
    /// looks again every [`SCHEDULE_CHECK`] while none is due.
    pub fn schedule(self: Arc<Self>, interval: Duration) {
        let _ = self.interval.set(interval);
        let check = interval.min(SCHEDULE_CHECK);
        let runtime = self.runtime.clone();
        let claimer = Arc::clone(&self);
        let claim = move |free| {
            let claimer = Arc::clone(&claimer);
            async move {
                if claimer.is_stopping() {
                    return Vec::new();
                }
                claimer.claim_due(interval, free).await
            }
        };
        let run = move |user_id: UserId| {
            let syncer = Arc::clone(&self);
            async move {
                if let Err(error) = syncer.run(&user_id).await {
                    tracing::debug!(%user_id, %error, "scheduled sync did not complete");
                }
            }
        };
        runtime.spawn(schedule::keep_running(RUNS_AT_ONCE, check, claim, run));
    }

    /// Claims up to `limit` users whose scheduled turn has come (none after an error, which
    /// is logged).
    async fn claim_due(&self, interval: Duration, limit: usize) -> Vec<UserId> {
        let retry_after = self.next_interval().await.unwrap_or(interval);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.store
            .claim_due_syncs(seconds_from_now(retry_after), limit)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "scheduled sync could not claim users"
                );
                Vec::new()
            })
    }

    /// Plans the run and takes the user's sync lease: from here the status says "running".
    /// `None` while another run holds it.
    pub async fn begin(&self, user_id: &UserId) -> Result<Option<StartedSync>, SyncError> {
        let today = OffsetDateTime::now_utc().date();
        let windows = self.plan(user_id, today).await?;
        let total = i64::try_from(windows.len()).unwrap_or(i64::MAX);
        let taken = self
            .store
            .try_start_sync(user_id, self.lease_secs(), total)
            .await?;
        Ok(taken.then(|| StartedSync {
            windows,
            _active: ActiveRun::new(&self.runs),
        }))
    }

    fn lease_secs(&self) -> i64 {
        i64::try_from(self.settings.lease.as_secs())
            .unwrap_or(i64::MAX)
            .max(1)
    }

    /// Does the work of a run [`Self::begin`] started, and records how it ended. The lease
    /// is renewed while the work goes on.
    pub async fn complete(
        &self,
        user_id: &UserId,
        started: StartedSync,
    ) -> Result<SyncReport, SyncError> {
        let StartedSync { windows, _active } = started;
        let work = self.work(user_id, windows);
        let heartbeat = async {
            loop {
                tokio::time::sleep(self.settings.lease / 3).await;
                if let Err(error) = self
                    .store
                    .renew_sync_lease(user_id, self.lease_secs())
                    .await
                {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "could not renew the sync lease"
                    );
                }
            }
        };
        let report = tokio::select! {
            report = work => report?,
            never = heartbeat => never,
        };
        if self.is_stopping() {
            // Every page stored is kept and counted; the next run resumes from there.
            self.store.interrupt_sync(user_id).await?;
            tracing::info!("sync stopped for shutdown");
            return Ok(report);
        }
        self.refresh_profile(user_id).await;
        if let Some(interval) = self.next_interval().await {
            // Whatever started it (sign-in, "Sync now", a webhook's catch-up or the schedule),
            // the next scheduled run is one interval after this one.
            self.store
                .schedule_sync(user_id, seconds_from_now(interval))
                .await?;
        }
        for (collection, outcome) in &report.outcomes {
            self.store
                .record_collection_outcome(
                    user_id,
                    collection.name(),
                    outcome.error().as_deref(),
                    outcome.refusal(),
                )
                .await?;
        }
        let failed = report.failed();
        if failed.is_empty() {
            let mut notes = Vec::new();
            let refused = report.refused();
            if !refused.is_empty() {
                notes.push(format!(
                    "Not synced, because Oura did not give access (permission not granted?): {}.",
                    refused.join(", ")
                ));
            }
            if report.unreadable > 0 {
                notes.push(format!(
                    "{} could not be read; they are kept aside (see Settings, Sync health).",
                    documents(report.unreadable)
                ));
            }
            let note = (!notes.is_empty()).then(|| notes.join(" "));
            self.store
                .finish_sync(user_id, None, note.as_deref())
                .await?;
            tracing::info!(?report, "sync finished");
        } else {
            let error = format!(
                "Could not sync {}; the rest is stored, and the next sync resumes there.",
                failed.join(", ")
            );
            self.store.finish_sync(user_id, Some(&error), None).await?;
            tracing::warn!(error, "sync failed for some collections");
        }
        Ok(report)
    }

    /// Keeps the stored profile as current as the data: one request per sync. A failure is
    /// only logged: the profile kept before stays, and the data synced stands.
    async fn refresh_profile(&self, user_id: &UserId) {
        if let Err(error) = self.budget.wait_turn(user_id).await {
            tracing::warn!(
                error = format!("{error:#}"),
                "could not refresh the profile"
            );
            return;
        }
        let fetched = self
            .tokens
            .call(user_id, |token| {
                let api = self.api.clone();
                async move { api.personal_info(&token).await }
            })
            .await;
        let saved = match fetched {
            Ok(profile) => self.store.save_profile(user_id, &profile.raw).await,
            Err(error) => Err(error.into()),
        };
        if let Err(error) = saved {
            tracing::warn!(
                error = format!("{error:#}"),
                "could not refresh the profile"
            );
        }
    }

    /// Runs the planned windows, several at a time: a failing collection stops only its own
    /// later windows, never the others'.
    async fn work(&self, user_id: &UserId, windows: Vec<Window>) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        for window in &windows {
            report.set(window.collection, CollectionOutcome::Complete);
        }
        let run = RunLimits {
            writes: tokio::sync::Mutex::new(()),
        };
        let progress = Mutex::new(Progress::new(&windows));
        let failed: Mutex<HashSet<Collection>> = Mutex::new(HashSet::new());
        // Set when a window fails because the account is gone: every later window is dropped
        // instead of asking Oura for data there is nowhere to keep.
        let deleted = AtomicBool::new(false);
        // Each window stores its pages and records its own progress inside its future: the
        // futures in flight must keep being polled, as one may hold SQLite's write lock.
        let mut running = futures_util::stream::iter(windows.into_iter().enumerate())
            .map(|(index, window)| {
                let (run, progress, failed, deleted) = (&run, &progress, &failed, &deleted);
                async move {
                    let stopped = failed
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .contains(&window.collection);
                    if stopped || self.is_stopping() || deleted.load(Ordering::SeqCst) {
                        return Ok(WindowOutcome::Skipped);
                    }
                    let outcome = match self.sync_window(user_id, window, run).await {
                        Ok(counts) => WindowOutcome::Stored(counts),
                        Err(SyncError::Stopped) => WindowOutcome::Skipped,
                        Err(error) if let Some(refusal) = error.refusal() => {
                            WindowOutcome::Refused(refusal)
                        }
                        Err(_) if self.account_deleted(user_id).await => {
                            deleted.store(true, Ordering::SeqCst);
                            WindowOutcome::Skipped
                        }
                        Err(error) => {
                            failed
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(window.collection);
                            WindowOutcome::Failed(error)
                        }
                    };
                    if matches!(
                        outcome,
                        WindowOutcome::Stored(_) | WindowOutcome::Refused(_)
                    ) {
                        // Progress moves only over windows with every earlier one done, so a
                        // failure never leaves a hole behind it.
                        let through = progress
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .done(index);
                        let _writing = run.writes.lock().await;
                        if let (Some(through), WindowOutcome::Stored(_)) = (through, &outcome) {
                            self.store
                                .advance_sync(user_id, window.collection.name(), through)
                                .await?;
                        }
                        self.store
                            .sync_window_done(user_id, self.lease_secs())
                            .await?;
                    }
                    Ok::<_, SyncError>(outcome)
                }
                .map(move |outcome| (window, outcome))
            })
            .buffer_unordered(self.settings.concurrency.max(1));
        while let Some((window, outcome)) = running.next().await {
            match outcome? {
                WindowOutcome::Stored(counts) => {
                    report.windows += 1;
                    report.pages += counts.pages;
                    report.documents += counts.documents;
                    report.unreadable += counts.unreadable;
                }
                // The person did not grant this one (scopes can be unticked on Oura's consent
                // page): the rest still syncs, and the status says what was left out.
                WindowOutcome::Refused(refusal) => {
                    tracing::info!(
                        collection = window.collection.name(),
                        "Oura refused a collection"
                    );
                    report.set(window.collection, CollectionOutcome::Refused(refusal));
                }
                WindowOutcome::Failed(error) => {
                    tracing::warn!(
                        collection = window.collection.name(),
                        error = format!("{error:#}"),
                        "a window failed; the collection resumes there next time"
                    );
                    report.set(
                        window.collection,
                        CollectionOutcome::Failed(error.to_string()),
                    );
                }
                WindowOutcome::Skipped => {}
            }
        }
        if deleted.load(Ordering::SeqCst) {
            tracing::info!("the account was deleted during its sync; the sync stopped");
            return Err(SyncError::AccountDeleted);
        }
        Ok(report)
    }

    /// Whether `user_id`'s account no longer exists (deleted while their sync ran). A store
    /// that cannot say counts as "still there": the failure is then reported as it is.
    async fn account_deleted(&self, user_id: &UserId) -> bool {
        matches!(self.store.user(user_id).await, Ok(None))
    }

    /// The windows each collection still needs, oldest first.
    async fn plan(&self, user_id: &UserId, today: Date) -> anyhow::Result<Vec<Window>> {
        let mut windows = Vec::new();
        for collection in Collection::ALL {
            let depth = if collection == Collection::HeartRate {
                self.settings.heart_rate_backfill_days
            } else {
                self.settings.backfill_days
            };
            let progress = self
                .store
                .sync_progress(
                    user_id,
                    collection.name(),
                    today - time::Duration::days(depth),
                )
                .await?;
            if !collection.is_dated() {
                windows.push(Window {
                    collection,
                    first: today,
                    last: today,
                });
                continue;
            }
            let mut first = match progress.synced_through {
                None => progress.backfill_from,
                Some(through) => (through - time::Duration::days(self.settings.overlap_days))
                    .max(progress.backfill_from),
            };
            // A rest-mode period is filed under the day it began: while one is on, its
            // window reaches back to that day, so that its end is read when it comes.
            if collection == Collection::RestMode
                && let Some(open) = self.store.earliest_open_rest_mode(user_id).await?
            {
                first = first.min(open.max(progress.backfill_from));
            }
            let window_days = collection
                .max_window_days()
                .map_or(self.settings.window_days, |max| {
                    max.min(self.settings.window_days)
                });
            windows.extend(plan::windows(collection, first, today, window_days));
        }
        Ok(windows)
    }

    /// Fetches and stores every page of one window; the caller records the progress.
    async fn sync_window(
        &self,
        user_id: &UserId,
        window: Window,
        run: &RunLimits,
    ) -> Result<WindowCounts, SyncError> {
        let span = tracing::info_span!(
            "sync.window",
            collection = window.collection.name(),
            first = %window.first,
            last = %window.last,
        );
        async move {
            match window.collection {
                Collection::Sleep => self.sync_pages::<DailySleep>(user_id, window, run).await,
                Collection::Readiness => {
                    self.sync_pages::<DailyReadiness>(user_id, window, run)
                        .await
                }
                Collection::Activity => {
                    self.sync_pages::<DailyActivity>(user_id, window, run).await
                }
                Collection::SleepPeriods => {
                    self.sync_pages::<SleepPeriod>(user_id, window, run).await
                }
                Collection::HeartRate => self.sync_pages::<HeartRate>(user_id, window, run).await,
                Collection::Stress => self.sync_pages::<DailyStress>(user_id, window, run).await,
                Collection::Spo2 => self.sync_pages::<DailySpo2>(user_id, window, run).await,
                Collection::Resilience => {
                    self.sync_pages::<DailyResilience>(user_id, window, run)
                        .await
                }
                Collection::Vo2Max => self.sync_pages::<Vo2Max>(user_id, window, run).await,
                Collection::CardiovascularAge => {
                    self.sync_pages::<DailyCardiovascularAge>(user_id, window, run)
                        .await
                }
                Collection::SleepTime => self.sync_pages::<SleepTime>(user_id, window, run).await,
                Collection::Workouts => self.sync_pages::<Workout>(user_id, window, run).await,
                Collection::Sessions => self.sync_pages::<Session>(user_id, window, run).await,
                Collection::Tags => self.sync_pages::<EnhancedTag>(user_id, window, run).await,
                Collection::RestMode => {
                    self.sync_pages::<RestModePeriod>(user_id, window, run)
                        .await
                }
                Collection::Rings => {
                    self.sync_pages::<RingConfiguration>(user_id, window, run)
                        .await
                }
                Collection::Battery => self.sync_pages::<BatteryLevel>(user_id, window, run).await,
            }
        }
        .instrument(span)
        .await
    }

    async fn sync_pages<T: Ingest>(
        &self,
        user_id: &UserId,
        window: Window,
        run: &RunLimits,
    ) -> Result<WindowCounts, SyncError>
    where
        Records: From<Vec<WithRaw<T::Record>>>,
    {
        let mut counts = WindowCounts::default();
        let mut request = PageRequest::Window {
            first: window.first,
            last: window.last,
        };
        let mut tokens_seen = HashSet::new();
        let deadline = tokio::time::Instant::now() + self.settings.window_deadline;
        loop {
            if self.is_stopping() {
                return Err(SyncError::Stopped);
            }
            if counts.pages >= MAX_PAGES_PER_WINDOW {
                return Err(SyncError::EndlessPages(format!(
                    "more than {MAX_PAGES_PER_WINDOW} pages for {} days",
                    (window.last - window.first).whole_days() + 1
                )));
            }
            self.budget.wait_turn(user_id).await?;
            let page: Page<T> = self.fetch(user_id, &request, deadline).await?;
            let Ingested {
                records,
                unreadable,
            } = ingest::page(page.documents);
            let writing = run.writes.lock().await;
            if !unreadable.is_empty() {
                tracing::warn!(
                    count = unreadable.len(),
                    reason = unreadable[0].reason,
                    "documents set aside"
                );
                let count = i64::try_from(unreadable.len()).unwrap_or(i64::MAX);
                self.store
                    .quarantine(user_id, window.collection.name(), &unreadable)
                    .await?;
                self.store.count_unreadable(user_id, count).await?;
                counts.unreadable += count;
            }
            counts.pages += 1;
            counts.documents += i64::try_from(records.len()).unwrap_or(0);
            self.save(user_id, window.collection, records).await?;
            drop(writing);
            match page.next_token {
                Some(next) if !tokens_seen.insert(next.clone()) => {
                    return Err(SyncError::EndlessPages(
                        "Oura sent the same next_token twice".into(),
                    ));
                }
                Some(next) => request = PageRequest::Next(next),
                None => return Ok(counts),
            }
        }
    }

    async fn save(
        &self,
        user_id: &UserId,
        collection: Collection,
        records: Records,
    ) -> anyhow::Result<()> {
        match records {
            Records::Daily(days) => self.store.save_daily_page(user_id, collection, &days).await,
            Records::Sleep(periods) => self.store.save_sleep_page(user_id, &periods).await,
            Records::HeartRate(readings) => {
                self.store.save_heart_rate_page(user_id, &readings).await
            }
            Records::Events(events) => {
                self.store
                    .save_event_page(user_id, collection, &events)
                    .await
            }
            Records::Rings(rings) => self.store.save_ring_page(user_id, &rings).await,
            Records::Battery(readings) => self.store.save_battery(user_id, &readings).await,
        }
    }

    /// One page, retried (it is an idempotent GET) while the failure is a passing one: after
    /// the wait Oura's `Retry-After` asks for, or else with exponential backoff and jitter;
    /// never past `max_retries`, nor past the window's `deadline`.
    async fn fetch<T: Ingest>(
        &self,
        user_id: &UserId,
        request: &PageRequest,
        deadline: tokio::time::Instant,
    ) -> Result<Page<T>, SyncError> {
        let mut attempt = 0;
        loop {
            let result = self
                .tokens
                .call(user_id, |token| {
                    let api = self.api.clone();
                    let request = request.clone();
                    async move { api.page::<T>(&token, &request).await }
                })
                .await;
            let error = match result {
                Err(TokenError::Oura(error))
                    if error.is_transient() && attempt < self.settings.max_retries =>
                {
                    error
                }
                other => return Ok(other?),
            };
            let wait = error
                .retry_after()
                .unwrap_or_else(|| backoff(attempt))
                .min(self.settings.max_wait);
            if tokio::time::Instant::now() + wait > deadline {
                return Err(TokenError::Oura(error).into());
            }
            attempt += 1;
            tracing::info!(?wait, attempt, %error, "retrying the page");
            tokio::time::sleep(wait).await;
        }
    }
}

/// Unix seconds, `after` from now.
fn seconds_from_now(after: Duration) -> i64 {
    crate::store::now().saturating_add(i64::try_from(after.as_secs()).unwrap_or(i64::MAX))
}

/// "1 document" or "3 documents".
fn documents(count: i64) -> String {
    if count == 1 {
        "1 document".into()
    } else {
        format!("{count} documents")
    }
}

/// `FIRST_BACKOFF` doubled with each attempt, with up to half of it again as random jitter, so
/// that windows failing together do not retry together.
fn backoff(attempt: u32) -> Duration {
    let base = FIRST_BACKOFF * 2u32.saturating_pow(attempt.min(6));
    base + base.mul_f64(rand::rng().random_range(0.0..0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter() {
        for attempt in 0..4 {
            let base = FIRST_BACKOFF * 2u32.pow(attempt);
            let wait = backoff(attempt);
            assert!(
                wait >= base && wait < base + base / 2,
                "{attempt}: {wait:?}"
            );
        }
    }
}
