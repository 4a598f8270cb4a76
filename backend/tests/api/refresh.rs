//! Token refresh: before expiry, after a 401, once per user however many requests race, and
//! what each kind of failure does to the session.

use std::time::Duration;

use oura_simulator::{Fault, FaultTarget, SimulatorConfig};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Row as _;

use crate::helpers::*;

/// Access tokens that live less than the refresh margin: every use needs a refresh first.
fn short_lived_tokens() -> SimulatorConfig {
    SimulatorConfig {
        access_token_lifetime: Duration::from_secs(60),
        ..SimulatorConfig::default()
    }
}

#[tokio::test]
async fn tokens_are_stored_encrypted_and_never_in_the_session() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    let tokens = sqlx::query("SELECT access_token, refresh_token FROM oura_tokens")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    let sessions = sqlx::query("SELECT state FROM sessions")
        .fetch_all(app.store.pool())
        .await
        .unwrap();

    assert_eq!(tokens.len(), 1);
    let access: String = tokens[0].get("access_token");
    let refresh: String = tokens[0].get("refresh_token");
    assert_no_token(&format!("{access} {refresh}"));
    for row in sessions {
        assert_no_token(&row.get::<String, _>("state"));
    }
}

#[tokio::test]
async fn an_expiring_access_token_is_refreshed_before_use() {
    let app = spawn_app_with(&[], short_lived_tokens()).await;
    app.browser.sign_in().await;

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn ten_parallel_requests_after_a_401_give_one_refresh_and_ten_successes() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    app.sim.expire_access_tokens();

    let responses = futures_util::future::join_all((0..10).map(|_| app.browser.profile())).await;

    for response in responses {
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(app.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn a_401_from_oura_triggers_one_refresh_and_one_retry() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    app.sim.expire_access_tokens();

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn ten_parallel_requests_with_an_expired_token_give_one_refresh_and_ten_successes() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    expire_stored_tokens(&app.store).await;
    // A slow token endpoint keeps the refresh in flight while every request arrives.
    app.sim.inject(
        FaultTarget::Token,
        Fault::delay(Duration::from_millis(300)).times(2),
    );

    let responses = futures_util::future::join_all((0..10).map(|_| app.browser.profile())).await;

    for response in responses {
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(app.sim.counters().refreshes, 1);
    assert_eq!(app.sim.counters().refresh_reuse_detected, 0);
}

#[tokio::test]
async fn the_rotated_refresh_token_is_stored_and_used_next_time() {
    let app = spawn_app_with(&[], short_lived_tokens()).await;
    app.browser.sign_in().await;

    for _ in 0..3 {
        assert_eq!(app.browser.profile().await.status(), StatusCode::OK);
    }

    assert_eq!(app.sim.counters().refreshes, 3);
    assert_eq!(app.sim.counters().refresh_reuse_detected, 0);
}

#[tokio::test]
async fn a_refresh_answer_without_a_refresh_token_keeps_the_stored_one() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let stored_refresh_token = || async {
        sqlx::query("SELECT refresh_token FROM oura_tokens")
            .fetch_one(app.store.pool())
            .await
            .unwrap()
            .get::<Option<String>, _>("refresh_token")
    };
    let before = stored_refresh_token().await;
    let access_token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["email", "personal", "daily"])
        .access_token;
    app.sim.inject(
        FaultTarget::Token,
        Fault::status(200).with_body(
            "application/json",
            &format!(
                r#"{{"access_token":"{access_token}","token_type":"bearer","expires_in":3600,"scope":"extapi:personal"}}"#
            ),
        ),
    );
    expire_stored_tokens(&app.store).await;

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.sim.counters().refreshes,
        0,
        "the answer came from the fault"
    );
    let after = stored_refresh_token().await;
    assert!(after.is_some());
    assert_eq!(after, before, "the stored refresh token is kept");
}

#[tokio::test]
async fn invalid_grant_ends_the_users_sessions_and_says_sign_in_again() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let other_browser = Browser::new(&app.address);
    other_browser.sign_in().await;
    app.sim.revoke_all_tokens();

    let response = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "sign_in_again"
    );
    assert_eq!(
        other_browser.profile().await.status(),
        StatusCode::UNAUTHORIZED
    );
    let status: Value = other_browser
        .get("/api/session")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["signed_in"], false);
}

#[tokio::test]
async fn a_failing_token_endpoint_keeps_the_session_and_answers_503_without_retrying() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    app.sim.expire_access_tokens();
    app.sim.inject(FaultTarget::Token, Fault::status(503));
    let token_requests_before = app.sim.counters().token_requests;

    let failed = app.browser.profile().await;
    let token_requests_after = app.sim.counters().token_requests;
    let later = app.browser.profile().await;

    assert_eq!(failed.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(failed.headers().contains_key("retry-after"));
    assert_eq!(
        token_requests_after - token_requests_before,
        1,
        "token requests are never retried"
    );
    assert_eq!(later.status(), StatusCode::OK, "the session survived");
    assert_eq!(app.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn an_unreachable_token_endpoint_keeps_the_session() {
    let app = spawn_app_with(&[("OURA_TIMEOUT_SECS", "1")], SimulatorConfig::default()).await;
    app.browser.sign_in().await;
    app.sim.expire_access_tokens();
    app.sim
        .inject(FaultTarget::Token, Fault::delay(Duration::from_secs(3)));

    let failed = app.browser.profile().await;
    let status: Value = app.browser.get("/api/session").await.json().await.unwrap();

    assert_eq!(failed.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(status["signed_in"], true);
}

#[tokio::test]
async fn a_session_survives_a_restart() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    // A second process on the same database and secret, as after a restart.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let restarted = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    start_instance(&app.env, listener).await;
    let response = app
        .browser
        .http
        .get(format!("{restarted}/api/profile"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}
