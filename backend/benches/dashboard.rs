//! Prints the dashboard's speed and size figures:
//! - a 5-year backfill of all seventeen collections against the simulator with 150 ms of latency,
//!   realistic page sizes and Oura's rate limit: requests made against requests the windows and
//!   pages strictly need, 429s, wall time;
//! - heart-rate ingest into the warehouse, rows per second;
//! - a warm `/api/daily` for 365 days: the handler's time (its `Server-Timing`), the HTTP round
//!   trip, and the uncached work of the first view after new data;
//! - the SPA's total transfer as served (compressed), from `dist/`.
//!
//! Run with `scripts/bench` (release build). Figures only: the targets are in the README.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use backend::config::Settings;
use backend::domain::{DayRange, UserId};
use backend::oura::{self, Collection, OuraApi, OuraOAuth, UserTokens};
use backend::read_model;
use backend::startup::Application;
use backend::store::{HeartRateReading, NewTokens, Store, TokenCipher};
use backend::sync::{SyncSettings, Syncer};
use oura_simulator::{ClientRegistration, Simulator, SimulatorConfig};
use secrecy::{ExposeSecret as _, SecretString};
use sqlx::Row as _;
use time::{Duration as Days, OffsetDateTime};

const YEARS: i64 = 5;
const SECRET: &str = "benchmark-secret-benchmark-secret-benchmark-secret-benchmark-secret";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("oura-dashboard-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let database_url = format!("sqlite://{}/bench.db", dir.display());

    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let sim = Simulator::start(
        TcpListener::bind("127.0.0.1:0")?,
        SimulatorConfig {
            clients: vec![ClientRegistration {
                client_id: "bench".into(),
                client_secret: "bench-secret".into(),
                redirect_uris: vec![format!("{address}/auth/callback")],
            }],
            latency: Duration::from_millis(150),
            ..SimulatorConfig::default()
        },
    )?;

    let env: HashMap<String, String> = [
        ("OURA_CLIENT_ID", "bench".to_owned()),
        ("OURA_CLIENT_SECRET", "bench-secret".to_owned()),
        ("OURA_AUTHORIZE_URL", sim.authorize_url()),
        ("OURA_TOKEN_URL", sim.token_url()),
        ("OURA_API_BASE_URL", sim.base_url().to_owned()),
        ("OURA_ISSUER", sim.issuer()),
        ("SESSION_KEY", SECRET.to_owned()),
        ("PUBLIC_URL", address.clone()),
        ("DATABASE_URL", database_url.clone()),
        ("STATIC_DIR", "../dist".to_owned()),
        ("SYNC_ON_LOGIN", "false".to_owned()),
        ("SYNC_INTERVAL_SECS", "0".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let settings = Settings::from_lookup(|name| env.get(name).cloned())?;
    let backend::config::OuraMode::Configured(oura_settings) = &settings.oura else {
        anyhow::bail!("the benchmark configures Oura explicitly");
    };

    // A signed-in person, as the login would leave them.
    let store = Store::connect(&database_url, TokenCipher::derive(SECRET.as_bytes())).await?;
    let pair = sim.issue_tokens(
        "bench",
        "bench-person",
        &[
            "daily",
            "heartrate",
            "personal",
            "stress",
            "spo2",
            "heart_health",
            "workout",
            "session",
            "tag",
        ],
    );
    let user_id = &UserId::new("bench-person");
    store
        .save_sign_in(
            user_id,
            NewTokens {
                access_token: &SecretString::from(pair.access_token),
                refresh_token: Some(&SecretString::from(pair.refresh_token)),
                access_expires_at: None,
                scopes: "extapi:daily extapi:heartrate extapi:stress extapi:spo2 extapi:heart_health \
                         extapi:workout extapi:session extapi:tag",
            },
        )
        .await?;

    // 1. The 5-year backfill.
    let http = oura::http_client(Duration::from_secs(5), Duration::from_secs(30))?;
    let oauth = Arc::new(OuraOAuth::new(
        oura_settings,
        &settings.redirect_uri(),
        http.clone(),
    )?);
    let tokens = Arc::new(UserTokens::new(store.clone(), oauth));
    let days = YEARS * 365 + 1;
    let sync_settings = SyncSettings {
        backfill_days: days,
        heart_rate_backfill_days: days,
        ..SyncSettings::default()
    };
    let syncer = Syncer::new(
        store.clone(),
        OuraApi::new(http, oura_settings.api_base_url.clone()),
        tokens,
        sync_settings.clone(),
    );
    let started = Instant::now();
    let report = syncer
        .run(user_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a sync was already running"))?;
    let wall = started.elapsed();
    let counters = sim.counters();
    // Every window's pages, and the profile, kept current with every sync.
    let needed = requests_needed(&store, user_id, &sync_settings).await? + 1;
    let rows = total_rows(&store).await?;
    println!("== 5-year backfill, 150 ms latency, Oura's page sizes and rate limit");
    println!("requests made:     {}", counters.data_requests);
    println!("requests needed:   {needed} (date windows x pages the data fills, and the profile)");
    println!("429 responses:     {}", counters.rate_limited);
    println!(
        "rows stored:       {rows} ({} documents in {} pages)",
        report.documents, report.pages
    );
    println!(
        "wall time:         {:.1} s   (target: at most 10 s)",
        wall.as_secs_f64()
    );

    // 2. Heart-rate ingest.
    let readings: Vec<HeartRateReading> = (0..100_000)
        .map(|i| -> anyhow::Result<HeartRateReading> {
            Ok(HeartRateReading {
                at: OffsetDateTime::from_unix_timestamp(4_000_000_000 + i * 300)?,
                bpm: 60 + i % 40,
                source: "awake".into(),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let started = Instant::now();
    for page in readings.chunks(1000) {
        store.save_heart_rate_page(user_id, page).await?;
    }
    let ingest = started.elapsed();
    println!("\n== Heart-rate ingest (SQLite, 1000-row pages)");
    println!(
        "rows per second:   {:.0}   (target: at least 100000)",
        readings.len() as f64 / ingest.as_secs_f64()
    );

    // 3. A warm dashboard call: 365 days of daily scores.
    let today = OffsetDateTime::now_utc().date();
    let start = today - Days::days(364);
    let mut server_times = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let days = read_model::daily(&store, user_id, DayRange::new(start, today)?).await?;
        let _ = serde_json::to_vec(&days)?;
        server_times.push(started.elapsed());
    }
    let app = Application::from_listener(
        Settings::from_lookup(|name| env.get(name).cloned())?,
        listener,
    )
    .await?;
    tokio::spawn(app.run_until_stopped());
    let key = store.create_api_key(user_id, "bench").await?.secret;
    let client = reqwest::Client::new();
    let url = format!("{address}/api/daily?start={start}&end={today}");
    let mut round_trips = Vec::new();
    let mut handler_times = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let response = client
            .get(&url)
            .bearer_auth(key.expose_secret())
            .send()
            .await?;
        let handler_ms: Option<f64> = response
            .headers()
            .get("server-timing")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("app;dur="))
            .and_then(|v| v.parse().ok());
        let _ = response.bytes().await?;
        round_trips.push(started.elapsed());
        handler_times.extend(handler_ms.map(|ms| Duration::from_secs_f64(ms / 1e3)));
    }
    let before = sim.counters().data_requests;
    println!("\n== Warm GET /api/daily, 365 days (median of 200)");
    println!(
        "uncached work:     {:.3} ms (query, shape, serialise: the first view after new data)",
        median(&mut server_times) * 1e3
    );
    println!(
        "HTTP round trip:   {:.3} ms on loopback (API-key check included)",
        median(&mut round_trips) * 1e3
    );
    println!(
        "warm handler:      {:.3} ms (Server-Timing; target: well under 1 ms)",
        median(&mut handler_times) * 1e3
    );
    println!(
        "Oura calls:        {}",
        sim.counters().data_requests - before
    );

    // 4. The SPA as served.
    println!("\n== SPA transfer as served (Accept-Encoding: br, gzip)");
    match spa_transfer(&client, &address).await {
        Ok((total, lines)) => {
            for line in lines {
                println!("{line}");
            }
            println!(
                "total:             {:.1} KB   (target: at most 120 KB)",
                total as f64 / 1000.0
            );
        }
        Err(error) => {
            println!("not measured: {error} (build the SPA first: trunk build --release)")
        }
    }

    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

async fn count(store: &Store, sql: &str, binds: &[&str]) -> anyhow::Result<i64> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    Ok(query.fetch_one(store.pool()).await?.try_get("n")?)
}

/// What the windows and pages strictly need: per window, one request per page of its data
/// (at least one).
async fn requests_needed(
    store: &Store,
    user_id: &UserId,
    settings: &SyncSettings,
) -> anyhow::Result<i64> {
    let today = OffsetDateTime::now_utc().date();
    let mut needed = 0;
    for collection in Collection::ALL {
        if !collection.is_dated() {
            needed += 1;
            continue;
        }
        let (window_days, backfill, page_size) = match collection {
            Collection::HeartRate => (30, settings.heart_rate_backfill_days, 1000),
            _ => (settings.window_days, settings.backfill_days, 100),
        };
        let collection = collection.name();
        let mut first = today - Days::days(backfill);
        while first <= today {
            let last = (first + Days::days(window_days - 1)).min(today);
            let (from, to) = (first.to_string(), last.to_string());
            let rows = match collection {
                "sleep" => {
                    count(store, "SELECT COUNT(*) AS n FROM sleep_periods WHERE user_id = $1 AND day >= $2 AND day <= $3", &[user_id.as_str(), &from, &to]).await?
                }
                "heartrate" => {
                    let start = first.midnight().assume_utc().unix_timestamp().to_string();
                    let end = (last + Days::days(1)).midnight().assume_utc().unix_timestamp().to_string();
                    let query = format!("SELECT COUNT(*) AS n FROM heart_rate WHERE user_id = $1 AND at >= {start} AND at < {end}");
                    count(store, &query, &[user_id.as_str()]).await?
                }
                "workout" | "session" | "enhanced_tag" | "rest_mode_period" => {
                    count(
                        store,
                        "SELECT COUNT(*) AS n FROM events WHERE user_id = $1 AND collection = $2 AND day >= $3 AND day <= $4",
                        &[user_id.as_str(), collection, &from, &to],
                    )
                    .await?
                }
                _ => {
                    count(
                        store,
                        "SELECT COUNT(*) AS n FROM daily_documents WHERE user_id = $1 AND collection = $2 AND day >= $3 AND day <= $4",
                        &[user_id.as_str(), collection, &from, &to],
                    )
                    .await?
                }
            };
            needed += ((rows + page_size - 1) / page_size).max(1);
            first = last + Days::days(1);
        }
    }
    Ok(needed)
}

async fn total_rows(store: &Store) -> anyhow::Result<i64> {
    let mut total = 0;
    for table in ["daily_documents", "sleep_periods", "heart_rate", "events"] {
        total += count(store, &format!("SELECT COUNT(*) AS n FROM {table}"), &[]).await?;
    }
    Ok(total)
}

/// Fetches index.html and every asset it names, compressed as the server sends them.
async fn spa_transfer(
    client: &reqwest::Client,
    address: &str,
) -> anyhow::Result<(usize, Vec<String>)> {
    let fetch = |path: String| async move {
        let response = client
            .get(format!("{address}{path}"))
            .header("Accept-Encoding", "br, gzip")
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        let encoding = response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("identity")
            .to_owned();
        let bytes = response.bytes().await?;
        Ok::<_, anyhow::Error>((bytes, encoding))
    };
    // reqwest here decodes nothing (no compression features), so these are wire sizes; the
    // asset names are read from an uncompressed copy.
    let (index, encoding) = fetch("/".to_owned()).await?;
    let html = client
        .get(format!("{address}/"))
        .send()
        .await?
        .text()
        .await?;
    let mut total = index.len();
    let mut lines = vec![format!(
        "{:<40} {:>8} B  {encoding}",
        "/ (index.html)",
        index.len()
    )];
    let mut assets: Vec<String> = html
        .split(['"', '\''])
        .filter(|part| {
            part.starts_with('/') && part.len() > 1 && part.contains('.') && !part.contains(' ')
        })
        .map(str::to_owned)
        .collect();
    assets.sort();
    assets.dedup();
    for asset in assets {
        let (bytes, encoding) = fetch(asset.clone()).await?;
        total += bytes.len();
        lines.push(format!("{asset:<40} {:>8} B  {encoding}", bytes.len()));
    }
    Ok((total, lines))
}
