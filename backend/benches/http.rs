//! Prints how fast the API answers as a share of its own floor: the release binary in demo
//! mode, signed in through the OAuth flow, loaded with Debian's `wrk` (`-t1 -c16`) route by
//! route in one run, each route's requests per second against the same binary's `/healthz`.
//! With `FLASK_BASELINE=1` (and Flask installed, see `scripts/bench`), also the original
//! 2019 app's profile page against the same simulator. Figures only: the goals are in the
//! README. `BENCH_SECS` sets each run's length (default 10).

use std::collections::HashMap;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use reqwest::StatusCode;
use reqwest::cookie::CookieStore as _;
use reqwest::header::LOCATION;
use time::OffsetDateTime;

/// A static page of about the landing page's size, for the first-paint comparison.
const STATIC_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Static</title></head><body><h1>Your Oura data, on your own server</h1>\
<p>A static page to compare first paints with.</p></body></html>";

/// Runs the first-paint measurements of `e2e/bench/paint.mjs` (Playwright, Debian's
/// Chromium), when the browser-test packages are installed.
fn paint(address: &str, cookie: &str) -> anyhow::Result<()> {
    if !std::path::Path::new("../e2e/node_modules/@playwright/test").exists() {
        println!(
            "not measured: the browser-test packages are not installed (scripts/setup --test)"
        );
        return Ok(());
    }
    let status = Command::new("node")
        .arg("bench/paint.mjs")
        .current_dir("../e2e")
        .env("APP_URL", format!("{address}/"))
        .env("STATIC_URL", format!("{address}/static-page.html"))
        .env("COOKIE", cookie)
        .status()?;
    if !status.success() {
        println!("not measured: the paint script failed ({status})");
    }
    Ok(())
}

/// A child process killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_until_up(url: &str) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client.get(url).send().await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("{url} did not come up")
}

fn location(response: &reqwest::Response) -> anyhow::Result<String> {
    Ok(response
        .headers()
        .get(LOCATION)
        .context("a redirect")?
        .to_str()?
        .to_owned())
}

/// Starts a login; returns the consent page's address it redirects to.
async fn start_login(http: &reqwest::Client, address: &str) -> anyhow::Result<String> {
    let login = http
        .get(format!("{address}/auth/login"))
        .header("Accept", "text/html")
        .send()
        .await?;
    location(&login)
}

/// Signs in through the demo simulator's consent page; returns the session cookie.
async fn sign_in(address: &str) -> anyhow::Result<String> {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(jar.clone())
        .build()?;
    let authorize = start_login(&http, address).await?;
    let (form_url, query) = authorize.split_once('?').context("an authorize query")?;
    let mut form = vec![
        ("request", query),
        ("decision", "allow"),
        ("username", "demo"),
    ];
    form.extend(
        ["email", "personal", "daily", "heartrate"]
            .into_iter()
            .map(|scope| ("granted", scope)),
    );
    let consent = http.post(form_url).form(&form).send().await?;
    let callback = location(&consent)?;
    let signed_in = http
        .get(&callback)
        .header("Accept", "text/html")
        .send()
        .await?;
    if signed_in.status() != StatusCode::SEE_OTHER {
        bail!("sign-in failed: {}", signed_in.status());
    }
    let cookie = jar
        .cookies(&address.parse()?)
        .context("a session cookie")?
        .to_str()?
        .to_owned();
    Ok(cookie)
}

/// The file, beside the SPA, that holds the uncompressed 365-day answer.
const YEAR_AS_A_FILE: &str = "daily-365-days.json";

/// A request header, name and value.
type Header<'a> = (&'a str, &'a str);

/// What one `wrk` run printed.
struct Load {
    requests_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    not_ok: u64,
}

fn millis(text: &str) -> Option<f64> {
    let (number, unit) = text
        .find(|c: char| c.is_ascii_alphabetic())
        .map(|at| text.split_at(at))?;
    let number: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        _ => return None,
    })
}

