use std::net::TcpListener;
use std::time::Duration;

use oura_simulator::{Fault, FaultTarget, Simulator, SimulatorConfig};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// `url` with the query parameter `name` set to `value`.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

#[tokio::test]
async fn the_full_login_signs_in_verifies_pkce_and_shows_the_profile() {
    let app = spawn_app().await;

    let response = app.browser.sign_in_returning(None).await;
    let profile = app.browser.profile().await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert_eq!(profile.status(), StatusCode::OK);
    let profile: Value = profile.json().await.unwrap();
    assert_eq!(profile["email"], "demo@example.com");
    assert!(profile["age_years"].is_u64());
    let counters = app.sim.counters();
    assert_eq!(counters.codes_redeemed, 1);
    assert_eq!(counters.pkce_verified, 1);
    assert_eq!(counters.tokens_in_query, 0);
}

#[tokio::test]
async fn no_response_in_the_login_flow_carries_a_token() {
    let app = spawn_app().await;
    let browser = &app.browser;

    let authorize = browser.start_login(None).await;
    let callback = browser.consent(&authorize, "allow").await;
    let landing = browser.navigate(&callback).await;
    let profile = browser.profile().await;
    let session = browser.get("/api/session").await;

    for response in [landing, profile, session] {
        assert_no_token(&visible_text(response).await);
    }
    assert_no_token(&browser.cookie_header().unwrap());
}

#[tokio::test]
async fn a_foreign_state_is_refused_before_the_code_is_redeemed() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;

    let response = app
        .browser
        .navigate(&with_param(&callback, "state", "forged-state"))
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().token_requests, 0);
}

#[tokio::test]
async fn a_state_from_browser_a_is_refused_in_browser_b() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;
    let other_browser = Browser::new(&app.address);
    other_browser.start_login(None).await;

    let response = other_browser.navigate(&callback).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().token_requests, 0);
    assert_eq!(
        other_browser.profile().await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_callback_without_any_session_is_refused() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;

    let response = Browser::new(&app.address).navigate(&callback).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().token_requests, 0);
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;
    let first = app.browser.navigate(&callback).await;

    let replay = app.browser.navigate(&callback).await;

    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().token_requests, 1);
}

#[tokio::test]
async fn a_late_callback_is_refused() {
    let app = spawn_app_with(&[("LOGIN_TIMEOUT_SECS", "1")], SimulatorConfig::default()).await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;

    let response = app.browser.navigate(&callback).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("expired"));
    assert_eq!(app.sim.counters().token_requests, 0);
}

#[tokio::test]
async fn missing_state_or_code_are_clear_400s_in_json_for_api_clients() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let state = query_param(&authorize, "state").unwrap();
    let issuer = urlencoding(&app.sim.issuer());

    for query in [
        format!("iss={issuer}&code=abc"),
        format!("iss={issuer}&state={state}"),
        format!("iss={issuer}"),
    ] {
        let response = app.browser.get(&format!("/auth/callback?{query}")).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "invalid_callback", "{query}");
        assert!(body["message"].as_str().unwrap().len() > 10);
    }
    assert_eq!(app.sim.counters().token_requests, 0);
}

#[tokio::test]
async fn a_malformed_callback_gets_a_friendly_page_in_a_browser() {
    let app = spawn_app().await;

    let response = app
        .browser
        .navigate(&app.browser.url("/auth/callback"))
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("Try again"), "{page}");
}

#[tokio::test]
async fn duplicated_code_or_state_is_refused() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;

    let duplicated_code = app
        .browser
        .navigate(&format!("{callback}&code=another"))
        .await;
    let duplicated_state = app
        .browser
        .navigate(&format!("{callback}&state=another"))
        .await;

    assert_eq!(duplicated_code.status(), StatusCode::BAD_REQUEST);
    assert_eq!(duplicated_state.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().token_requests, 0);
}

