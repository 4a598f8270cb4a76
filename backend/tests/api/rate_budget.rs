//! One budget of Oura requests for the whole app: every user's runs on every instance draw on
//! it, under Oura's per-application limit.

use std::net::TcpListener;
use std::time::Duration;

use oura_simulator::SimulatorConfig;
use reqwest::StatusCode;

use crate::helpers::*;

/// Three backfills at once, two on the app and one on a second instance with the same
/// settings, against the simulator's application limit; the app's budget is 30 of its 36.
async fn three_backfills_on_two_instances(extra_env: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("SYNC_BACKFILL_DAYS", "3"),
        // Below Oura's application limit, as in production (sign-ins ask Oura too).
        ("OURA_APP_RATE_LIMIT", "30"),
        ("OURA_RATE_WINDOW_SECS", "3"),
    ];
    env.extend_from_slice(extra_env);
    let app = spawn_app_with(
        &env,
        SimulatorConfig {
            app_rate_limit_requests: Some(36),
            rate_limit_window: Duration::from_secs(3),
            ..SimulatorConfig::default()
        },
    )
    .await;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let instance_b = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    start_instance(&app.env, listener).await;
    let people: Vec<Browser> = (0..3).map(|_| Browser::new(&app.address)).collect();
    for (n, person) in people.iter().enumerate() {
        person.sign_in_as(&format!("budget-{n}")).await;
    }

    for (n, person) in people.iter().enumerate() {
        let base = if n == 2 { &instance_b } else { &app.address };
        let started = person
            .http
            .post(format!("{base}/api/sync"))
            .headers(csrf_headers())
            .send()
            .await
            .unwrap();
        assert_eq!(started.status(), StatusCode::ACCEPTED);
    }
    for person in &people {
        let status = person.wait_for_sync().await;
        assert_eq!(status["state"], "idle", "{status}");
    }
    app
}

fn assert_the_limit_mattered_and_held(app: &TestApp) {
    let counters = app.sim.counters();
    assert!(
        counters.data_requests > 36,
        "more than one window's worth, so the limit mattered: {counters:?}"
    );
    assert_eq!(counters.rate_limited, 0, "{counters:?}");
}

#[tokio::test]
async fn backfills_on_two_instances_share_one_budget_and_oura_never_answers_429() {
    let app = three_backfills_on_two_instances(&[]).await;

    assert_the_limit_mattered_and_held(&app);
}

#[tokio::test]
async fn with_redis_the_budget_is_kept_there_and_holds_the_same() {
    let database = crate::postgres::fresh_schema_url(&crate::postgres::server_url()).await;
    let redis = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());

    let app =
        three_backfills_on_two_instances(&[("DATABASE_URL", &database), ("REDIS_URL", &redis)])
            .await;

    assert_the_limit_mattered_and_held(&app);
    let in_database: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_budget")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(in_database, 0, "counted in Redis, not in the database");
}