fn wrk(url: &str, headers: &[Header], secs: u64) -> anyhow::Result<Load> {
    let mut command = Command::new("wrk");
    command.args(["-t1", "-c16", &format!("-d{secs}s"), "--latency"]);
    for (name, value) in headers {
        command.args(["-H", &format!("{name}: {value}")]);
    }
    let output = command
        .arg(url)
        .output()
        .context("wrk is installed (Debian's wrk package; scripts/bench installs it)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(prefix))
            .map(|rest| rest.split_whitespace().next().unwrap_or("").to_owned())
    };
    Ok(Load {
        requests_per_sec: field("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("wrk printed no rate:\n{text}"))?,
        p50_ms: field("50%").and_then(|v| millis(&v)).unwrap_or(f64::NAN),
        p99_ms: field("99%").and_then(|v| millis(&v)).unwrap_or(f64::NAN),
        not_ok: field("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    })
}

/// The body of `path` as it goes on the wire, sent with `accept_encoding` (not decoded).
async fn wire_body(
    address: &str,
    path: &str,
    cookie: &str,
    accept_encoding: &str,
) -> anyhow::Result<Vec<u8>> {
    let response = reqwest::Client::new()
        .get(format!("{address}{path}"))
        .header("Cookie", cookie)
        .header("Accept-Encoding", accept_encoding)
        .send()
        .await?;
    Ok(response.bytes().await?.to_vec())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let dir = std::env::temp_dir().join(format!("oura-dashboard-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    // The SPA as built, and beside it a static page to compare first paints with.
    let static_dir = dir.join("static");
    std::fs::create_dir_all(&static_dir)?;
    for entry in std::fs::read_dir("../dist").context("build the SPA first (trunk build)")? {
        let entry = entry?;
        std::fs::copy(entry.path(), static_dir.join(entry.file_name()))?;
    }
    std::fs::write(static_dir.join("static-page.html"), STATIC_PAGE)?;
    let port = free_port()?;
    let address = format!("http://127.0.0.1:{port}");
    let env: HashMap<&str, String> = [
        ("BIND_ADDRESS", format!("127.0.0.1:{port}")),
        ("PUBLIC_URL", address.clone()),
        ("DEMO_SIMULATOR_PORT", free_port()?.to_string()),
        (
            "DATABASE_URL",
            format!("sqlite://{}/bench.db", dir.display()),
        ),
        ("STATIC_DIR", static_dir.display().to_string()),
        ("RUST_LOG", "warn".to_owned()),
        ("SYNC_HEART_RATE_BACKFILL_DAYS", "14".to_owned()),
    ]
    .into_iter()
    .collect();
    let _server = Process(
        Command::new(env!("CARGO_BIN_EXE_oura-dashboard"))
            .env_remove("OURA_CLIENT_ID")
            .env_remove("REDIS_URL")
            .envs(&env)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    wait_until_up(&format!("{address}/healthz")).await?;

    let cookie = sign_in(&address).await?;
    let http = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let status: shared::SyncStatus = http
            .get(format!("{address}/api/sync"))
            .header("Cookie", &cookie)
            .send()
            .await?
            .json()
            .await?;
        if status.state != shared::SyncState::Running {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("the first sync did not end within 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let key: shared::CreatedApiKey = http
        .post(format!("{address}/api/keys"))
        .header("Cookie", &cookie)
        .header(shared::CSRF_HEADER, shared::CSRF_HEADER_VALUE)
        .json(&shared::NewApiKey {
            name: "benchmark".into(),
        })
        .send()
        .await?
        .json()
        .await?;
    let bearer = format!("Bearer {}", key.secret);

    println!(
        "== Paint (headless Chromium; median of 15 loads each, the static page and the app alternating, from navigation start)"
    );
    paint(&address, &cookie)?;

    let today = OffsetDateTime::now_utc().date();
    let year = format!(
        "/api/daily?start={}&end={today}",
        today - time::Duration::days(364)
    );
    let year_compact = format!("{year}&compact=true");
    // The uncompressed year as a file beside the SPA, served by the same binary: what sending
    // those bytes costs with no route behind them.
    let year_bytes = wire_body(&address, &year, &cookie, "identity").await?;
    std::fs::write(static_dir.join(YEAR_AS_A_FILE), &year_bytes)?;
    let with_cookie = [("Cookie", cookie.as_str())];
    let with_key = [("Authorization", bearer.as_str())];
    let as_a_browser = [
        ("Cookie", cookie.as_str()),
        ("Accept-Encoding", "gzip, deflate, br, zstd"),
    ];
    // What Python's requests and Go's net/http send unless told otherwise.
    let as_a_script = [
        ("Authorization", bearer.as_str()),
        ("Accept-Encoding", "gzip, deflate"),
    ];
    let cases: Vec<(&str, String, &[Header])> = vec![
        ("GET /healthz (the floor)", "/healthz".into(), &[]),
        (
            "GET /api/session, cookie",
            "/api/session".into(),
            &with_cookie,
        ),
        (
            "GET /api/daily 365 days, cookie",
            year.clone(),
            &with_cookie,
        ),
        ("GET /api/daily 365 days, API key", year.clone(), &with_key),
        (
            "GET the same bytes as a static file",
            format!("/{YEAR_AS_A_FILE}"),
            &[],
        ),
        (
            "GET /api/daily 365 days, cookie, br accepted",
            year.clone(),
            &as_a_browser,
        ),
        (
            "GET /api/daily 365 days, API key, gzip accepted",
            year.clone(),
            &as_a_script,
        ),
        (
            "GET /api/daily 365 days compact, cookie",
            year_compact.clone(),
            &with_cookie,
        ),
        (
            "GET /api/summary, cookie",
            "/api/summary".into(),
            &with_cookie,
        ),
        (
            "GET /api/profile, cookie",
            "/api/profile".into(),
            &with_cookie,
        ),
    ];

    println!("\n== Throughput: wrk -t1 -c16 -d{secs}s, release build, demo mode, one run");
    println!(
        "{:<48} {:>10} {:>8} {:>9} {:>9} {:>7}",
        "route", "req/s", "share", "p50 ms", "p99 ms", "not ok"
    );
    let mut floor = None;
    let mut rates = HashMap::new();
    for (name, path, headers) in &cases {
        let load = wrk(&format!("{address}{path}"), headers, secs)?;
        let floor_rate = *floor.get_or_insert(load.requests_per_sec);
        println!(
            "{name:<48} {:>10.0} {:>7.0}% {:>9.2} {:>9.2} {:>7}",
            load.requests_per_sec,
            100.0 * load.requests_per_sec / floor_rate,
            load.p50_ms,
            load.p99_ms,
            load.not_ok
        );
        rates.insert(*name, load.requests_per_sec);
    }
    let as_a_file = rates["GET the same bytes as a static file"];
    println!(
        "\nThe uncompressed year ({} bytes) against the same bytes as a static file: cookie {:.0} %, API key {:.0} %",
        year_bytes.len(),
        100.0 * rates["GET /api/daily 365 days, cookie"] / as_a_file,
        100.0 * rates["GET /api/daily 365 days, API key"] / as_a_file,
    );

    println!("\n== Payloads (bytes on the wire)");
    for (name, path) in [
        ("daily, 365 days", &year),
        ("daily, 365 days compact", &year_compact),
    ] {
        let plain = wire_body(&address, path, &cookie, "identity").await?.len();
        let gzip = wire_body(&address, path, &cookie, "gzip").await?.len();
        let brotli = wire_body(&address, path, &cookie, "br").await?.len();
        println!("{name:<42} {plain:>8} plain {gzip:>8} gzip {brotli:>8} br");
    }

    if std::env::var("FLASK_BASELINE").is_ok_and(|v| v == "1") {
        flask_baseline(&address, &cookie, secs).await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The 2019 Flask app's profile page (its Oura token in Flask's cookie session, one Oura call
/// per view) on the same simulator, against ours from the warehouse.
async fn flask_baseline(address: &str, cookie: &str, secs: u64) -> anyhow::Result<()> {
    let python = std::env::var("FLASK_PYTHON").unwrap_or_else(|_| "python3".into());
    // The demo simulator's address, from where the login sends the browser.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let authorize = reqwest::Url::parse(&start_login(&http, address).await?)?;
    let simulator = authorize.origin().ascii_serialization();
    let port = free_port()?;
    let _flask = Process(
        Command::new(python)
            .arg("benches/flask_baseline.py")
            .env("SIMULATOR_URL", &simulator)
            .env("PORT", port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("python3 with Flask (scripts/bench --flask installs it)")?,
    );
    let flask = format!("http://127.0.0.1:{port}");
    wait_until_up(&format!("{flask}/")).await?;
    // Its login: a token for the demo person, kept in its cookie session.
    let flask_login = http.get(format!("{flask}/login")).send().await?;
    let flask_cookie = flask_login
        .headers()
        .get("set-cookie")
        .context("the Flask app's session cookie")?
        .to_str()?
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();

    let theirs = wrk(
        &format!("{flask}/profile"),
        &[("Cookie", &flask_cookie)],
        secs,
    )?;
    let ours = wrk(
        &format!("{address}/api/profile"),
        &[("Cookie", cookie)],
        secs,
    )?;
    println!("\n== The original Flask app's profile page, same simulator");
    println!(
        "Flask /profile:   {:>8.0} req/s, p50 {:.2} ms, {} not ok",
        theirs.requests_per_sec, theirs.p50_ms, theirs.not_ok
    );
    println!(
        "ours /api/profile:{:>8.0} req/s, p50 {:.2} ms, {} not ok: {:.0}x",
        ours.requests_per_sec,
        ours.p50_ms,
        ours.not_ok,
        ours.requests_per_sec / theirs.requests_per_sec
    );
    Ok(())
}
