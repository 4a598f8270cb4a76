//! Syncing Oura's daily collections into the warehouse.

use std::time::{Duration, Instant};

use backend::domain::UserId;
use oura_simulator::{Fault, FaultTarget, SimulatorConfig};
use serde_json::Value;
use sqlx::Row as _;

use crate::helpers::*;

/// Every stored document, in a stable order, as text.
async fn warehouse_dump(app: &TestApp) -> Vec<String> {
    sqlx::query("SELECT collection, day, document_id, score, contributors, raw FROM daily_documents ORDER BY collection, day")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| {
            let score: Option<i64> = row.get("score");
            format!(
                "{} {} {} {score:?} {} {}",
                row.get::<String, _>("collection"),
                row.get::<String, _>("day"),
                row.get::<String, _>("document_id"),
                row.get::<String, _>("contributors"),
                row.get::<String, _>("raw"),
            )
        })
        .collect()
}

/// Rows of `collection` in `table` (`daily_documents` or `events`).
async fn count_in(app: &TestApp, table: &str, collection: &str) -> i64 {
    sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM {table} WHERE collection = $1"
    ))
    .bind(collection)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
    .get("n")
}

async fn count(app: &TestApp, collection: &str) -> i64 {
    count_in(app, "daily_documents", collection).await
}

async fn count_events(app: &TestApp, collection: &str) -> i64 {
    count_in(app, "events", collection).await
}

async fn count_periods(app: &TestApp) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM sleep_periods")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("n")
}

fn pages(documents: i64, page_size: i64) -> i64 {
    ((documents + page_size - 1) / page_size).max(1)
}

#[tokio::test]
async fn a_backfill_stores_every_day_with_no_more_requests_than_pages() {
    let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "120")], SimulatorConfig::default()).await;
    app.browser.sign_in().await;
    let before = app.sim.counters().data_requests;

    let status = app.browser.sync_and_wait().await;

    assert_eq!(status["state"], "idle", "{status}");
    assert_eq!(status["windows_done"], status["windows_total"]);
    assert!(status["last_synced_at"].is_string());
    let activity = count(&app, "daily_activity").await;
    let sleep = count(&app, "daily_sleep").await;
    let readiness = count(&app, "daily_readiness").await;
    assert_eq!(activity, 121, "every day from 120 days ago through today");
    assert!((100..=121).contains(&sleep), "{sleep} nights");
    assert_eq!(sleep, readiness);
    let periods = count_periods(&app).await;
    assert!(periods >= sleep, "a period a night, and naps");
    let stress = count(&app, "daily_stress").await;
    let spo2 = count(&app, "daily_spo2").await;
    let resilience = count(&app, "daily_resilience").await;
    assert!((100..=121).contains(&stress), "{stress} days of stress");
    assert_eq!(spo2, sleep, "a SpO2 average a night");
    assert_eq!(resilience, stress, "the baseline formed years ago");
    let vo2_max = count(&app, "vO2_max").await;
    let cardiovascular = count(&app, "daily_cardiovascular_age").await;
    let sleep_time = count(&app, "sleep_time").await;
    assert!(
        (10..sleep / 2).contains(&vo2_max),
        "{vo2_max} VO2 max estimates"
    );
    assert_eq!(cardiovascular, stress, "a vascular age a day with the ring");
    assert_eq!(sleep_time, stress, "a bedtime window a day with the ring");
    let workouts = count_events(&app, "workout").await;
    let sessions = count_events(&app, "session").await;
    let tags = count_events(&app, "enhanced_tag").await;
    let rest_mode = count_events(&app, "rest_mode_period").await;
    assert!((20..80).contains(&workouts), "{workouts} workouts");
    assert!((3..40).contains(&sessions), "{sessions} sessions");
    assert!(tags >= 10, "{tags} tags");
    let requests = app.sim.counters().data_requests - before;
    let readings: i64 = sqlx::query("SELECT COUNT(*) AS n FROM heart_rate")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("n");
    let needed = pages(activity, 100)
        + pages(sleep, 100)
        + pages(readiness, 100)
        + pages(periods, 100)
        + pages(readings, 1000)
        + pages(stress, 100)
        + pages(spo2, 100)
        + pages(resilience, 100)
        + pages(vo2_max, 100)
        + pages(cardiovascular, 100)
        + pages(sleep_time, 100)
        + pages(workouts, 100)
        + pages(sessions, 100)
        + pages(tags, 100)
        + pages(rest_mode, 100)
        // the ring list, read whole, and the latest battery reading
        + 2
        // and the profile, kept current with every sync
        + 1;
    assert_eq!(u64::try_from(needed).unwrap(), requests);
}

