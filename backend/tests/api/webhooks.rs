//! Oura's webhooks: the app subscribes to every data type it keeps (answering the
//! verification challenge), takes signed events, fetches what they name without a sync,
//! removes what was deleted, and refuses forged, stale and replayed deliveries.

use std::time::Duration;

use backend::webhooks::subscriptions::{DATA_TYPES, EVENT_TYPES, Subscriber};
use oura_simulator::{Delivery, DeliveryFaults, SimulatedUser, SimulatorConfig};
use reqwest::StatusCode;
use time::{Date, OffsetDateTime};

use crate::helpers::{CLIENT_ID, CLIENT_SECRET, TestApp, spawn_app, spawn_app_with};

async fn app_with_webhooks() -> TestApp {
    app_with_webhooks_and(&[]).await
}

async fn app_with_webhooks_and(extra_env: &[(&str, &str)]) -> TestApp {
    app_with_webhooks_on(extra_env, SimulatorConfig::default()).await
}

async fn app_with_webhooks_on(extra_env: &[(&str, &str)], sim_config: SimulatorConfig) -> TestApp {
    let mut env = vec![("WEBHOOK_PUBLIC_URL", "{app}")];
    env.extend_from_slice(extra_env);
    let app = spawn_app_with(&env, sim_config).await;
    let wanted = DATA_TYPES.len() * EVENT_TYPES.len();
    for _ in 0..400 {
        if app.sim.subscriptions().len() >= wanted {
            return app;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the app made {} of {wanted} subscriptions",
        app.sim.subscriptions().len()
    );
}

fn demo_user_id() -> String {
    SimulatedUser::from_username("demo").unwrap().id
}

fn day(back: i64) -> Date {
    OffsetDateTime::now_utc().date() - time::Duration::days(back)
}

/// Waits until `done` holds, 10 s at most.
async fn eventually<F: AsyncFn() -> bool>(done: F) -> bool {
    for _ in 0..200 {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn the_app_subscribes_to_every_data_type_it_keeps_and_renews_before_expiry() {
    let app = app_with_webhooks().await;

    let subscriptions = app.sim.subscriptions();
    let renewal = Subscriber::new(
        reqwest::Client::new(),
        app.sim.base_url().parse().unwrap(),
        CLIENT_ID.into(),
        CLIENT_SECRET.to_owned().into(),
        format!("{}/webhooks/oura", app.address).parse().unwrap(),
    );
    let in_80_days = OffsetDateTime::now_utc() + time::Duration::days(80);
    let renewed = renewal.check(in_80_days).await.unwrap();
    let again = renewal.check(OffsetDateTime::now_utc()).await.unwrap();

    assert_eq!(subscriptions.len(), DATA_TYPES.len() * EVENT_TYPES.len());
    assert!(
        subscriptions
            .iter()
            .all(|s| s.callback_url == format!("{}/webhooks/oura", app.address))
    );
    for data_type in ["daily_sleep", "sleep", "workout", "enhanced_tag", "vo2_max"] {
        for event_type in ["create", "update", "delete"] {
            assert!(
                subscriptions
                    .iter()
                    .any(|s| s.data_type == data_type && s.event_type == event_type),
                "{event_type} {data_type}"
            );
        }
    }
    assert!(
        !subscriptions.iter().any(|s| s.data_type == "heartrate"),
        "heart rate has no webhooks: it stays polled"
    );
    assert_eq!((renewed.renewed, renewed.created), (subscriptions.len(), 0));
    assert_eq!(again.kept, subscriptions.len(), "nothing made twice");
}

#[tokio::test]
async fn an_event_brings_the_document_it_names_without_a_sync() {
    let app = app_with_webhooks().await;
    app.browser.sign_in().await;
    let night = day(1);
    let id = app.sim.document_ids("demo", "daily_sleep", night);
    let periods = app.sim.document_ids("demo", "sleep", night);
    assert!(
        !id.is_empty() && !periods.is_empty(),
        "the demo person slept"
    );
    let before = app.browser.daily(night, night).await;
    assert!(before.iter().all(|d| d.sleep.is_none()), "not synced");

    let delivered = app
        .sim
        .deliver(&Delivery::new(
            &demo_user_id(),
            "daily_sleep",
            "create",
            &id[0],
        ))
        .await;
    let delivered_night = app
        .sim
        .deliver(&Delivery::new(
            &demo_user_id(),
            "sleep",
            "update",
            &periods[0],
        ))
        .await;

    assert_eq!(delivered, [200]);
    assert_eq!(delivered_night, [200]);
    assert!(
        eventually(async || {
            let days = app.browser.daily(night, night).await;
            days.first()
                .and_then(|d| d.sleep.as_ref())
                .is_some_and(|s| s.score.is_some())
        })
        .await,
        "the night's score arrived"
    );
    assert!(
        eventually(async || !app.browser.night(night).await.periods.is_empty()).await,
        "the night's sleep period arrived"
    );
}

#[tokio::test]
async fn forged_stale_and_replayed_events_are_refused_and_fetch_nothing() {
    let app = app_with_webhooks_and(&[("METRICS_ENABLED", "true")]).await;
    app.browser.sign_in().await;
    let id = app.sim.document_ids("demo", "daily_sleep", day(2));
    let honest = Delivery::new(&demo_user_id(), "daily_sleep", "create", &id[0]);
    let requests_before = app.sim.counters().data_requests;

    let forged = app
        .sim
        .deliver(&Delivery {
            forged: true,
            ..honest.clone()
        })
        .await;
    let stale = app
        .sim
        .deliver(&Delivery {
            timestamp_skew_secs: -600,
            ..honest.clone()
        })
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let fetched_after_refusals = app.sim.counters().data_requests - requests_before;
    let twice = app
        .sim
        .deliver(&Delivery {
            copies: 2,
            ..honest.clone()
        })
        .await;

    assert_eq!(forged, [403]);
    assert_eq!(stale, [403]);
    assert_eq!(fetched_after_refusals, 0, "a refused event fetches nothing");
    assert_eq!(twice, [200, 400], "the same delivery again is a replay");
    let metrics = reqwest::get(format!("{}/metrics", app.address))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (outcome, count) in [
        ("bad_signature", 1),
        ("stale", 1),
        ("replayed", 1),
        ("accepted", 1),
    ] {
        assert!(
            metrics.contains(&format!(
                "oura_dashboard_webhook_events_total{{outcome=\"{outcome}\"}} {count}\n"
            )),
            "{outcome}: {metrics}"
        );
    }
}

#[tokio::test]
async fn a_delete_event_removes_the_document() {
    let app = app_with_webhooks().await;
    app.browser.sign_in().await;
    let status = app.browser.sync_and_wait().await;
    assert_eq!(status["state"], "idle", "{status}");
    let events = app.browser.events(day(60), day(0)).await;
    let workout = events.workouts.first().expect("a workout in two months");

    let delivered = app
        .sim
        .deliver(&Delivery::new(
            &demo_user_id(),
            "workout",
            "delete",
            &workout.id,
        ))
        .await;

    assert_eq!(delivered, [200]);
    assert!(
        eventually(async || {
            let events = app.browser.events(day(60), day(0)).await;
            !events.workouts.iter().any(|w| w.id == workout.id)
        })
        .await,
        "the workout is gone"
    );
}

#[tokio::test]
async fn an_event_for_someone_who_is_not_a_user_here_is_acknowledged_and_ignored() {
    let app = app_with_webhooks().await;
    let stranger = SimulatedUser::from_username("stranger").unwrap();
    let requests_before = app.sim.counters().data_requests;

    let delivered = app
        .sim
        .deliver(&Delivery::new(
            &stranger.id,
            "daily_sleep",
            "create",
            "some-document",
        ))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    assert_eq!(delivered, [200], "acknowledged, so Oura does not retry");
    assert_eq!(app.sim.counters().data_requests, requests_before);
}

#[tokio::test]
async fn the_challenge_needs_the_apps_token_and_webhooks_are_off_by_default() {
    let with = app_with_webhooks().await;
    let without = spawn_app().await;
    let client = reqwest::Client::new();
    let challenge = |app: &TestApp, token: &str| {
        client
            .get(format!("{}/webhooks/oura", app.address))
            .query(&[("verification_token", token), ("challenge", "abc")])
            .send()
    };

    let wrong = challenge(&with, "not-the-token").await.unwrap();
    let off = challenge(&without, "x").await.unwrap();
    let with_cookie = client
        .post(format!("{}/webhooks/oura", with.address))
        .header("Cookie", "oura_session=x")
        .body("{}")
        .send()
        .await
        .unwrap();

    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert_eq!(off.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        with_cookie.status(),
        StatusCode::FORBIDDEN,
        "with a cookie the CSRF check applies"
    );
}

#[tokio::test]
async fn an_object_id_that_could_change_the_url_never_reaches_oura() {
    let app = app_with_webhooks().await;
    app.browser.sign_in().await;
    let requests_before = app.sim.counters().data_requests;

    let delivered = app
        .sim
        .deliver(&Delivery::new(
            &demo_user_id(),
            "daily_sleep",
            "update",
            "../personal_info?x=1",
        ))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    assert_eq!(delivered, [200]);
    assert_eq!(app.sim.counters().data_requests, requests_before);
}

fn webhook_of(health: &shared::SyncHealth, collection: &str) -> shared::WebhookState {
    health
        .collections
        .iter()
        .find(|c| c.collection == collection)
        .unwrap()
        .webhook
}

#[tokio::test]
async fn sync_health_says_how_news_of_each_collection_arrives() {
    use shared::WebhookState;
    let app = app_with_webhooks().await;
    app.browser.sign_in().await;
    let waiting = app.browser.sync_health().await;
    let id = app.sim.document_ids("demo", "daily_sleep", day(1));

    app.sim
        .deliver(&Delivery::new(
            &demo_user_id(),
            "daily_sleep",
            "create",
            &id[0],
        ))
        .await;

    assert_eq!(webhook_of(&waiting, "daily_sleep"), WebhookState::Waiting);
    assert_eq!(webhook_of(&waiting, "heartrate"), WebhookState::NotOffered);
    assert!(
        eventually(async || {
            webhook_of(&app.browser.sync_health().await, "daily_sleep") == WebhookState::Live
        })
        .await,
        "an event makes it live"
    );
    let live = app.browser.sync_health().await;
    let sleep = live
        .collections
        .iter()
        .find(|c| c.collection == "daily_sleep");
    assert!(sleep.unwrap().last_event_at.is_some(), "{live:?}");
    assert_eq!(webhook_of(&live, "workout"), WebhookState::Waiting);

    let without = spawn_app().await;
    without.browser.sign_in().await;
    let polled = without.browser.sync_health().await;
    assert!(
        polled
            .collections
            .iter()
            .all(|c| c.webhook == WebhookState::Off),
        "{polled:?}"
    );
}

#[tokio::test]
async fn while_a_data_type_is_silent_users_are_polled_hourly_not_only_reconciled() {
    let next_after_sync = async |silence: &str| {
        let app = app_with_webhooks_and(&[
            ("SYNC_BACKFILL_DAYS", "3"),
            ("SYNC_INTERVAL_SECS", "21600"),
            ("WEBHOOK_SILENCE_SECS", silence),
        ])
        .await;
        app.browser.sign_in().await;
        tokio::time::sleep(Duration::from_millis(2100)).await;
        app.browser.sync_and_wait().await;
        let status = app.browser.sync_status().await;
        let health = app.browser.sync_health().await;
        let gap = status.next_sync_at.unwrap() - status.last_synced_at.unwrap();
        let states = (
            webhook_of(&health, "daily_sleep"),
            webhook_of(&health, "workout"),
        );
        (gap.whole_minutes(), states)
    };

    let (silent_gap, (silent, no_workouts)) = next_after_sync("1").await;
    let (quiet_gap, (waiting, _)) = next_after_sync("86400").await;

    assert_eq!(silent, shared::WebhookState::Silent);
    assert_eq!(
        no_workouts,
        shared::WebhookState::Waiting,
        "workouts come when they come: no event is no sign of a broken subscription"
    );
    assert!(
        (59..=60).contains(&silent_gap),
        "polled hourly: {silent_gap} min"
    );
    assert_eq!(waiting, shared::WebhookState::Waiting);
    assert!(
        (359..=360).contains(&quiet_gap),
        "reconciled: {quiet_gap} min"
    );
}

/// Which of `ids` the warehouse holds as daily documents.
async fn stored_daily(app: &TestApp, ids: &[String]) -> Vec<String> {
    let mut stored = Vec::new();
    for id in ids {
        let found: Option<String> =
            sqlx::query_scalar("SELECT document_id FROM daily_documents WHERE document_id = $1")
                .bind(id)
                .fetch_optional(app.store.pool())
                .await
                .unwrap();
        stored.extend(found);
    }
    stored
}

#[tokio::test]
async fn a_new_day_arrives_whole_through_lost_duplicated_late_reordered_and_forged_deliveries() {
    // The simulator's clock starts a day behind: moving it on brings today's documents.
    let app = app_with_webhooks_on(
        &[("SYNC_BACKFILL_DAYS", "3")],
        SimulatorConfig {
            clock_behind: Duration::from_secs(86_400),
            ..SimulatorConfig::default()
        },
    )
    .await;
    app.browser.sign_in().await;
    app.browser.sync_and_wait().await;
    let faults = DeliveryFaults {
        lose_every: 4,
        duplicate_every: 3,
        delay: Duration::from_millis(300),
        out_of_order: true,
        forge_every: 5,
    };

    let announced = app
        .sim
        .advance_clock_announcing(Duration::from_secs(86_400), &faults)
        .await;

    // The documents kept as daily documents. Which ones a day brings depends on the time of
    // day the test runs (before 06:05 UTC no new daily_sleep, say), so all of them count.
    let daily_ids = |deliveries: &[Delivery]| -> Vec<String> {
        deliveries
            .iter()
            .filter(|d| {
                d.data_type.starts_with("daily_")
                    || ["sleep_time", "vo2_max"].contains(&d.data_type.as_str())
            })
            .map(|d| d.object_id.clone())
            .collect()
    };
    let (sent, lost) = (daily_ids(&announced.sent), daily_ids(&announced.lost));
    assert!(!sent.is_empty() && !lost.is_empty(), "{announced:?}");
    assert!(announced.forged > 0 && announced.sent.iter().any(|d| d.copies == 2));
    assert!(
        eventually(async || stored_daily(&app, &sent).await.len() == sent.len()).await,
        "every delivered document arrived without a sync"
    );
    assert_eq!(
        stored_daily(&app, &lost).await,
        Vec::<String>::new(),
        "lost ones did not"
    );

    // The reconciling sync catches up with what was lost.
    app.browser.sync_and_wait().await;

    assert_eq!(stored_daily(&app, &lost).await, lost);
}

#[tokio::test]
async fn a_second_subscription_for_the_same_events_is_removed_at_the_next_check() {
    let app = app_with_webhooks().await;
    let callback = format!("{}/webhooks/oura", app.address);
    // What a second instance starting at the same moment makes: its own subscription.
    let made = reqwest::Client::new()
        .post(format!("{}/v2/webhook/subscription", app.sim.base_url()))
        .header("x-client-id", CLIENT_ID)
        .header("x-client-secret", CLIENT_SECRET)
        .json(&serde_json::json!({
            "callback_url": callback,
            "verification_token": backend::webhooks::verification_token(CLIENT_SECRET),
            "event_type": "create",
            "data_type": "daily_sleep",
        }))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "{}", made.status());
    let wanted = DATA_TYPES.len() * EVENT_TYPES.len();
    assert_eq!(app.sim.subscriptions().len(), wanted + 1);
    let subscriber = Subscriber::new(
        reqwest::Client::new(),
        app.sim.base_url().parse().unwrap(),
        CLIENT_ID.into(),
        CLIENT_SECRET.to_owned().into(),
        callback.parse().unwrap(),
    );

    let checked = subscriber.check(OffsetDateTime::now_utc()).await.unwrap();

    assert_eq!(checked.removed, 1);
    assert_eq!(app.sim.subscriptions().len(), wanted);
}

#[tokio::test]
async fn an_event_body_over_16_kib_is_refused_unread() {
    let app = app_with_webhooks().await;
    // Signed properly: only the size is wrong.
    let body = format!(
        r#"{{"event_type":"create","data_type":"daily_sleep","object_id":"x","user_id":"u","padding":"{}"}}"#,
        "a".repeat(20 * 1024)
    );
    let timestamp = OffsetDateTime::now_utc().unix_timestamp().to_string();
    let signature = oura_simulator::sign_webhook(CLIENT_SECRET, &timestamp, &body);

    let response = reqwest::Client::new()
        .post(format!("{}/webhooks/oura", app.address))
        .header("content-type", "application/json")
        .header("x-oura-timestamp", &timestamp)
        .header("x-oura-signature", &signature)
        .body(body)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["error"], "bad_request", "{error}");
    assert_eq!(app.sim.counters().data_requests, 0, "nothing fetched");
}
