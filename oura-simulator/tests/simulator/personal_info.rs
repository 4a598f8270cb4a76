use std::time::Duration;

use oura_simulator::{Fault, FaultTarget, SimulatedUser, SimulatorConfig};
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn personal_info_returns_the_simulated_person() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["email", "personal"])
        .access_token;
    let demo = SimulatedUser::from_username("demo").unwrap();

    let body = json(app.personal_info(&token).await).await;

    assert_eq!(body["id"], demo.id.as_str());
    assert_eq!(body["email"], "demo@example.com");
    assert_eq!(body["age"], demo.age);
    assert_eq!(body["weight"], demo.weight_kg);
    assert_eq!(body["height"], demo.height_m);
    assert_eq!(body["biological_sex"], demo.biological_sex);
}

#[tokio::test]
async fn fields_of_scopes_not_granted_are_null_but_the_id_is_always_there() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["daily"])
        .access_token;

    let body = json(app.personal_info(&token).await).await;

    assert!(body["id"].is_string());
    for field in ["email", "age", "weight", "height", "biological_sex"] {
        assert!(body[field].is_null(), "{field} should be null: {body}");
    }
}

#[tokio::test]
async fn a_token_in_the_query_string_fails_loudly_and_is_counted() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["email"])
        .access_token;

    let response = app
        .http
        .get(format!(
            "{}/v2/usercollection/personal_info",
            app.sim.base_url()
        ))
        .query(&[("access_token", &token)])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(response).await["status"], 400);
    assert_eq!(app.sim.counters().tokens_in_query, 1);
}

#[tokio::test]
async fn unknown_missing_and_expired_tokens_get_401_in_ouras_shape() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["email"])
        .access_token;

    let unknown = app.personal_info("not-a-token").await;
    let missing = app
        .http
        .get(format!(
            "{}/v2/usercollection/personal_info",
            app.sim.base_url()
        ))
        .send()
        .await
        .unwrap();
    app.sim.advance_clock(Duration::from_secs(86_401));
    let expired = app.personal_info(&token).await;

    for response in [unknown, missing, expired] {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body = json(response).await;
        assert_eq!(body["status"], 401);
        assert!(body["title"].is_string());
    }
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_ouras_headers() {
    let app = spawn_with(SimulatorConfig {
        rate_limit_requests: 2,
        ..SimulatorConfig::default()
    });
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["email"])
        .access_token;

    app.personal_info(&token).await;
    app.personal_info(&token).await;
    let limited = app.personal_info(&token).await;

    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    for header in [
        "retry-after",
        "x-ratelimit-limit",
        "x-ratelimit-window",
        "x-ratelimit-reset",
        "x-ratelimit-tier",
    ] {
        assert!(limited.headers().contains_key(header), "missing {header}");
    }
    assert_eq!(limited.headers()["x-ratelimit-limit"], "2");
    assert_eq!(limited.headers()["x-ratelimit-tier"], "token");
    assert_eq!(app.sim.counters().rate_limited, 1);
}

#[tokio::test]
async fn the_application_limit_counts_every_token_of_the_app_together() {
    let app = spawn_with(SimulatorConfig {
        app_rate_limit_requests: Some(3),
        ..SimulatorConfig::default()
    });
    let first = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["email"])
        .access_token;
    let second = app
        .sim
        .issue_tokens(CLIENT_ID, "ada", &["email"])
        .access_token;

    for token in [&first, &second, &first] {
        assert_eq!(app.personal_info(token).await.status(), StatusCode::OK);
    }
    let limited = app.personal_info(&second).await;

    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers()["x-ratelimit-tier"], "application");
    assert_eq!(limited.headers()["x-ratelimit-limit"], "3");
}

#[tokio::test]
async fn injected_faults_apply_the_given_number_of_times() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["email"])
        .access_token;
    app.sim.inject(
        FaultTarget::PersonalInfo,
        Fault::status(503).with_header("retry-after", "7").times(2),
    );

    let first = app.personal_info(&token).await;
    let second = app.personal_info(&token).await;
    let third = app.personal_info(&token).await;

    assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(first.headers()["retry-after"], "7");
    assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(third.status(), StatusCode::OK);
}
