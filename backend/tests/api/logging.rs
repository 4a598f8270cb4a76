use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use oura_simulator::SimulatorConfig;
use reqwest::StatusCode;

use crate::helpers::*;

/// Every log line of this test binary, captured once for all tests (the subscriber is global).
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        tracing_subscriber::fmt()
            .with_env_filter("info")
            .with_ansi(false)
            .with_writer(move || Capture(Arc::clone(&sink)))
            .try_init()
            .expect("no other test installs a global subscriber");
        buffer
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logins_and_logouts_are_logged_without_any_secret() {
    let logs = captured_logs();
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;
    app.browser.navigate(&callback).await;
    let session_cookie = app.browser.cookie_header().unwrap();
    app.browser.logout(csrf_headers()).await;

    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();

    assert!(text.contains("signed in"), "{text}");
    assert!(text.contains("signed out"), "{text}");
    assert!(
        text.contains("GET /auth/callback"),
        "requests are logged by path: {text}"
    );
    let code = query_param(&callback, "code").unwrap();
    let state = query_param(&callback, "state").unwrap();
    let cookie_value = session_cookie.split_once('=').unwrap().1.to_owned();
    for secret in [
        code.as_str(),
        &state,
        CLIENT_SECRET,
        SESSION_KEY,
        &cookie_value,
    ] {
        assert!(!text.contains(secret), "a secret was logged: {secret}");
    }
    assert_no_token(&text);
}

#[tokio::test]
async fn every_request_is_named_in_its_response_and_its_log_lines_with_the_user() {
    let logs = captured_logs();
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let user_id = app
        .browser
        .profile()
        .await
        .json::<shared::Profile>()
        .await
        .unwrap()
        .id;

    let first = app.browser.get(shared::routes::SESSION).await;
    let second = app.browser.get(shared::routes::SUMMARY).await;

    let request_id = |response: &reqwest::Response| {
        response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let (first_id, second_id) = (request_id(&first), request_id(&second));
    assert_eq!(second_id.len(), 16, "{second_id}");
    assert_ne!(first_id, second_id, "each request has its own id");
    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let line = text
        .lines()
        .find(|line| line.contains(&second_id) && line.contains("GET /api/summary"))
        .unwrap_or_else(|| panic!("no log line names request {second_id}: {text}"));
    assert!(line.contains(&format!("user_id={user_id}")), "{line}");
}

#[tokio::test]
async fn an_account_deleted_during_its_sync_ends_the_sync_quietly() {
    let logs = captured_logs();
    // One window at a time, each answer slow: most collections are still to come when the
    // account goes.
    let app = spawn_app_with(
        &[("SYNC_CONCURRENCY", "1")],
        SimulatorConfig {
            latency: Duration::from_millis(50),
            ..SimulatorConfig::default()
        },
    )
    .await;
    app.browser.sign_in().await;
    let user_id: String = sqlx::query_scalar("SELECT id FROM users")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(
        app.browser.start_sync().await.status(),
        StatusCode::ACCEPTED
    );
    for _ in 0..200 {
        if app.sim.counters().data_requests >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    let deleted = app.browser.delete_account(csrf_headers()).await;
    let status = deleted.status();
    let body = deleted.text().await.unwrap();
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "{body}\n{}",
        String::from_utf8_lossy(&logs.lock().unwrap())
    );

    let in_its_sync = format!("sync{{user_id={user_id}}}");
    let stopped = "the account was deleted during its sync";
    let mut lines = Vec::new();
    for _ in 0..200 {
        let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
        lines = text
            .lines()
            .filter(|line| line.contains(&in_its_sync))
            .map(str::to_owned)
            .collect();
        if lines.iter().any(|line| line.contains(stopped)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        lines.iter().any(|line| line.contains(stopped)),
        "the run did not say it stopped: {lines:#?}"
    );
    // Not a warning per collection (a foreign key, then "sign in again"), nor "sync failed".
    let warnings: Vec<_> = lines.iter().filter(|line| line.contains("WARN")).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
}
