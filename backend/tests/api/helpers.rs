use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;

use backend::config::Settings;
use backend::startup::Application;
use backend::store::Store;
use oura_simulator::{ClientRegistration, Simulator, SimulatorConfig};
use reqwest::cookie::{CookieStore as _, Jar};
use reqwest::header::{ACCEPT, HeaderMap};
use reqwest::{Response, StatusCode, redirect};
use serde::de::DeserializeOwned;
use shared::{
    DailyScores, HeartRateSeries, Insight, Night, Summary, SyncHealth, SyncStatus, routes,
};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

pub const CLIENT_ID: &str = "dashboard-test";
pub const CLIENT_SECRET: &str = "dashboard-test-secret";
pub const SESSION_KEY: &str = "test-session-key-test-session-key-test-session-key-test-session-key";
/// The simulator mints tokens with these prefixes, so a leak shows up in any text.
pub const TOKEN_PREFIXES: [&str; 2] = ["_0XSIM_", "_1XSIM_"];
/// What the test SPA's `index.html` holds.
pub const INDEX_HTML: &str = "<!doctype html><html><head><script type=\"module\">boot()</script></head><body>spa</body></html>";

pub struct TestApp {
    pub address: String,
    pub sim: Simulator,
    pub store: Store,
    pub browser: Browser,
    /// The environment the app was built with, to start a second instance on the same data.
    pub env: HashMap<String, String>,
    _static_dir: Arc<tempdir::Dir>,
}

/// A browser: a cookie jar, redirects followed by hand, and `Accept: text/html` on navigation.
pub struct Browser {
    pub http: reqwest::Client,
    pub jar: Arc<Jar>,
    address: String,
}

mod tempdir {
    /// A throw-away directory, removed on drop.
    pub struct Dir(pub std::path::PathBuf);

    impl Dir {
        pub fn new() -> Self {
            let path = std::env::temp_dir().join(format!("oura-dashboard-test-{}", rand_suffix()));
            std::fs::create_dir_all(&path).expect("create a temporary directory");
            Self(path)
        }
    }

    fn rand_suffix() -> String {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        format!(
            "{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        )
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[], SimulatorConfig::default()).await
}

/// Where the app under test keeps its data: a fresh SQLite file in `dir`, or, when
/// `TEST_DATABASE_URL` names a PostgreSQL server, a fresh schema there.
pub async fn test_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => crate::postgres::fresh_schema_url(&url).await,
        _ => format!("sqlite://{}/oura-dashboard.db", dir.display()),
    }
}