#[tokio::test]
async fn syncing_again_rereads_only_the_overlap_and_changes_nothing() {
    let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "60")], SimulatorConfig::default()).await;
    app.browser.sign_in().await;
    app.browser.sync_and_wait().await;
    let first = warehouse_dump(&app).await;
    let before = app.sim.counters().data_requests;

    let status = app.browser.sync_and_wait().await;

    assert_eq!(status["state"], "idle");
    assert_eq!(status["windows_total"], 17, "one small window a collection");
    assert_eq!(
        app.sim.counters().data_requests - before,
        17 + 1,
        "a page a collection, and the profile"
    );
    assert_eq!(warehouse_dump(&app).await, first);
}

#[tokio::test]
async fn pages_are_followed_through_next_token() {
    let app = spawn_app_with(
        &[("SYNC_BACKFILL_DAYS", "45")],
        SimulatorConfig {
            daily_page_size: 10,
            ..SimulatorConfig::default()
        },
    )
    .await;
    app.browser.sign_in().await;

    app.browser.sync_and_wait().await;

    assert_eq!(count(&app, "daily_activity").await, 46);
}

#[tokio::test]
async fn a_429_is_waited_out_as_retry_after_says() {
    let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "20")], SimulatorConfig::default()).await;
    app.browser.sign_in().await;
    app.sim.inject(
        FaultTarget::Daily,
        Fault::status(429).with_header("retry-after", "1").after(1),
    );
    let started = Instant::now();

    let status = app.browser.sync_and_wait().await;

    assert_eq!(status["state"], "idle", "{status}");
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(count(&app, "daily_activity").await, 21);
}

#[tokio::test]
async fn a_passing_server_error_or_request_timeout_is_retried_and_the_sync_completes() {
    // 408: Oura (or a proxy before it) gave up waiting for the request.
    for fault in [503, 408] {
        let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "20")], SimulatorConfig::default()).await;
        app.browser.sign_in().await;
        app.sim
            .inject(FaultTarget::Daily, Fault::status(fault).after(1).times(2));

        let status = app.browser.sync_and_wait().await;

        assert_eq!(status["state"], "idle", "{fault}: {status}");
        assert_eq!(count(&app, "daily_activity").await, 21, "{fault}");
    }
}

#[tokio::test]
async fn a_sync_that_dies_midway_resumes_where_it_stopped_without_duplicates() {
    let config = SimulatorConfig {
        daily_page_size: 100,
        ..SimulatorConfig::default()
    };
    // One window at a time, so that "the 6th request" is a known page.
    let env = [("SYNC_BACKFILL_DAYS", "730"), ("SYNC_CONCURRENCY", "1")];
    let app = spawn_app_with(&env, config.clone()).await;
    app.browser.sign_in().await;
    // Sleep is synced first: its first 365-day window is 4 pages; the 6th request fails,
    // and so do its 4 retries.
    app.sim
        .inject(FaultTarget::Daily, Fault::status(500).after(5).times(5));

    let failed = app.browser.sync_and_wait().await;
    let stored_after_failure = count(&app, "daily_sleep").await;
    let requests_first_run = app.sim.counters().data_requests;
    let resumed = app.browser.sync_and_wait().await;
    let requests_second_run = app.sim.counters().data_requests - requests_first_run;

    assert_eq!(failed["state"], "failed");
    assert!(
        failed["error"].as_str().unwrap().contains("500"),
        "{failed}"
    );
    // The first window (4 pages: 301 to 365 nights) and the one page of 100 after it, whole:
    // nothing of the failed page.
    assert!(
        (401..=465).contains(&stored_after_failure),
        "{stored_after_failure}"
    );
    assert_eq!(resumed["state"], "idle", "{resumed}");
    // The resumed run did not start over: the first sleep window was not read again.
    let clean = spawn_app_with(&env, config).await;
    clean.browser.sign_in().await;
    let clean_before = clean.sim.counters().data_requests;
    clean.browser.sync_and_wait().await;
    let clean_requests = clean.sim.counters().data_requests - clean_before;
    assert!(
        requests_second_run < clean_requests,
        "{requests_second_run} >= {clean_requests}"
    );
    // And the warehouse ends up exactly as a clean run's.
    for collection in ["daily_sleep", "daily_readiness", "daily_activity"] {
        assert_eq!(
            count(&app, collection).await,
            count(&clean, collection).await,
            "{collection}"
        );
    }
}

