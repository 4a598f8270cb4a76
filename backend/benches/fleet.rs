//! The fleet: many simulated people on two instances sharing PostgreSQL (sessions in Redis),
//! against the simulator with Oura's per-application limit on and webhooks on. Prints:
//! - the time until every person's backfill is done, requests per person, and 429s;
//! - with webhooks, the delay from a new day's announcement to its documents being stored
//!   (p50, p99), when every ring syncs at the same moment.
//!
//! Oura's rate window is 5 minutes; here it is `FLEET_WINDOW_SECS` (30) with the same limit,
//! so the budget binds ten times sooner and the run takes minutes, not hours. Run with
//! `scripts/bench --fleet`; `FLEET_PEOPLE` (1000) and `FLEET_BACKFILL_DAYS` (14) scale it.
//! Figures only: the targets are in the README.

use std::collections::HashMap;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use backend::config::Settings;
use backend::domain::UserId;
use backend::startup::Application;
use backend::store::{NewTokens, Store, TokenCipher};
use oura_simulator::{
    ClientRegistration, DeliveryFaults, SimulatedUser, Simulator, SimulatorConfig,
};
use secrecy::SecretString;
use sqlx::{Connection as _, Executor as _};

const SECRET: &str = "fleet-benchmark-secret-fleet-benchmark-secret-fleet-benchmark-secret";
const CLIENT: &str = "fleet";
/// Oura's limits, per token and per application, per window.
const OURA_LIMIT: u32 = 5000;
/// The app's budget: under Oura's.
const APP_BUDGET: u32 = 4800;
const SCOPES: &[&str] = &[
    "daily",
    "heartrate",
    "personal",
    "stress",
    "spo2",
    "heart_health",
    "workout",
    "session",
    "tag",
];

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let people = usize::try_from(setting("FLEET_PEOPLE", 1000))?;
    let window = setting("FLEET_WINDOW_SECS", 30);
    let backfill_days = setting("FLEET_BACKFILL_DAYS", 14);
    let database_url = fresh_schema(
        &std::env::var("BENCH_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://root@127.0.0.1:5432/test".into()),
    )
    .await?;
    let redis_url =
        std::env::var("BENCH_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());

    let listeners = [
        TcpListener::bind("127.0.0.1:0")?,
        TcpListener::bind("127.0.0.1:0")?,
    ];
    let address = format!("http://127.0.0.1:{}", listeners[0].local_addr()?.port());
    // The simulator's clock starts two days behind, so that moving it on brings new days.
    let sim = Simulator::start(
        TcpListener::bind("127.0.0.1:0")?,
        SimulatorConfig {
            clients: vec![ClientRegistration {
                client_id: CLIENT.into(),
                client_secret: "fleet-secret".into(),
                redirect_uris: vec![format!("{address}/auth/callback")],
            }],
            rate_limit_requests: OURA_LIMIT,
            app_rate_limit_requests: Some(OURA_LIMIT),
            rate_limit_window: Duration::from_secs(window),
            latency: Duration::from_millis(50),
            clock_behind: Duration::from_secs(2 * 86_400),
            // Moving the clock on a day must not expire the tokens under the app's feet
            // (it refreshes them ahead of the expiry it was told, in its own time).
            access_token_lifetime: Duration::from_secs(7 * 86_400),
            ..SimulatorConfig::default()
        },
    )?;

    // Everyone signed in, as their logins would leave them, before the instances start.
    let store = Store::connect(&database_url, TokenCipher::derive(SECRET.as_bytes())).await?;
    let mut user_ids = Vec::with_capacity(people);
    for n in 0..people {
        let username = format!("fleet-{n}");
        let pair = sim.issue_tokens(CLIENT, &username, SCOPES);
        let user_id = UserId::new(
            SimulatedUser::from_username(&username)
                .ok_or_else(|| anyhow::anyhow!("{username} is not a simulated username"))?
                .id,
        );
        let scopes: Vec<String> = SCOPES.iter().map(|s| format!("extapi:{s}")).collect();
        store
            .save_sign_in(
                &user_id,
                NewTokens {
                    access_token: &SecretString::from(pair.access_token),
                    refresh_token: Some(&SecretString::from(pair.refresh_token)),
                    access_expires_at: None,
                    scopes: &scopes.join(" "),
                },
            )
            .await?;
        user_ids.push(user_id);
    }

    let env: HashMap<String, String> = [
        ("OURA_CLIENT_ID", CLIENT.to_owned()),
        ("OURA_CLIENT_SECRET", "fleet-secret".to_owned()),
        ("OURA_AUTHORIZE_URL", sim.authorize_url()),
        ("OURA_TOKEN_URL", sim.token_url()),
        ("OURA_API_BASE_URL", sim.base_url().to_owned()),
        ("OURA_ISSUER", sim.issuer()),
        ("SESSION_KEY", SECRET.to_owned()),
        ("PUBLIC_URL", address.clone()),
        ("WEBHOOK_PUBLIC_URL", address.clone()),
        ("DATABASE_URL", database_url.clone()),
        ("REDIS_URL", redis_url),
        ("STATIC_DIR", "../dist".to_owned()),
        ("SYNC_ON_LOGIN", "false".to_owned()),
        ("SYNC_INTERVAL_SECS", "21600".to_owned()),
        ("SYNC_BACKFILL_DAYS", backfill_days.to_string()),
        ("OURA_APP_RATE_LIMIT", APP_BUDGET.to_string()),
        ("OURA_RATE_LIMIT", APP_BUDGET.to_string()),
        ("OURA_RATE_WINDOW_SECS", window.to_string()),
        ("RUST_LOG", "error".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let started = Instant::now();
    for listener in listeners {
        let settings = Settings::from_lookup(|name| env.get(name).cloned())?;
        let app = Application::from_listener(settings, listener).await?;
        tokio::spawn(app.run_until_stopped());
    }

    // 1. Every backfill, shared by the two instances' schedules.
    println!(
        "== fleet: {people} people, {backfill_days}-day backfills, two instances on PostgreSQL \
         and Redis, 50 ms latency, Oura's limits of {OURA_LIMIT} per {window} s window per token \
         and per application (the app's budget: {APP_BUDGET})"
    );
    let mut last_report = Instant::now();
    loop {
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sync_runs WHERE status = 'idle' AND last_success_at IS NOT NULL",
        )
        .fetch_one(store.pool())
        .await?;
        if usize::try_from(done)? >= people {
            break;
        }
        if last_report.elapsed() >= Duration::from_secs(15) {
            println!(
                "  {done} of {people} backfills done after {:.0?}",
                started.elapsed()
            );
            last_report = Instant::now();
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(3600),
            "the backfills did not finish within an hour"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let backfill = started.elapsed();
    let counters = sim.counters();
    println!("every backfill done:   {:.1} s", backfill.as_secs_f64());
    println!(
        "requests per person:   {:.1}",
        counters.data_requests as f64 / people as f64
    );
    println!("429 responses:         {} (goal 0)", counters.rate_limited);

    // 2. Webhooks, once the app has subscribed to every data type's three events.
    let wanted = backend::webhooks::subscriptions::DATA_TYPES.len() * 3;
    let subscribing = Instant::now();
    while sim.subscriptions().len() < wanted && subscribing.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "webhooks:              {} subscriptions",
        sim.subscriptions().len()
    );
    let requests_before = sim.counters().data_requests;

    // 2a. A day hour by hour, an hour every `FLEET_HOUR_MILLIS`: rings sync as people wake.
    let hour = Duration::from_millis(setting("FLEET_HOUR_MILLIS", 2500));
    let mut tracker = Tracker::default();
    for _ in 0..24 {
        let at = Instant::now();
        let announced = sim
            .advance_clock_announcing(Duration::from_secs(3600), &DeliveryFaults::default())
            .await;
        tracker.add(&announced.sent, at);
        while at.elapsed() < hour {
            tracker.poll(&store).await?;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let mut events = tracker.events;
    tracker.drain(&store).await?;
    tracker.print(&format!(
        "a day hour by hour, {:.1} s an hour ({} events)",
        hour.as_secs_f64(),
        tracker.events
    ));

    // 2b. The worst case: everyone's whole next day at the same moment.
    let mut tracker = Tracker::default();
    let at = Instant::now();
    let announced = sim
        .advance_clock_announcing(Duration::from_secs(86_400), &DeliveryFaults::default())
        .await;
    tracker.add(&announced.sent, at);
    events += tracker.events;
    tracker.drain(&store).await?;
    tracker.print(&format!("a whole day at once ({} events)", tracker.events));
    let counters = sim.counters();
    println!(
        "requests per event:    {:.2}; 429 responses in all: {}",
        (counters.data_requests - requests_before) as f64 / events.max(1) as f64,
        counters.rate_limited
    );
    drop_schema(&database_url).await
}

/// When each announced daily document was announced, and how long it took to be stored.
#[derive(Default)]
struct Tracker {
    waiting: HashMap<String, Instant>,
    delays: Vec<Duration>,
    events: usize,
}

impl Tracker {
    fn add(&mut self, sent: &[oura_simulator::Delivery], at: Instant) {
        self.events += sent.len();
        self.waiting.extend(
            sent.iter()
                .filter(|d| d.data_type.starts_with("daily_"))
                .map(|d| (d.object_id.clone(), at)),
        );
    }

    /// Notes the documents stored by now.
    async fn poll(&mut self, store: &Store) -> anyhow::Result<()> {
        // A day's documents are filed under it or the day before (a day's activity).
        let recent = (time::OffsetDateTime::now_utc().date() - time::Duration::days(3)).to_string();
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT document_id FROM daily_documents WHERE day >= $1")
                .bind(&recent)
                .fetch_all(store.pool())
                .await?;
        for id in stored {
            if let Some(at) = self.waiting.remove(&id) {
                self.delays.push(at.elapsed());
            }
        }
        Ok(())
    }

    /// Polls until every document is stored, ten minutes at most.
    async fn drain(&mut self, store: &Store) -> anyhow::Result<()> {
        let started = Instant::now();
        while !self.waiting.is_empty() && started.elapsed() < Duration::from_secs(600) {
            self.poll(store).await?;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    fn print(&mut self, what: &str) {
        self.delays.sort();
        let percentile = |p: f64| {
            let index = ((self.delays.len() as f64 * p).ceil() as usize).saturating_sub(1);
            self.delays
                .get(index)
                .map_or(f64::NAN, Duration::as_secs_f64)
        };
        println!(
            "event to stored:       {what}: p50 {:.1} s, p99 {:.1} s (goal: p99 under 60 s), \
             {} of {} daily documents stored",
            percentile(0.50),
            percentile(0.99),
            self.delays.len(),
            self.delays.len() + self.waiting.len()
        );
    }
}

fn schema_name() -> String {
    format!("oura_fleet_{}", std::process::id())
}

/// A URL whose connections use a new, empty schema of the server at `url`.
async fn fresh_schema(url: &str) -> anyhow::Result<String> {
    let schema = schema_name();
    let mut connection = sqlx::PgConnection::connect(url).await?;
    connection
        .execute(
            format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\"")
                .as_str(),
        )
        .await?;
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{url}{separator}options=-c%20search_path%3D{schema}"
    ))
}

/// Drops the schema the run used (`url` is the one [`fresh_schema`] made).
async fn drop_schema(url: &str) -> anyhow::Result<()> {
    let mut connection = sqlx::PgConnection::connect(url).await?;
    connection
        .execute(format!("DROP SCHEMA \"{}\" CASCADE", schema_name()).as_str())
        .await?;
    Ok(())
}
