use std::time::Duration;

use oura_simulator::{Fault, FaultTarget, SimulatedUser, SimulatorConfig};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

async fn bearer_profile(app: &TestApp, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/api/profile", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn signed_out_profile_requests_get_401_json_saying_how_to_sign_in() {
    let app = spawn_app().await;

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().contains_key("www-authenticate"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unauthenticated");
    assert_eq!(body["sign_in_url"], "/auth/login");
}

#[tokio::test]
async fn the_profile_maps_ouras_fields_with_explicit_units() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let demo = SimulatedUser::from_username("demo").unwrap();

    let profile: Value = app.browser.profile().await.json().await.unwrap();

    assert_eq!(
        profile,
        serde_json::json!({
            "id": demo.id,
            "email": demo.email,
            "age_years": demo.age,
            "weight_kg": demo.weight_kg,
            "height_m": demo.height_m,
            "biological_sex": demo.biological_sex,
        })
    );
}

#[tokio::test]
async fn the_profile_is_served_from_the_store_without_calling_oura() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let demo = SimulatedUser::from_username("demo").unwrap();
    let before = app.sim.counters().data_requests;
    // Even while Oura fails.
    app.sim
        .inject(FaultTarget::PersonalInfo, Fault::status(500).times(100));

    for _ in 0..5 {
        let profile: shared::Profile = app.browser.get_ok(shared::routes::PROFILE).await;
        assert_eq!(profile.email.as_deref(), Some(demo.email.as_str()));
    }

    assert_eq!(app.sim.counters().data_requests, before, "no call to Oura");
}

#[tokio::test]
async fn every_sync_brings_the_stored_profile_up_to_date() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    sqlx::query("UPDATE profiles SET document = $1")
        .bind(r#"{"id": "old", "email": "old@example.com"}"#)
        .execute(app.store.pool())
        .await
        .unwrap();
    let stale: shared::Profile = app.browser.get_ok(shared::routes::PROFILE).await;
    assert_eq!(stale.email.as_deref(), Some("old@example.com"));

    app.browser.sync_and_wait().await;

    let current: shared::Profile = app.browser.get_ok(shared::routes::PROFILE).await;
    let demo = SimulatedUser::from_username("demo").unwrap();
    assert_eq!(current.email.as_deref(), Some(demo.email.as_str()));
}

#[tokio::test]
async fn a_refresh_asks_oura_and_is_limited_to_twenty_a_minute() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let before = app.sim.counters().data_requests;

    for _ in 0..20 {
        assert_eq!(app.browser.profile().await.status(), StatusCode::OK);
    }
    assert_eq!(
        app.sim.counters().data_requests - before,
        20,
        "one call each"
    );
    let refused = app.browser.profile().await;

    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(app.sim.counters().data_requests - before, 20);
    // The stored profile is still there for the asking.
    assert_eq!(
        app.browser.get(shared::routes::PROFILE).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_api_key_reads_the_stored_profile_even_when_asking_for_a_refresh() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let key = app.browser.create_api_key("script").await;
    let before = app.sim.counters().data_requests;

    let response = reqwest::Client::new()
        .get(format!("{}/api/profile?refresh=true", app.address))
        .bearer_auth(&key.secret)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.sim.counters().data_requests, before);
}

#[tokio::test]
async fn a_malformed_refresh_flag_is_a_400() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    let response = app.browser.get("/api/profile?refresh=perhaps").await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_bearer_token_works_for_curl_and_goes_to_oura_in_the_header_only() {
    let app = spawn_app().await;
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "alex", &["email", "personal"])
        .access_token;

    let response = bearer_profile(&app, &token).await;

    assert_eq!(response.status(), StatusCode::OK);
    let profile: Value = response.json().await.unwrap();
    assert_eq!(profile["email"], "alex@example.com");
    assert_eq!(app.sim.counters().tokens_in_query, 0);
}