/// The user the app under test has signed in (one per app in these tests).
async fn signed_in_user(app: &TestApp) -> UserId {
    UserId::new(
        sqlx::query("SELECT id FROM users")
            .fetch_one(app.store.pool())
            .await
            .unwrap()
            .get::<String, _>("id"),
    )
}

#[tokio::test]
async fn an_unreadable_document_is_set_aside_and_the_rest_of_its_page_is_stored() {
    let app = spawn_app_with(
        &[("SYNC_BACKFILL_DAYS", "20"), ("SYNC_CONCURRENCY", "1")],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    let odd = r#"{"id":"b","day":"not a day","score":1,"contributors":{}}"#;
    app.sim.inject(
        FaultTarget::Daily,
        Fault::status(200).with_body(
            "application/json",
            &format!(
                r#"{{"data":[{{"id":"a","day":"2026-01-01","score":80.0,"contributors":{{"timing":null}},"new_field":1}},{odd}],"next_token":null}}"#
            ),
        ),
    );

    let status = app.browser.sync_status_after_sync().await;
    let health = app.browser.sync_health().await;

    assert_eq!(status.state, shared::SyncState::Idle, "{status:?}");
    assert_eq!(status.unreadable_documents, 1);
    assert!(
        status
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("1 document could not be read"),
        "{status:?}"
    );
    assert_eq!(
        count(&app, "daily_sleep").await,
        1,
        "the readable one is kept"
    );
    assert_eq!(health.set_aside.len(), 1);
    assert_eq!(health.set_aside[0].collection, "daily_sleep");
    assert_eq!(health.set_aside[0].document, odd, "kept whole, as it came");
    assert!(
        health.collections.iter().all(|c| c.error.is_none()),
        "{health:?}"
    );
}

#[tokio::test]
async fn a_collection_that_fails_stops_only_itself() {
    let app = spawn_app_with(
        &[("SYNC_BACKFILL_DAYS", "20"), ("SYNC_CONCURRENCY", "1")],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    app.sim.inject(
        FaultTarget::Daily,
        Fault::status(200).with_body("application/json", "this is not JSON"),
    );

    let status = app.browser.sync_status_after_sync().await;
    let health = app.browser.sync_health().await;

    assert_eq!(status.state, shared::SyncState::Failed, "{status:?}");
    let error = status.error.unwrap();
    assert!(error.contains("Could not sync daily_sleep"), "{error}");
    let failed: Vec<&str> = health
        .collections
        .iter()
        .filter(|c| c.error.is_some())
        .map(|c| c.collection.as_str())
        .collect();
    assert_eq!(failed, ["daily_sleep"]);
    assert_eq!(count(&app, "daily_sleep").await, 0);
    assert!(
        count(&app, "daily_readiness").await > 0,
        "the others went on"
    );
    assert_eq!(count(&app, "daily_activity").await, 21);
    assert!(
        health
            .collections
            .iter()
            .filter(|c| c.collection != "daily_sleep")
            .all(|c| c.synced_through.is_some()),
        "{health:?}"
    );
}

#[tokio::test]
async fn a_repeated_next_token_ends_the_window_instead_of_looping() {
    let app = spawn_app_with(
        &[("SYNC_BACKFILL_DAYS", "20"), ("SYNC_CONCURRENCY", "1")],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    app.sim.inject(
        FaultTarget::Daily,
        Fault::status(200)
            .with_body("application/json", r#"{"data":[],"next_token":"again"}"#)
            .times(2),
    );

    let status = app.browser.sync_status_after_sync().await;
    let health = app.browser.sync_health().await;

    assert_eq!(status.state, shared::SyncState::Failed, "{status:?}");
    let sleep = &health.collections[0];
    assert_eq!(sleep.collection, "daily_sleep");
    assert!(
        sleep.error.as_deref().unwrap().contains("same next_token"),
        "{sleep:?}"
    );
    // A page for each of the 17 collections, the two of the loop, and the profile.
    assert!(
        app.sim.counters().data_requests < 25,
        "it did not go round and round"
    );
}

#[tokio::test]
async fn a_sync_whose_process_died_reads_interrupted_and_can_be_started_again() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let user = signed_in_user(&app).await;
    // What a run killed midway leaves: "running", with a lease nobody renews any more.
    assert!(app.store.try_start_sync(&user, 300, 10).await.unwrap());
    sqlx::query("UPDATE sync_runs SET lease_until = 1")
        .execute(app.store.pool())
        .await
        .unwrap();

    let dead = app.browser.sync_status().await;
    let resumed = app.browser.sync_status_after_sync().await;

    assert_eq!(dead.state, shared::SyncState::Interrupted);
    assert_eq!(resumed.state, shared::SyncState::Idle, "{resumed:?}");
}

#[tokio::test]
async fn a_long_window_keeps_its_lease_so_no_second_sync_starts() {
    let app = spawn_app_with(
        &[
            ("SYNC_BACKFILL_DAYS", "3"),
            ("SYNC_CONCURRENCY", "1"),
            ("SYNC_LEASE_SECS", "2"),
            ("OURA_TIMEOUT_SECS", "10"),
        ],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    let user = signed_in_user(&app).await;
    app.sim.inject(
        FaultTarget::Daily,
        Fault::delay(Duration::from_millis(4500)),
    );

    let started = app.browser.start_sync().await;
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let second = app.store.try_start_sync(&user, 1, 1).await.unwrap();
    let running = app.browser.sync_status().await;
    let finished = app.browser.sync_status_after_sync().await;

    assert_eq!(started.status(), reqwest::StatusCode::ACCEPTED);
    assert!(
        !second,
        "the first run's heartbeat kept its lease past its 2 s"
    );
    assert_eq!(running.state, shared::SyncState::Running);
    assert_eq!(finished.state, shared::SyncState::Idle, "{finished:?}");
}

#[tokio::test]
async fn only_one_sync_per_user_runs_at_a_time() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let user = signed_in_user(&app).await;

    let first = app.store.try_start_sync(&user, 300, 3).await.unwrap();
    let second = app.store.try_start_sync(&user, 300, 3).await.unwrap();
    app.store.finish_sync(&user, None, None).await.unwrap();
    let after_finish = app.store.try_start_sync(&user, 300, 3).await.unwrap();

    assert!(first);
    assert!(!second);
    assert!(after_finish);
}

#[tokio::test]
async fn signing_in_starts_a_sync_when_configured() {
    let app = spawn_app_with(
        &[("SYNC_ON_LOGIN", "true"), ("SYNC_BACKFILL_DAYS", "10")],
        SimulatorConfig::default(),
    )
    .await;

    app.browser.sign_in().await;
    let first: Value = app.browser.get("/api/sync").await.json().await.unwrap();

    // The page the sign-in lands on sees the sync from its first request, never "never".
    assert_ne!(first["state"], "never", "{first}");
    for _ in 0..100 {
        let status: Value = app.browser.get("/api/sync").await.json().await.unwrap();
        if status["state"] == "idle" {
            assert_eq!(count(&app, "daily_activity").await, 11);
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no sync ran after sign-in");
}

#[tokio::test]
async fn sync_status_before_any_sync_says_never() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    let status = app.browser.sync_status().await;

    assert_eq!(status.state, shared::SyncState::Never);
    assert_eq!(status.windows_total, 0);
    assert_eq!(status.last_synced_at, None);
}

#[tokio::test]
async fn a_collection_oura_refuses_is_left_out_and_the_rest_syncs() {
    let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "20")], SimulatorConfig::default()).await;
    // Consent without the heartrate scope, as when someone unticks it on Oura's page.
    let authorize = app.browser.start_login(None).await;
    let callback = app
        .browser
        .consent_granting(&authorize, &["email", "personal", "daily"])
        .await;
    app.browser.navigate(&callback).await;

    let status = app.browser.sync_and_wait().await;

    assert_eq!(status["state"], "idle", "{status}");
    let error = status["error"].as_str().unwrap();
    for refused in [
        "heartrate",
        "daily_stress",
        "daily_spo2",
        "daily_resilience",
        "vO2_max",
        "daily_cardiovascular_age",
        "workout",
        "session",
        "enhanced_tag",
    ] {
        assert!(error.contains(refused), "{status}");
    }
    assert!(
        !error.contains("rest_mode_period"),
        "the daily scope covers it"
    );
    assert!(!error.contains("sleep_time"), "the daily scope covers it");
    assert_eq!(count(&app, "daily_activity").await, 21);
    assert_eq!(count(&app, "daily_stress").await, 0);
    let today = time::OffsetDateTime::now_utc().date();
    let days = app
        .browser
        .daily(today - time::Duration::days(5), today)
        .await;
    assert!(days.iter().all(|d| d.stress.is_none() && d.spo2.is_none()));
    assert!(
        days.iter()
            .all(|d| d.cardiovascular.is_none() && d.vo2_max.is_none())
    );
    assert!(days.iter().any(|d| d.sleep.is_some()));
    assert!(days.iter().any(|d| d.bedtime.is_some()));
}

#[tokio::test]
async fn a_rest_mode_period_still_on_gets_its_end_from_a_later_sync() {
    let today = time::OffsetDateTime::now_utc().date();
    let began = today - time::Duration::days(5);
    // Someone whose rest mode began five days ago (older than the 3-day overlap) and lasts
    // at least six days: still on today.
    let username = (0..20_000)
        .map(|n| format!("rest-{n}"))
        .find(|name| oura_simulator::rest_mode_starting(name, began).is_some_and(|days| days >= 6))
        .expect("a simulated person in rest mode");
    let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "20")], SimulatorConfig::default()).await;
    app.browser.sign_in_as(&username).await;
    app.browser.sync_and_wait().await;
    let events: shared::Events = app
        .browser
        .get_ok(&format!("/api/events?start={began}&end={today}"))
        .await;
    assert_eq!(events.rest_mode.len(), 1, "{events:?}");
    assert_eq!(events.rest_mode[0].start_day, began);
    assert_eq!(events.rest_mode[0].end_day, None, "still on");
    // Rest-mode days count for the latest score, not for the baseline.
    let summary = app.browser.summary().await;
    let days = app
        .browser
        .daily(today - time::Duration::days(89), today)
        .await;
    // The person may have had an earlier rest-mode period too: those days are not usual either.
    let all_events: shared::Events = app
        .browser
        .get_ok(&format!(
            "/api/events?start={}&end={today}",
            today - time::Duration::days(89)
        ))
        .await;
    let usual = days
        .iter()
        .filter(|d| {
            !all_events.in_rest_mode(d.day, today)
                && d.readiness.as_ref().is_some_and(|r| r.score.is_some())
        })
        .count();
    assert!(summary.rest_mode_days >= 5, "{summary:?}");
    assert_eq!(
        summary.readiness.baseline_days as usize, usual,
        "{summary:?}"
    );

    // Three days later it is over; the overlap alone would not reach back to its first day.
    app.sim.advance_clock(Duration::from_secs(3 * 86_400));
    app.browser.sync_and_wait().await;

    let events: shared::Events = app
        .browser
        .get_ok(&format!("/api/events?start={began}&end={today}"))
        .await;
    assert_eq!(events.rest_mode.len(), 1, "{events:?}");
    assert!(events.rest_mode[0].end_day.is_some(), "{events:?}");
}