#[tokio::test]
async fn denying_access_gives_a_friendly_403_and_no_session() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "deny").await;

    let response = app.browser.navigate(&callback).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = response.text().await.unwrap();
    assert!(page.contains("You did not give access"), "{page}");
    assert_eq!(
        app.browser.profile().await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.sim.counters().token_requests, 0);
}

#[tokio::test]
async fn a_wrong_or_missing_issuer_is_refused() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;

    let wrong = app
        .browser
        .navigate(&with_param(&callback, "iss", "https://evil.example"))
        .await;

    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().token_requests, 0);
}

#[tokio::test]
async fn a_tampered_session_cookie_counts_as_no_session() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;
    let cookie = app.browser.cookie_header().unwrap();
    let tampered = format!("{}A", cookie);

    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&callback)
        .header("Cookie", tampered)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().token_requests, 0);
}

#[tokio::test]
async fn the_session_id_is_renewed_at_login() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let before_login = app.browser.cookie_header().unwrap();
    let callback = app.browser.consent(&authorize, "allow").await;
    app.browser.navigate(&callback).await;

    let after_login = app.browser.cookie_header().unwrap();
    let with_old_cookie = reqwest::Client::new()
        .get(app.browser.url("/api/profile"))
        .header("Cookie", before_login.clone())
        .send()
        .await
        .unwrap();

    assert_ne!(before_login, after_login);
    assert_eq!(with_old_cookie.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.browser.profile().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_redirecting_token_endpoint_is_not_followed() {
    let app = spawn_app().await;
    let canary = Simulator::start(
        TcpListener::bind("127.0.0.1:0").unwrap(),
        SimulatorConfig::default(),
    )
    .unwrap();
    app.sim.inject(
        FaultTarget::Token,
        Fault::status(307).with_header("location", &canary.token_url()),
    );

    let response = app.browser.sign_in_returning(None).await;

    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(canary.counters().token_requests, 0);
}

#[tokio::test]
async fn a_failing_token_endpoint_gives_502() {
    let app = spawn_app().await;
    app.sim.inject(FaultTarget::Token, Fault::status(500));

    let response = app.browser.sign_in_returning(None).await;

    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(
        app.browser.profile().await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_hung_token_endpoint_gives_504_within_the_budget() {
    let app = spawn_app_with(&[("OURA_TIMEOUT_SECS", "1")], SimulatorConfig::default()).await;
    app.sim
        .inject(FaultTarget::Token, Fault::delay(Duration::from_secs(5)));

    let started = std::time::Instant::now();
    let response = app.browser.sign_in_returning(None).await;

    assert_eq!(response.status(), StatusCode::GATEWAY_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_code_oura_refuses_gives_a_400_not_a_500() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;

    let response = app
        .browser
        .navigate(&with_param(&callback, "code", "not-a-real-code"))
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().token_requests, 1);
}

#[tokio::test]
async fn concurrent_callbacks_with_the_same_state_redeem_the_code_once() {
    let app = spawn_app().await;
    let authorize = app.browser.start_login(None).await;
    let callback = app.browser.consent(&authorize, "allow").await;
    // A slow token endpoint, so that both callbacks are in flight together.
    app.sim
        .inject(FaultTarget::Token, Fault::delay(Duration::from_millis(300)));
    let before = app.sim.counters().token_requests;

    let (first, second) = tokio::join!(
        app.browser.navigate(&callback),
        app.browser.navigate(&callback)
    );

    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 400]);
    assert_eq!(
        app.sim.counters().token_requests - before,
        1,
        "the code was redeemed once"
    );
}

#[tokio::test]
async fn an_oversized_token_answer_is_refused_not_buffered() {
    let app = spawn_app().await;
    let huge = format!(
        r#"{{"access_token":"{}","token_type":"bearer"}}"#,
        "a".repeat(100_000)
    );
    app.sim.inject(
        FaultTarget::Token,
        Fault::status(200).with_body("application/json", &huge),
    );

    let response = app.browser.sign_in_returning(None).await;

    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
}