#[tokio::test]
async fn a_malformed_authorization_header_is_a_400() {
    let app = spawn_app().await;

    let response = reqwest::Client::new()
        .get(format!("{}/api/profile", app.address))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_unknown_bearer_token_gets_401_sign_in_again() {
    let app = spawn_app().await;

    let response = bearer_profile(&app, "not-a-token").await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "sign_in_again");
}

#[tokio::test]
async fn a_revoked_oura_token_means_sign_in_again_and_ends_the_session() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    app.sim.revoke_all_tokens();

    let first = app.browser.profile().await;
    let status = app
        .browser
        .get("/api/session")
        .await
        .json::<Value>()
        .await
        .unwrap();

    assert_eq!(first.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        first.json::<Value>().await.unwrap()["error"],
        "sign_in_again"
    );
    assert_eq!(status["signed_in"], false);
}

#[tokio::test]
async fn ouras_rate_limit_becomes_503_with_retry_after() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    app.sim.inject(
        FaultTarget::PersonalInfo,
        Fault::status(429).with_header("retry-after", "42"),
    );

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "42");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "upstream_unavailable");
    assert_eq!(body["retry_after_secs"], 42);
}

#[tokio::test]
async fn the_real_rate_limiter_is_answered_the_same_way() {
    let app = spawn_app_with(
        &[],
        SimulatorConfig {
            rate_limit_requests: 1,
            ..SimulatorConfig::default()
        },
    )
    .await;
    app.browser.sign_in().await; // the login's own personal_info call uses the one request

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn an_oura_server_error_becomes_502() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    app.sim
        .inject(FaultTarget::PersonalInfo, Fault::status(500));

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "upstream_error"
    );
}

#[tokio::test]
async fn malformed_oura_json_becomes_502() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    for body in [
        r#"{"id": 12, "age": "old"}"#,
        r#"{"id": "abc", "#,
        "<html>oops</html>",
    ] {
        app.sim.inject(
            FaultTarget::PersonalInfo,
            Fault::status(200).with_body("application/json", body),
        );

        let response = app.browser.profile().await;

        assert_eq!(response.status(), StatusCode::BAD_GATEWAY, "{body}");
    }
}

#[tokio::test]
async fn a_hung_oura_gives_504_while_healthz_stays_fast() {
    let app = spawn_app_with(&[("OURA_TIMEOUT_SECS", "1")], SimulatorConfig::default()).await;
    app.browser.sign_in().await;
    app.sim.inject(
        FaultTarget::PersonalInfo,
        Fault::delay(Duration::from_secs(5)),
    );

    let slow = app.browser.profile();
    let health = async {
        let started = std::time::Instant::now();
        let response = app.browser.get("/healthz").await;
        (response.status(), started.elapsed())
    };
    let (slow, (health_status, health_time)) = tokio::join!(slow, health);

    assert_eq!(slow.status(), StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(health_status, StatusCode::OK);
    assert!(health_time < Duration::from_millis(500), "{health_time:?}");
}

#[tokio::test]
async fn an_unreachable_oura_gives_a_fast_502() {
    let app = spawn_app_with(
        &[("OURA_API_BASE_URL", "http://127.0.0.1:9")],
        SimulatorConfig::default(),
    )
    .await;
    let started = std::time::Instant::now();

    let response = bearer_profile(&app, "any-token").await;

    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn sessions_end_after_the_absolute_timeout() {
    let app = spawn_app_with(
        &[("SESSION_ABSOLUTE_TIMEOUT_SECS", "1")],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    tokio::time::sleep(Duration::from_millis(2100)).await;

    assert_eq!(
        app.browser.profile().await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sessions_end_after_the_idle_timeout() {
    let app = spawn_app_with(
        &[("SESSION_IDLE_TIMEOUT_SECS", "1")],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    assert_eq!(
        app.browser.profile().await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_oversized_oura_answer_becomes_502_not_a_memory_spike() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let huge = format!(r#"{{"id": "abc", "padding": "{}"}}"#, "x".repeat(33 << 20));
    app.sim.inject(
        FaultTarget::PersonalInfo,
        Fault::status(200).with_body("application/json", &huge),
    );

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("larger than"),
        "{body}"
    );
}