#[tokio::test]
async fn sync_health_says_why_oura_refused_each_collection() {
    let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "20")], SimulatorConfig::default()).await;
    let refusal = |health: &shared::SyncHealth, name: &str| {
        health
            .collections
            .iter()
            .find(|c| c.collection == name)
            .unwrap()
            .refused
    };

    // A ring without a membership: Oura refuses everything, and says so.
    app.browser.sign_in_as("no-membership-1").await;
    app.browser.sync_and_wait().await;
    let health = app.browser.sync_health().await;
    for collection in &health.collections {
        assert_eq!(
            collection.refused,
            Some(shared::Refusal::MembershipRequired),
            "{collection:?}"
        );
        assert!(collection.error.as_deref().unwrap().contains("membership"));
    }

    // An Oura app too old for the newer features; the rest syncs.
    let old_app = Browser::new(&app.address);
    old_app.sign_in_as("old-app-1").await;
    old_app.sync_and_wait().await;
    let health = old_app.sync_health().await;
    assert_eq!(
        refusal(&health, "daily_resilience"),
        Some(shared::Refusal::AppTooOld)
    );
    assert_eq!(
        refusal(&health, "vO2_max"),
        Some(shared::Refusal::AppTooOld)
    );
    assert_eq!(refusal(&health, "daily_sleep"), None);
    assert_eq!(refusal(&health, "daily_stress"), None);

    // A permission left unticked on the consent page.
    let unticked = Browser::new(&app.address);
    let authorize = unticked.start_login(None).await;
    let callback = unticked
        .consent_granting(&authorize, &["email", "personal", "daily"])
        .await;
    unticked.navigate(&callback).await;
    unticked.sync_and_wait().await;
    let health = unticked.sync_health().await;
    assert_eq!(
        refusal(&health, "daily_stress"),
        Some(shared::Refusal::NotGranted)
    );
    assert_eq!(refusal(&health, "daily_sleep"), None);
}