/// Spawns the app with extra environment variables and a simulator configuration.
pub async fn spawn_app_with(extra_env: &[(&str, &str)], sim_config: SimulatorConfig) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let address = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let sim = Simulator::start(
        TcpListener::bind("127.0.0.1:0").unwrap(),
        SimulatorConfig {
            clients: vec![ClientRegistration {
                client_id: CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                redirect_uris: vec![format!("{address}/auth/callback")],
            }],
            ..sim_config
        },
    )
    .expect("start the simulator");
    let static_dir = tempdir::Dir::new();
    std::fs::write(static_dir.0.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(static_dir.0.join("index.html.br"), "brotli index").unwrap();
    std::fs::write(static_dir.0.join("app.css"), "body{}").unwrap();
    std::fs::write(static_dir.0.join("app.css.br"), "brotli bytes").unwrap();
    std::fs::write(static_dir.0.join("app.css.gz"), "gzip bytes").unwrap();
    let database_url = test_database_url(&static_dir.0).await;

    let mut env: HashMap<String, String> = [
        ("OURA_CLIENT_ID", CLIENT_ID.to_owned()),
        ("OURA_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
        ("OURA_AUTHORIZE_URL", sim.authorize_url()),
        ("OURA_TOKEN_URL", sim.token_url()),
        ("OURA_API_BASE_URL", sim.base_url().to_owned()),
        ("OURA_ISSUER", sim.issuer()),
        // Short enough for tests of slow answers, long enough for the simulator's one worker
        // to serve a backfill's 16 windows at once on a loaded machine.
        ("OURA_TIMEOUT_SECS", "5".to_owned()),
        ("SESSION_KEY", SESSION_KEY.to_owned()),
        ("PUBLIC_URL", address.clone()),
        ("STATIC_DIR", static_dir.0.display().to_string()),
        ("DATABASE_URL", database_url),
        ("OURA_REVOKE_URL", sim.revoke_url()),
        // Syncs run only when a test asks, so that Oura's counters stay each test's own.
        ("SYNC_ON_LOGIN", "false".to_owned()),
        ("SYNC_INTERVAL_SECS", "0".to_owned()),
        // A couple of days of heart rate keeps syncs quick; the heart-rate tests ask for more.
        ("SYNC_HEART_RATE_BACKFILL_DAYS", "2".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    // `{app}` in a value is the app's own address (`WEBHOOK_PUBLIC_URL`, say).
    for (name, value) in extra_env {
        env.insert((*name).to_owned(), value.replace("{app}", &address));
    }
    let store = start_instance(&env, listener).await;

    TestApp {
        browser: Browser::new(&address),
        address,
        sim,
        store,
        env,
        _static_dir: Arc::new(static_dir),
    }
}

/// Builds and runs one app instance with `env` on `listener`.
pub async fn start_instance(env: &HashMap<String, String>, listener: TcpListener) -> Store {
    let settings =
        Settings::from_lookup(|name| env.get(name).cloned()).expect("valid test settings");
    let app = Application::from_listener(settings, listener)
        .await
        .expect("build the app");
    let store = app.store().clone();
    tokio::spawn(app.run_until_stopped());
    store
}

/// Makes the stored access tokens look expired to the app, as the passing of time would.
pub async fn expire_stored_tokens(store: &Store) {
    sqlx::query("UPDATE oura_tokens SET access_expires_at = 0")
        .execute(store.pool())
        .await
        .expect("expire the stored tokens");
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_owned()
}

pub fn query_param(url: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Everything in a response a browser could see: status line aside, headers and body.
pub async fn visible_text(response: Response) -> String {
    let headers = format!("{:?}", response.headers());
    let body = response.text().await.unwrap_or_default();
    format!("{headers}\n{body}")
}

pub fn assert_no_token(text: &str) {
    for prefix in TOKEN_PREFIXES {
        assert!(
            !text.contains(prefix),
            "an Oura token reached the browser: {text}"
        );
    }
}

/// A `redis-server` of this test's own on a free port, stopped when dropped.
pub struct RedisServer {
    child: std::process::Child,
    pub url: String,
}

impl RedisServer {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server is installed (Debian's redis-server package)");
        let url = format!("redis://127.0.0.1:{port}");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Self { child, url }
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Browser {
    pub fn new(address: &str) -> Self {
        Self::with_client(address, reqwest::Client::builder())
    }

    /// A browser on another machine: its requests come from `local` (any 127.x.y.z works on
    /// loopback), so per-address limits count it on its own.
    pub fn from_address(address: &str, local: std::net::IpAddr) -> Self {
        Self::with_client(address, reqwest::Client::builder().local_address(local))
    }

    fn with_client(address: &str, builder: reqwest::ClientBuilder) -> Self {
        let jar = Arc::new(Jar::default());
        let http = builder
            .redirect(redirect::Policy::none())
            .cookie_provider(Arc::clone(&jar))
            .build()
            .unwrap();
        Self {
            http,
            jar,
            address: address.to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A top-level navigation, as a browser makes it.
    pub async fn navigate(&self, url: &str) -> Response {
        self.http
            .get(url)
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .send()
            .await
            .expect("navigation")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    /// `GET path` from a browser that takes the given `Accept-Encoding` (the test client
    /// decodes nothing, so the body is as the server compressed it).
    pub async fn get_accepting(&self, path: &str, encodings: &str) -> Response {
        self.http
            .get(self.url(path))
            .header("Accept-Encoding", encodings)
            .send()
            .await
            .expect("GET")
    }

    /// The session cookie's `name=value`, as the jar would send it.
    pub fn cookie_header(&self) -> Option<String> {
        let url = self.address.parse().unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    /// `GET /auth/login`; returns the authorize URL it redirects to.
    pub async fn start_login(&self, return_to: Option<&str>) -> String {
        let mut url = self.url("/auth/login");
        if let Some(path) = return_to {
            url = format!("{url}?return_to={}", urlencoding(path));
        }
        let response = self.navigate(&url).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        location(&response)
    }

    /// Answers the simulator's consent page for `authorize_url`; returns the callback URL.
    pub async fn consent(&self, authorize_url: &str, decision: &str) -> String {
        self.consent_as(authorize_url, decision, "demo").await
    }

    /// [`Self::consent`] granting only `scopes` (Oura lets people untick some).
    pub async fn consent_granting(&self, authorize_url: &str, scopes: &[&str]) -> String {
        self.consent_with(authorize_url, "allow", "demo", scopes)
            .await
    }

    /// [`Self::consent`] as the simulated person `username`, granting every scope the app asks
    /// for.
    pub async fn consent_as(&self, authorize_url: &str, decision: &str, username: &str) -> String {
        let scopes: Vec<&str> = backend::config::DEFAULT_SCOPES.split(' ').collect();
        self.consent_with(authorize_url, decision, username, &scopes)
            .await
    }

    async fn consent_with(
        &self,
        authorize_url: &str,
        decision: &str,
        username: &str,
        scopes: &[&str],
    ) -> String {
        let query = url::Url::parse(authorize_url)
            .unwrap()
            .query()
            .unwrap_or_default()
            .to_owned();
        let form_url = authorize_url.split('?').next().unwrap();
        let response = self
            .http
            .post(form_url)
            .form(
                &[
                    ("request", query.as_str()),
                    ("decision", decision),
                    ("username", username),
                ]
                .into_iter()
                .chain(scopes.iter().map(|scope| ("granted", *scope)))
                .collect::<Vec<_>>(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        location(&response)
    }

    /// The whole login; returns the app's final response (a 303 into the SPA on success).
    pub async fn sign_in_returning(&self, return_to: Option<&str>) -> Response {
        let authorize = self.start_login(return_to).await;
        let callback = self.consent(&authorize, "allow").await;
        self.navigate(&callback).await
    }

    /// Signs in as the simulated person `username`.
    pub async fn sign_in_as(&self, username: &str) {
        let authorize = self.start_login(None).await;
        let callback = self.consent_as(&authorize, "allow", username).await;
        let response = self.navigate(&callback).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }

    pub async fn sign_in(&self) {
        let response = self.sign_in_returning(None).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{}",
            response.text().await.unwrap()
        );
    }

    /// Starts a sync and waits until it is over; returns the final `/api/sync` state.
    pub async fn sync_and_wait(&self) -> serde_json::Value {
        let started = self.start_sync().await;
        assert_eq!(started.status(), StatusCode::ACCEPTED);
        let answer: serde_json::Value = started.json().await.unwrap();
        assert_ne!(
            answer["state"], "never",
            "POST /api/sync answers once the run has begun"
        );
        self.wait_for_sync().await
    }

    /// `DELETE /api/account` with `headers` (the CSRF header, or not).
    pub async fn delete_account(&self, headers: HeaderMap) -> Response {
        self.http
            .delete(self.url("/api/account"))
            .headers(headers)
            .send()
            .await
            .unwrap()
    }

    /// `POST /api/sync`: starts a sync and answers once it has begun.
    pub async fn start_sync(&self) -> Response {
        self.http
            .post(self.url("/api/sync"))
            .headers(csrf_headers())
            .send()
            .await
            .unwrap()
    }

    /// Waits until the person's sync (started anywhere) is not running, and returns the state.
    pub async fn wait_for_sync(&self) -> serde_json::Value {
        // Generous: two years of seventeen collections on a loaded 2-core machine.
        for _ in 0..1200 {
            let status: serde_json::Value = self.get("/api/sync").await.json().await.unwrap();
            if status["state"] != "running" {
                return status;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the sync did not finish within 60 seconds");
    }

    /// `GET path`, which must answer 200 with `T`.
    pub async fn get_ok<T: DeserializeOwned>(&self, path: &str) -> T {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    /// `GET /api/daily` for `start..=end`.
    pub async fn daily(&self, start: Date, end: Date) -> Vec<DailyScores> {
        self.get_ok(&format!("{}?start={start}&end={end}", routes::DAILY))
            .await
    }

    /// `GET /api/events`: workouts, sessions, tags and rest mode of `start..=end`.
    pub async fn events(&self, start: Date, end: Date) -> shared::Events {
        self.get_ok(&format!("{}?start={start}&end={end}", routes::EVENTS))
            .await
    }

    /// `GET /api/summary`.
    pub async fn summary(&self) -> Summary {
        self.get_ok(routes::SUMMARY).await
    }

    /// `GET /api/sleep/{day}`.
    pub async fn night(&self, day: Date) -> Night {
        self.get_ok(&format!("{}/{day}", routes::SLEEP)).await
    }

    /// `GET /api/insights`.
    pub async fn insights(&self) -> Vec<Insight> {
        self.get_ok(routes::INSIGHTS).await
    }

    /// `GET /api/heartrate` over `[start, end)`.
    pub async fn heart_rate(&self, start: OffsetDateTime, end: OffsetDateTime) -> HeartRateSeries {
        let rfc3339 = |at: OffsetDateTime| at.format(&Rfc3339).unwrap();
        self.get_ok(&format!(
            "{}?start={}&end={}",
            routes::HEART_RATE,
            rfc3339(start),
            rfc3339(end)
        ))
        .await
    }

    /// `GET /api/sync`.
    pub async fn sync_status(&self) -> SyncStatus {
        self.get_ok(routes::SYNC).await
    }

    /// `GET /api/sync/health`.
    pub async fn sync_health(&self) -> SyncHealth {
        self.get_ok(routes::SYNC_HEALTH).await
    }

    /// Starts a sync (or finds one running), waits until it is over, and returns the state.
    pub async fn sync_status_after_sync(&self) -> SyncStatus {
        self.sync_and_wait().await;
        self.sync_status().await
    }

    /// `POST /api/keys`, which must answer 201; the key with its secret.
    pub async fn create_api_key(&self, name: &str) -> shared::CreatedApiKey {
        let response = self
            .http
            .post(self.url(routes::API_KEYS))
            .headers(csrf_headers())
            .json(&shared::NewApiKey { name: name.into() })
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// `GET /api/export` for `start..=end` as `format`.
    pub async fn export(&self, start: Date, end: Date, format: &str) -> Response {
        self.get(&format!(
            "{}?start={start}&end={end}&format={format}",
            routes::EXPORT
        ))
        .await
    }

    /// `GET /api/profile?refresh=true`: the profile fetched from Oura now.
    pub async fn profile(&self) -> Response {
        self.get("/api/profile?refresh=true").await
    }

    pub async fn logout(&self, headers: HeaderMap) -> Response {
        self.http
            .post(self.url("/auth/logout"))
            .headers(headers)
            .send()
            .await
            .unwrap()
    }
}

pub fn csrf_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("X-Requested-With", "oura-dashboard".parse().unwrap());
    headers
}

pub fn urlencoding(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
