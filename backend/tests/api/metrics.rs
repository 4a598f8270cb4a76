//! `GET /metrics`: off by default, behind its bearer token when one is set, and what it
//! counts.

use oura_simulator::{Fault, FaultTarget, SimulatorConfig};
use reqwest::StatusCode;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const TOKEN: &str = "metrics-token-0123456789";

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{}/metrics", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// The value of the sample named exactly `series` (name and labels), if there is one.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_are_not_found_unless_switched_on() {
    let app = spawn_app().await;

    let response = scrape(&app, Some(TOKEN)).await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn metrics_need_their_token_when_one_is_set() {
    let app = spawn_app_with(&[("METRICS_TOKEN", TOKEN)], SimulatorConfig::default()).await;

    let without = scrape(&app, None).await;
    let wrong = scrape(&app, Some("metrics-token-012345678X")).await;
    let near = reqwest::Client::new()
        .get(format!("{}/metrics/", app.address))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let right = scrape(&app, Some(TOKEN)).await;

    assert_eq!(without.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        without.headers()["www-authenticate"],
        r#"Bearer realm="metrics""#
    );
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        !near.text().await.unwrap().contains("oura_dashboard_"),
        "the exact path only (`/metrics/` is the app's page)"
    );
    assert_eq!(right.status(), StatusCode::OK);
    assert!(
        right.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    assert_eq!(right.headers()["cache-control"], "no-store");
    assert!(!right.text().await.unwrap().contains(TOKEN));
}

#[tokio::test]
async fn metrics_without_a_token_are_open_when_enabled() {
    let app = spawn_app_with(&[("METRICS_ENABLED", "true")], SimulatorConfig::default()).await;

    let response = scrape(&app, None).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn requests_users_syncs_and_ouras_answers_are_counted() {
    let app = spawn_app_with(
        &[("METRICS_TOKEN", TOKEN), ("SYNC_BACKFILL_DAYS", "30")],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    let status = app.browser.sync_and_wait().await;
    assert_eq!(status["state"], "idle", "{status}");
    app.browser.get("/api/sleep/2026-01-31").await;
    app.browser.get("/api/sleep/2026-02-01").await;
    app.sim
        .inject(FaultTarget::PersonalInfo, Fault::status(429).times(1));
    app.browser.profile().await;

    let text = scrape(&app, Some(TOKEN)).await.text().await.unwrap();

    let requests = |route: &str, status: u16| {
        sample(
            &text,
            &format!(
                r#"oura_dashboard_http_request_duration_seconds_count{{method="GET",route="{route}",status="{status}"}}"#
            ),
        )
    };
    assert_eq!(requests("/api/sleep/{day}", 200), Some(2.0), "{text}");
    assert_eq!(requests("/api/profile", 503), Some(1.0), "{text}");
    let oura = |endpoint: &str, outcome: &str| {
        sample(
            &text,
            &format!(
                r#"oura_dashboard_oura_requests_total{{endpoint="{endpoint}",outcome="{outcome}"}}"#
            ),
        )
        .unwrap_or(0.0)
    };
    assert!(oura("daily_sleep", "ok") >= 1.0, "{text}");
    assert_eq!(oura("personal_info", "rate_limited"), 1.0, "{text}");
    assert_eq!(sample(&text, "oura_dashboard_users"), Some(1.0));
    assert_eq!(sample(&text, "oura_dashboard_syncs_running"), Some(0.0));
    assert_eq!(
        sample(&text, "oura_dashboard_quarantined_documents"),
        Some(0.0)
    );
    let lag = sample(
        &text,
        r#"oura_dashboard_sync_lag_days{collection="daily_sleep"}"#,
    )
    .expect("the lag of a synced collection");
    assert!(lag <= 1.0, "synced through today or yesterday: {lag}");
    assert!(
        sample(&text, "oura_dashboard_sessions").is_some_and(|n| n >= 1.0),
        "{text}"
    );
    // The sync's requests drew on the app's budget (taken ten at a time).
    let synced_requests = oura("daily_sleep", "ok") + oura("daily_readiness", "ok");
    let budget_used = sample(&text, "oura_dashboard_oura_rate_budget_used").unwrap();
    assert!(budget_used >= synced_requests, "{text}");
    assert_eq!(
        sample(&text, "oura_dashboard_oura_rate_budget_limit"),
        Some(4800.0)
    );
}
