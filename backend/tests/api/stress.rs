//! Many signed-in people at once: every session signs in through the real OAuth flow, then all
//! of them read the dashboard together from a separate server process (the real binary, on
//! Redis sessions), and not one request may fail. Prints requests, errors, latency percentiles
//! and the server's peak memory. `STRESS_SESSIONS` and `STRESS_SECS` set the size (CI runs a
//! small sample; `scripts/stress` runs 1,000 sessions for 60 s on a release build with
//! PostgreSQL and Redis).

use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use reqwest::StatusCode;
use shared::routes;
use time::OffsetDateTime;

use crate::helpers::*;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The `index`th person's own loopback address: each signs in from its own machine, as far as
/// the per-address login limit can tell.
fn person_address(index: usize) -> IpAddr {
    let [high, low] = u16::try_from(index + 1)
        .expect("at most 65,535 sessions")
        .to_be_bytes();
    IpAddr::V4(Ipv4Addr::new(127, 1, high, low))
}

/// The server process under load, killed if the test ends early.
struct ServerProcess(Child);

impl ServerProcess {
    /// The peak resident memory the kernel recorded for the process (`VmHWM`), in KiB.
    fn peak_memory_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: Vec<String>,
}

fn percentile(sorted: &[u64], share: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * share).round() as usize;
    sorted[rank] as f64 / 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_signed_in_sessions_read_the_dashboard_at_once_without_an_error() {
    let sessions = usize::try_from(env_number("STRESS_SESSIONS", 40)).unwrap();
    let duration = Duration::from_secs(env_number("STRESS_SECS", 3));
    let redis = RedisServer::start();
    let app = spawn_app_with(
        &[("REDIS_URL", &redis.url), ("SYNC_BACKFILL_DAYS", "120")],
        Default::default(),
    )
    .await;
    app.browser.sign_in().await;
    app.browser.sync_status_after_sync().await;

    // Everyone signs in through the OAuth flow, a few at a time, each from its own address.
    let started = Instant::now();
    let cookies: Vec<String> = futures_util::stream::iter(0..sessions)
        .map(|index| {
            let address = app.address.clone();
            async move {
                let browser = Browser::from_address(&address, person_address(index));
                browser.sign_in().await;
                browser.cookie_header().expect("a session cookie")
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let sign_in_time = started.elapsed();

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = ServerProcess(
        Command::new(env!("CARGO_BIN_EXE_oura-dashboard"))
            .envs(&app.env)
            .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let probe = reqwest::Client::new();
    for _ in 0..400 {
        if probe.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    let today = OffsetDateTime::now_utc().date();
    let month = format!(
        "{}?start={}&end={today}",
        routes::DAILY,
        today - time::Duration::days(30)
    );
    let paths = [
        routes::SESSION.to_owned(),
        month,
        routes::SUMMARY.to_owned(),
        routes::SYNC.to_owned(),
        routes::PROFILE.to_owned(),
    ];
    let deadline = Instant::now() + duration;
    let tasks: Vec<_> = cookies
        .into_iter()
        .enumerate()
        .map(|(index, cookie)| {
            let (base, paths) = (base.clone(), paths.clone());
            tokio::spawn(async move {
                // One connection per person, as a browser keeps it.
                let http = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .unwrap();
                let mut tally = Tally::default();
                let mut next = index;
                while Instant::now() < deadline {
                    let path = &paths[next % paths.len()];
                    next += 1;
                    let sent = Instant::now();
                    let answer = http
                        .get(format!("{base}{path}"))
                        .header("Cookie", &cookie)
                        .send()
                        .await;
                    let outcome = match answer {
                        Ok(response) if response.status() == StatusCode::OK => {
                            response.bytes().await.map(drop).map_err(|e| e.to_string())
                        }
                        Ok(response) => Err(format!("{path}: {}", response.status())),
                        Err(error) => Err(format!("{path}: {error}")),
                    };
                    tally
                        .latencies_us
                        .push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX));
                    if let Err(error) = outcome {
                        tally.errors.push(error);
                    }
                }
                tally
            })
        })
        .collect();
    let load_started = Instant::now();
    let mut all = Tally::default();
    for task in tasks {
        let tally = task.await.unwrap();
        all.latencies_us.extend(tally.latencies_us);
        all.errors.extend(tally.errors);
    }
    let elapsed = load_started.elapsed().as_secs_f64();
    let peak_kib = server.peak_memory_kib().unwrap_or(0);
    all.latencies_us.sort_unstable();

    println!(
        "stress: {sessions} signed-in sessions (signed in through OAuth in {:.1} s), {:.0} s of load",
        sign_in_time.as_secs_f64(),
        elapsed
    );
    println!(
        "stress: {} requests ({:.0}/s), {} errors; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; server peak memory {:.1} MiB",
        all.latencies_us.len(),
        all.latencies_us.len() as f64 / elapsed,
        all.errors.len(),
        percentile(&all.latencies_us, 0.50),
        percentile(&all.latencies_us, 0.99),
        percentile(&all.latencies_us, 1.0),
        peak_kib as f64 / 1024.0
    );
    assert!(
        all.latencies_us.len() >= sessions,
        "every session was answered"
    );
    assert!(
        all.errors.is_empty(),
        "{} errors, the first: {:?}",
        all.errors.len(),
        &all.errors[..all.errors.len().min(5)]
    );
}
