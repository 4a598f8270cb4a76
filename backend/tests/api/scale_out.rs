//! Two instances sharing PostgreSQL (and Redis for sessions): a session works on both, a
//! logout on one holds on the other, and a refresh race across them refreshes once.

use std::net::TcpListener;

use std::time::Duration;

use oura_simulator::{Fault, FaultTarget, SimulatorConfig};
use reqwest::StatusCode;

use crate::helpers::*;

/// Instance A via `spawn_app_with`, and B on the same database, Redis and Oura.
async fn two_instances(sim_config: SimulatorConfig) -> (TestApp, String) {
    let database = crate::postgres::fresh_schema_url(&crate::postgres::server_url()).await;
    let redis = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let a = spawn_app_with(
        &[("DATABASE_URL", &database), ("REDIS_URL", &redis)],
        sim_config,
    )
    .await;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let b = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    start_instance(&a.env, listener).await;
    (a, b)
}

#[tokio::test]
async fn a_session_from_instance_a_works_on_instance_b_and_logout_on_b_holds_on_a() {
    let (a, b) = two_instances(SimulatorConfig::default()).await;
    a.browser.sign_in().await;

    let on_b = a
        .browser
        .http
        .get(format!("{b}/api/profile"))
        .send()
        .await
        .unwrap();
    let old_cookie = a.browser.cookie_header().unwrap();
    let logout_on_b = a
        .browser
        .http
        .post(format!("{b}/auth/logout"))
        .headers(csrf_headers())
        .send()
        .await
        .unwrap();
    let replay_on_a = reqwest::Client::new()
        .get(a.browser.url("/api/profile"))
        .header("Cookie", old_cookie)
        .send()
        .await
        .unwrap();

    assert_eq!(on_b.status(), StatusCode::OK);
    assert_eq!(logout_on_b.status(), StatusCode::NO_CONTENT);
    assert_eq!(replay_on_a.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_refresh_race_across_two_instances_refreshes_once() {
    let (a, b) = two_instances(SimulatorConfig::default()).await;
    a.browser.sign_in().await;
    expire_stored_tokens(&a.store).await;
    // A slow token endpoint keeps the refresh in flight while every request arrives.
    a.sim.inject(
        FaultTarget::Token,
        Fault::delay(Duration::from_millis(300)).times(2),
    );

    let on_a = (0..5).map(|_| a.browser.profile());
    let on_b = (0..5).map(|_| async {
        a.browser
            .http
            .get(format!("{b}/api/profile?refresh=true"))
            .send()
            .await
            .unwrap()
    });
    let (from_a, from_b) = tokio::join!(
        futures_util::future::join_all(on_a),
        futures_util::future::join_all(on_b)
    );

    for response in from_a.into_iter().chain(from_b) {
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(a.sim.counters().refreshes, 1);
    assert_eq!(a.sim.counters().refresh_reuse_detected, 0);
}