#[tokio::test]
async fn the_sync_status_says_when_the_next_scheduled_sync_runs() {
    let app = spawn_app_with(
        &[("SYNC_BACKFILL_DAYS", "5"), ("SYNC_INTERVAL_SECS", "3600")],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    app.browser.sync_and_wait().await;

    let status = app.browser.sync_status().await;

    let (last, next) = (status.last_synced_at.unwrap(), status.next_sync_at.unwrap());
    assert!(
        (next - last - time::Duration::HOUR).abs() < time::Duration::seconds(5),
        "{status:?}"
    );
}

#[tokio::test]
async fn each_night_keeps_its_own_offset_and_its_main_sleep_is_the_longest() {
    use backend::store::{SleepPeriodRecord, WithRaw};
    use time::macros::{date, datetime};

    let app = spawn_app().await;
    app.browser.sign_in().await;
    let user_id = signed_in_user(&app).await;
    let period = |id: &str, day, start, end| WithRaw {
        record: SleepPeriodRecord {
            document_id: id.into(),
            day,
            kind: shared::SleepKind::LongSleep,
            bedtime_start: start,
            bedtime_end: end,
            total_sleep_seconds: None,
            efficiency: None,
            average_hrv: Some(40),
            lowest_heart_rate: None,
            stages: None,
            heart_rate: Vec::new(),
            hrv: Vec::new(),
        },
        raw: "{}".into(),
    };
    let nights = [
        // Berlin, the night the clocks go back: to bed in summer time, up in winter time.
        period(
            "dst",
            date!(2026 - 10 - 25),
            datetime!(2026-10-24 23:10 +02:00),
            datetime!(2026-10-25 07:05 +01:00),
        ),
        // After a flight east: Tokyo time. A short sleep on the plane the same morning too.
        period(
            "tokyo",
            date!(2026 - 10 - 27),
            datetime!(2026-10-26 23:30 +09:00),
            datetime!(2026-10-27 06:45 +09:00),
        ),
        period(
            "plane",
            date!(2026 - 10 - 27),
            datetime!(2026-10-26 12:00 +01:00),
            datetime!(2026-10-26 14:00 +01:00),
        ),
    ];
    app.store.save_sleep_page(&user_id, &nights).await.unwrap();

    let main = app
        .store
        .main_sleeps(&user_id, date!(2026 - 10 - 20), date!(2026 - 10 - 31))
        .await
        .unwrap();
    let night = app.browser.night(date!(2026 - 10 - 25)).await;

    assert_eq!(main.len(), 2, "one main sleep a night: {main:?}");
    assert_eq!(main[0].start, datetime!(2026-10-24 23:10 +02:00));
    assert_eq!(main[0].start.offset(), time::macros::offset!(+2));
    assert_eq!(
        main[1].start,
        datetime!(2026-10-26 23:30 +09:00),
        "the longest"
    );
    assert_eq!(main[1].start.hour(), 23, "Tokyo's own evening");
    let dst = &night.periods[0];
    assert_eq!(dst.bedtime_start.offset(), time::macros::offset!(+2));
    assert_eq!(dst.bedtime_end.offset(), time::macros::offset!(+1));
    assert_eq!(
        dst.bedtime_end - dst.bedtime_start,
        time::Duration::minutes(8 * 60 + 55)
    );
}

#[tokio::test]
async fn a_travellers_nights_arrive_in_the_offsets_they_were_slept_in() {
    use time::macros::{date, offset};

    let today = time::OffsetDateTime::now_utc().date();
    let since = (today - date!(2026 - 10 - 01)).whole_days();
    let app = spawn_app_with(
        &[("SYNC_BACKFILL_DAYS", &since.to_string())],
        SimulatorConfig::default(),
    )
    .await;
    // Berlin time, a trip to Tokyo in October, and the clocks going back on 25 October.
    app.browser.sign_in_as("traveller-2").await;
    app.browser.sync_and_wait().await;

    let dst = app.browser.night(date!(2026 - 10 - 25)).await;
    let tokyo = app.browser.night(date!(2026 - 10 - 10)).await;

    let main = |night: &shared::Night| {
        night
            .periods
            .iter()
            .find(|p| p.kind == shared::SleepKind::LongSleep)
            .cloned()
            .unwrap()
    };
    assert_eq!(main(&dst).bedtime_start.offset(), offset!(+2));
    assert_eq!(main(&dst).bedtime_end.offset(), offset!(+1));
    let in_tokyo = main(&tokyo);
    assert_eq!(in_tokyo.bedtime_start.offset(), offset!(+9));
    let hour = in_tokyo.bedtime_start.hour();
    assert!(
        !(2..22).contains(&hour),
        "Tokyo's own evening: {in_tokyo:?}"
    );
}

#[tokio::test]
async fn heart_rate_is_synced_in_30_day_windows() {
    let app = spawn_app_with(
        &[
            ("SYNC_BACKFILL_DAYS", "45"),
            ("SYNC_HEART_RATE_BACKFILL_DAYS", "45"),
        ],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;

    let status = app.browser.sync_and_wait().await;

    assert_eq!(status["state"], "idle", "{status}");
    let readings: i64 = sqlx::query("SELECT COUNT(*) AS n FROM heart_rate")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("n");
    assert!(readings > 40 * 250, "{readings} readings in 46 days");
    let heart_rate_windows = 2; // 46 days: 30 + 16
    // One window each for the other sixteen collections.
    assert_eq!(status["windows_total"], 16 + heart_rate_windows);
}
