//! The dashboard API: served from the warehouse, only ever the caller's data.

use oura_simulator::SimulatorConfig;
use reqwest::StatusCode;
use serde_json::Value;
use shared::SleepKind;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime, Time};

use crate::helpers::*;

/// The UTC day `offset` days ago.
fn day(offset: i64) -> Date {
    OffsetDateTime::now_utc().date() - Duration::days(offset)
}

/// Midnight (UTC) at the start of `day`.
fn midnight(day: Date) -> OffsetDateTime {
    day.with_time(Time::MIDNIGHT).assume_utc()
}

async fn synced_app() -> TestApp {
    let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "100")], SimulatorConfig::default()).await;
    app.browser.sign_in().await;
    let status = app.browser.sync_and_wait().await;
    assert_eq!(status["state"], "idle", "{status}");
    app
}

#[tokio::test]
async fn days_carry_stress_spo2_and_resilience_as_oura_reported_them() {
    let app = synced_app().await;

    let days = app.browser.daily(day(30), day(1)).await;

    let worn: Vec<_> = days.iter().filter(|d| d.sleep.is_some()).collect();
    assert!(worn.len() >= 20, "{} nights", worn.len());
    for day in worn {
        let stress = day.stress.as_ref().expect("stress on a day with the ring");
        let spo2 = day.spo2.as_ref().expect("SpO2 after a night with the ring");
        let resilience = day.resilience.as_ref().expect("resilience");
        assert!(stress.stress_high_seconds.is_some_and(|s| s >= 0));
        assert!(
            ["restored", "normal", "stressful"].contains(&stress.day_summary.as_deref().unwrap())
        );
        assert!(
            spo2.average_percent
                .is_some_and(|p| (80.0..=100.0).contains(&p)),
            "{spo2:?}"
        );
        assert!(resilience.level.is_some());
        assert_eq!(resilience.contributors.len(), 3, "{resilience:?}");
    }
}

#[tokio::test]
async fn days_carry_temperature_heart_health_and_the_bedtime_window() {
    let app = synced_app().await;

    let days = app.browser.daily(day(60), day(1)).await;

    let worn: Vec<_> = days.iter().filter(|d| d.sleep.is_some()).collect();
    assert!(worn.len() >= 40, "{} nights", worn.len());
    for day in &worn {
        let temperature = day
            .temperature
            .as_ref()
            .expect("readiness brings temperature");
        assert!(
            temperature.deviation.is_some_and(|t| t.abs() < 3.0),
            "{temperature:?}"
        );
        let heart = day.cardiovascular.as_ref().expect("a vascular age");
        assert!(heart.vascular_age.is_some_and(|a| (18..=100).contains(&a)));
        assert!(heart.pulse_wave_velocity.is_some_and(|v| v > 0.0));
        let bedtime = day.bedtime.as_ref().expect("a bedtime window");
        assert_eq!(bedtime.status.as_deref(), Some("optimal_found"));
        assert!(bedtime.window_start_seconds < bedtime.window_end_seconds);
        assert_eq!(bedtime.utc_offset_seconds, Some(0));
    }
    let estimates = worn.iter().filter(|d| d.vo2_max.is_some()).count();
    assert!(
        (3..worn.len() / 2).contains(&estimates),
        "VO2 max on {estimates} of {} days",
        worn.len()
    );
}

#[tokio::test]
async fn events_come_typed_from_the_warehouse_with_tags_named() {
    let app = synced_app().await;
    let before = app.sim.counters().data_requests;

    let events = app.browser.events(day(60), day(0)).await;

    assert_eq!(app.sim.counters().data_requests, before, "no call to Oura");
    assert!(
        events.workouts.len() >= 10,
        "{} workouts",
        events.workouts.len()
    );
    for workout in &events.workouts {
        assert!((day(60)..=day(0)).contains(&workout.day));
        assert!(workout.activity.is_some() && workout.intensity.is_some());
        assert!(workout.start < workout.end, "{workout:?}");
        assert!(workout.calories.is_some_and(|c| c > 0.0));
    }
    assert!(events.workouts.windows(2).all(|w| w[0].day <= w[1].day));
    let alcohol = events
        .tags
        .iter()
        .find(|t| t.code.as_deref() == Some("tag_generic_alcohol"))
        .expect("an evening tagged alcohol in 60 days");
    assert_eq!(alcohol.name, "Alcohol");
    assert!(alcohol.start.is_some());
    if let Some(custom) = events
        .tags
        .iter()
        .find(|t| t.code.as_deref() == Some("custom"))
    {
        assert_eq!(custom.name, "Late dinner");
        assert!(custom.comment.is_some());
    }
    assert!(!events.sessions.is_empty(), "a session in 60 days");
    for session in &events.sessions {
        assert!(session.kind.is_some());
        let (average, lowest) = (
            session.average_heart_rate.unwrap(),
            session.lowest_heart_rate.unwrap(),
        );
        assert!(
            lowest <= average && (30.0..120.0).contains(&average),
            "{session:?}"
        );
        assert!(session.average_hrv.is_some_and(|h| h > 0.0), "{session:?}");
    }
}

#[tokio::test]
async fn the_rings_come_newest_first_with_the_latest_battery_and_a_second_sync_adds_none() {
    let app = synced_app().await;

    let status: shared::Rings = app.browser.get_ok("/api/rings").await;
    app.browser.sync_and_wait().await;
    let again: shared::Rings = app.browser.get_ok("/api/rings").await;

    let rings = status.rings;
    assert!(!rings.is_empty());
    assert_eq!(
        rings, again.rings,
        "the list is read whole, each ring kept once"
    );
    let battery = status.battery.expect("the latest battery reading");
    assert!((0..=100).contains(&battery.level), "{battery:?}");
    let age = time::OffsetDateTime::now_utc() - battery.measured_at;
    assert!(age < Duration::hours(1), "the latest reading: {battery:?}");
    assert!(
        rings
            .iter()
            .all(|r| r.hardware_type.is_some() && r.size.is_some())
    );
    assert!(
        rings.windows(2).all(|w| w[0].set_up_at > w[1].set_up_at),
        "{rings:?}"
    );
    let stranger = reqwest::get(app.browser.url("/api/rings")).await.unwrap();
    assert_eq!(stranger.status(), 401);
}

#[tokio::test]
async fn events_refuse_a_bad_range_and_strangers() {
    let app = synced_app().await;

    let reversed = app
        .browser
        .get(&format!("/api/events?start={}&end={}", day(0), day(5)))
        .await;
    let malformed = app
        .browser
        .get("/api/events?start=yesterday&end=today")
        .await;
    let stranger = reqwest::get(
        app.browser
            .url("/api/events?start=2026-01-01&end=2026-01-02"),
    )
    .await
    .unwrap();

    assert_eq!(reversed.status(), 400);
    assert_eq!(malformed.status(), 400);
    assert_eq!(stranger.status(), 401);
}

#[tokio::test]
async fn daily_scores_for_a_range_come_from_the_warehouse_without_calling_oura() {
    let app = synced_app().await;
    let before = app.sim.counters().data_requests;

    let days = app.browser.daily(day(29), day(0)).await;
    app.browser.summary().await;
    let export = app.browser.export(day(29), day(0), "csv").await;

    assert_eq!(days.len(), 30, "activity has a document every day");
    assert_eq!(days[0].day, day(29));
    assert_eq!(days[29].day, day(0));
    let scored = days
        .iter()
        .find(|d| d.sleep.as_ref().is_some_and(|s| s.score.is_some()))
        .unwrap();
    assert!(scored.sleep.as_ref().unwrap().contributors["deep_sleep"].is_some());
    assert!(scored.readiness.as_ref().unwrap().contributors["hrv_balance"].is_some());
    assert!(days.iter().all(|d| d.steps.is_some()));
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(
        app.sim.counters().data_requests,
        before,
        "zero Oura calls per page view"
    );
}

#[tokio::test]
async fn the_stored_scores_are_the_ones_oura_sent() {
    let app = synced_app().await;
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["daily"])
        .access_token;
    let from_oura: Value = reqwest::Client::new()
        .get(format!(
            "{}/v2/usercollection/daily_readiness",
            app.sim.base_url()
        ))
        .bearer_auth(token)
        .query(&[("start_date", day(10)), ("end_date", day(10))].map(|(k, v)| (k, v.to_string())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let ours = app.browser.daily(day(10), day(10)).await;

    let readiness = serde_json::to_value(&ours[0].readiness).unwrap();
    match from_oura["data"].as_array().unwrap().first() {
        Some(document) => {
            assert_eq!(readiness["score"], document["score"]);
            assert_eq!(readiness["contributors"], document["contributors"]);
        }
        None => assert!(readiness.is_null(), "no ring that night"),
    }
}

#[tokio::test]
async fn the_summary_compares_weeks_and_gives_a_baseline() {
    let app = synced_app().await;
    let days = app.browser.daily(day(6), day(0)).await;
    let scores: Vec<f64> = days
        .iter()
        .filter_map(|d| Some(d.sleep.as_ref()?.score? as f64))
        .collect();

    let summary = app.browser.summary().await;

    let expected = scores.iter().sum::<f64>() / scores.len() as f64;
    assert!((summary.sleep.last_7_days.unwrap() - expected).abs() < 1e-9);
    assert!(summary.sleep.previous_7_days.is_some());
    assert!(summary.readiness.baseline_90_days.is_some());
    // The baseline counts the scored days of the last 90 that were not in rest mode (which
    // days those are moves with the date: count them rather than guess).
    let quarter = app.browser.daily(day(89), day(0)).await;
    let events = app.browser.events(day(89), day(0)).await;
    let usual = quarter
        .iter()
        .filter(|d| d.activity.as_ref().is_some_and(|a| a.score.is_some()))
        .filter(|d| !events.in_rest_mode(d.day, day(0)))
        .count();
    assert_eq!(
        summary.activity.baseline_days as usize, usual,
        "{:?}",
        summary.activity
    );
    assert!(usual >= 60, "{usual} usual days of 90");
    assert_eq!(summary.today, day(0));
}

#[tokio::test]
async fn bad_dates_get_a_clear_400() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    for query in [
        "/api/daily",
        "/api/daily?start=2026-01-01",
        "/api/daily?start=2026-02-30&end=2026-03-01",
        "/api/daily?start=2026-03-02&end=2026-03-01",
        "/api/daily?start=..%2F..%2Fetc&end=2026-03-01",
        "/api/daily?start=2000-01-01&end=2026-03-01",
        "/api/export?start=2026-01-01&end=2026-01-02&format=xlsx",
        "/api/export?start=2026-01-01&end=2026-01-02",
    ] {
        let response = app.browser.get(query).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "bad_request", "{query}");
    }
}

#[tokio::test]
async fn one_user_never_sees_anothers_data() {
    let app = synced_app().await;
    let other = Browser::new(&app.address);
    other.sign_in_as("alex").await;

    let daily = other.daily(day(30), day(0)).await;
    let export = other
        .export(day(30), day(0), "csv")
        .await
        .text()
        .await
        .unwrap();
    let json_export: Value = other
        .export(day(30), day(0), "json")
        .await
        .json()
        .await
        .unwrap();
    let summary = other.summary().await;
    let events: shared::Events = other
        .get_ok(&format!("/api/events?start={}&end={}", day(30), day(0)))
        .await;
    let rings: shared::Rings = other.get_ok("/api/rings").await;
    let insights = other.insights().await;

    assert!(daily.is_empty());
    assert_eq!(events, shared::Events::default(), "no one else's events");
    assert!(rings.rings.is_empty() && rings.battery.is_none());
    assert!(insights.iter().all(|i| i.sample_size == 0));
    assert_eq!(export.lines().count(), 1, "only the header: {export}");
    assert_eq!(json_export["documents"], serde_json::json!([]));
    assert_eq!(summary.sleep.latest, None);
}

#[tokio::test]
async fn the_csv_export_has_a_header_and_a_row_a_day() {
    let app = synced_app().await;

    let response = app.browser.export(day(13), day(0), "csv").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(".csv"),
        "{disposition}"
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "day,sleep_score,readiness_score,activity_score,steps,active_calories,\
         stress_high_minutes,recovery_high_minutes,stress_day_summary,spo2_average_percent,\
         breathing_disturbance_index,resilience_level,temperature_deviation_celsius,\
         temperature_trend_deviation_celsius,vo2_max,vascular_age,pulse_wave_velocity,\
         optimal_bedtime_start,optimal_bedtime_end,bedtime_start,bedtime_end,total_sleep_minutes,\
         deep_sleep_minutes,light_sleep_minutes,rem_sleep_minutes,awake_minutes,\
         sleep_efficiency_percent,average_hrv_ms,lowest_heart_rate_bpm"
    );
    assert_eq!(lines.len(), 15);
    assert!(lines[1].starts_with(&day(13).to_string()));
    assert!(lines.iter().skip(1).all(|l| l.split(',').count() == 29));
    // The demo person wears the ring on most days: stress and SpO2 are filled in.
    let filled = |column: usize| {
        lines
            .iter()
            .skip(1)
            .filter(|l| !l.split(',').nth(column).unwrap().is_empty())
            .count()
    };
    assert!(filled(6) >= 10, "stress_high_minutes\n{text}");
    assert!(filled(9) >= 10, "spo2_average_percent\n{text}");
    assert!(filled(12) >= 10, "temperature_deviation_celsius\n{text}");
    assert!(filled(15) >= 10, "vascular_age\n{text}");
    assert!(filled(17) >= 10, "optimal_bedtime_start\n{text}");
    assert!(filled(21) >= 10, "total_sleep_minutes\n{text}");
    assert!(filled(27) >= 10, "average_hrv_ms\n{text}");
}

#[tokio::test]
async fn the_json_export_carries_ouras_documents_as_they_came() {
    let app = synced_app().await;

    let export: Value = app
        .browser
        .export(day(6), day(0), "json")
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(export["days"].as_array().unwrap().len(), 7);
    let documents = export["documents"].as_array().unwrap();
    assert!(documents.len() >= 7 + 2 * 6, "{}", documents.len());
    let activity = documents
        .iter()
        .find(|d| d["collection"] == "daily_activity")
        .unwrap();
    assert!(
        activity["document"]["class_5_min"].is_string(),
        "fields the dashboard ignores are kept"
    );
    let of = |collection: &str| {
        documents
            .iter()
            .filter(|d| d["collection"] == collection)
            .collect::<Vec<_>>()
    };
    let periods = of("sleep");
    assert!(periods.len() >= 7, "sleep periods: {}", periods.len());
    assert!(
        periods[0]["document"]["sleep_phase_5_min"].is_string(),
        "a sleep period comes whole"
    );
    let events: Vec<_> = ["workout", "session", "enhanced_tag"]
        .into_iter()
        .flat_map(&of)
        .collect();
    assert!(!events.is_empty(), "the week's workouts, sessions and tags");
    for event in events {
        assert!(event["document"]["id"].is_string(), "{event}");
    }
    let rings = export["rings"].as_array().unwrap();
    assert!(!rings.is_empty(), "every ring set up");
    assert!(rings[0]["hardware_type"].is_string(), "{}", rings[0]);
}

#[tokio::test]
async fn the_dashboard_works_with_an_api_key() {
    let app = synced_app().await;
    let created = app.browser.create_api_key("k").await;

    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/daily?start={}&end={}",
            app.address,
            day(2),
            day(0)
        ))
        .bearer_auth(&created.secret)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn a_night_has_its_stages_heart_rate_and_hrv() {
    let app = synced_app().await;
    let days = app.browser.daily(day(20), day(1)).await;
    let slept = days
        .iter()
        .find(|d| d.sleep.as_ref().is_some_and(|s| s.score.is_some()))
        .unwrap()
        .day;

    let night = app.browser.night(slept).await;

    assert_eq!(night.day, slept);
    let main = night
        .periods
        .iter()
        .find(|p| p.kind == SleepKind::LongSleep)
        .unwrap();
    let stages = &main.stages;
    assert!(stages.len() > 60, "{stages}");
    assert!(stages.chars().all(|c| "1234".contains(c)));
    assert_eq!(main.heart_rate.len(), stages.len());
    assert_eq!(main.hrv.len(), stages.len());
    assert!(
        main.heart_rate
            .iter()
            .flatten()
            .all(|bpm| (30.0..120.0).contains(bpm))
    );
    assert!(main.lowest_heart_rate.is_some());
    assert!(main.bedtime_start < main.bedtime_end);
}

#[tokio::test]
async fn a_nap_late_in_the_evening_is_filed_with_the_night_after_it() {
    let app = synced_app().await;
    let mut found = None;
    for back in 1..100 {
        let night = app.browser.night(day(back)).await;
        if night.periods.iter().any(|p| p.kind == SleepKind::LateNap) {
            found = Some(night);
            break;
        }
    }
    let night = found.expect("the simulator naps late now and then");

    let nap = &night.periods[0];
    let main = night
        .periods
        .iter()
        .filter(|p| p.kind == SleepKind::LongSleep)
        .max_by_key(|p| p.bedtime_end - p.bedtime_start)
        .expect("the night itself");
    let csv = app
        .browser
        .export(night.day, night.day, "csv")
        .await
        .text()
        .await
        .unwrap();

    assert_eq!(nap.kind, SleepKind::LateNap, "earliest first: the nap");
    assert!(
        nap.bedtime_start.date() < night.day && nap.bedtime_end <= main.bedtime_start,
        "the evening before, and over before bedtime: {} to {}",
        nap.bedtime_start,
        nap.bedtime_end
    );
    let clock = |at: OffsetDateTime| format!("{:02}:{:02}", at.hour(), at.minute());
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.contains(&format!(
            ",{},{},",
            clock(main.bedtime_start),
            clock(main.bedtime_end)
        )),
        "the night's bedtime is the long sleep's, not the nap's: {row}"
    );
}

#[tokio::test]
async fn a_night_without_data_is_empty_and_a_bad_day_is_a_400() {
    let app = synced_app().await;

    let empty = app.browser.night(time::macros::date!(2001 - 01 - 01)).await;
    let bad = app.browser.get("/api/sleep/last-night").await;
    let other = Browser::new(&app.address);
    other.sign_in_as("alex").await;
    let foreign = other.night(day(2)).await;

    assert!(empty.periods.is_empty());
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(
        foreign.periods.is_empty(),
        "another user's nights are not shown"
    );
}

#[tokio::test]
async fn insights_come_with_their_numbers_and_sample_sizes() {
    let app = synced_app().await;
    let newcomer = Browser::new(&app.address);
    newcomer.sign_in_as("alex").await;

    let insights = app.browser.insights().await;
    let without_data = newcomer.insights().await;

    let ids: Vec<&str> = insights.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids[..3],
        [
            "activity_and_sleep",
            "bedtime_and_readiness",
            "weekday_sleep"
        ]
    );
    // The demo person tags alcohol on about one evening in seven, and sleeps worse after it.
    let alcohol = insights
        .iter()
        .find(|i| i.id == "tag:Alcohol")
        .expect("a tag insight");
    assert!(
        alcohol
            .finding
            .starts_with("Nights after a tag Alcohol against your other nights: sleep score"),
        "{alcohol:?}"
    );
    assert!(alcohol.finding.contains(" ms (n = "), "{alcohol:?}");
    assert!(
        insights[1]
            .finding
            .contains("Oura's optimal bedtime window"),
        "{:?}",
        insights[1]
    );
    let activity = &insights[0];
    assert!(activity.conclusive);
    assert!(activity.sample_size >= 80, "{activity:?}");
    assert!(activity.finding.contains("r = "), "{activity:?}");
    assert!(insights[2].finding.contains("score best"));
    assert!(
        without_data
            .iter()
            .all(|i| !i.conclusive && i.sample_size == 0)
    );
    assert_eq!(without_data.len(), 3, "no tags, no tag insights");
}

#[tokio::test]
async fn heart_rate_for_a_day_comes_from_the_warehouse() {
    let app = spawn_app_with(
        &[
            ("SYNC_BACKFILL_DAYS", "5"),
            ("SYNC_HEART_RATE_BACKFILL_DAYS", "5"),
        ],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    app.browser.sync_and_wait().await;
    let (start, end) = (midnight(day(2)), midnight(day(1)));

    let series = app.browser.heart_rate(start, end).await;

    let points = &series.points;
    assert!(
        points.len() > 200 || points.is_empty(),
        "a day has about 288 readings (or none without the ring)"
    );
    assert!(points.iter().all(|p| p.at.date() == day(2)));
    assert!(points.iter().any(|p| p.source == "sleep") || points.is_empty());
    let other = Browser::new(&app.address);
    other.sign_in_as("alex").await;
    let foreign = other.heart_rate(start, end).await;
    assert!(
        foreign.points.is_empty(),
        "another user's heart rate is not shown"
    );
    let (start, end) = (
        format!("{}T00:00:00Z", day(2)),
        format!("{}T00:00:00Z", day(1)),
    );
    for bad in [
        "start=yesterday&end=2026-01-01T00:00:00Z".to_owned(),
        format!("start={end}&end={start}"),
        "start=2026-01-01T00:00:00Z&end=2026-01-09T00:00:00Z".to_owned(),
    ] {
        assert_eq!(
            app.browser
                .get(&format!("/api/heartrate?{bad}"))
                .await
                .status(),
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_cached_answer_is_refreshed_as_soon_as_new_data_is_stored() {
    let app = spawn_app_with(&[("SYNC_BACKFILL_DAYS", "3")], SimulatorConfig::default()).await;
    app.browser.sign_in().await;
    let before = app.browser.daily(day(30), day(0)).await;

    app.browser.sync_and_wait().await;
    let range = format!("/api/daily?start={}&end={}", day(30), day(0));
    let timed = app.browser.get(&range).await;
    let after = app.browser.daily(day(30), day(0)).await;

    assert!(
        timed.headers()["server-timing"]
            .to_str()
            .unwrap()
            .starts_with("app;dur=")
    );
    assert!(before.is_empty());
    assert_eq!(
        after.len(),
        4,
        "the answer cached before the sync is not served after it"
    );
}

#[tokio::test]
async fn a_ten_year_export_streams_in_pieces_and_is_whole() {
    let app = synced_app().await;
    let (start, end) = (day(3650), day(0));

    let csv = app.browser.export(start, end, "csv").await;
    let json = app.browser.export(start, end, "json").await;

    for response in [&csv, &json] {
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            !response.headers().contains_key("content-length"),
            "streamed, not built whole in memory"
        );
    }
    let rows = csv.text().await.unwrap().lines().count();
    assert_eq!(rows, 1 + 101, "the header and the 101 synced days");
    let json: Value = json.json().await.unwrap();
    assert_eq!(json["start"], start.to_string());
    assert_eq!(json["days"].as_array().unwrap().len(), 101);
    assert!(json["documents"].as_array().unwrap().len() >= 101);
}

/// `GET path` with `If-None-Match: etag`.
async fn get_if_none_match(browser: &Browser, path: &str, etag: &str) -> reqwest::Response {
    browser
        .http
        .get(browser.url(path))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_warehouse_answer_has_an_etag_and_is_304_while_the_data_is_unchanged() {
    let app = synced_app().await;
    let paths = [
        format!("/api/daily?start={}&end={}", day(30), day(0)),
        "/api/summary".to_owned(),
        format!("/api/sleep/{}", day(1)),
        "/api/insights".to_owned(),
        "/api/profile".to_owned(),
        format!(
            "/api/heartrate?start={}&end={}",
            midnight(day(1)).format(&Rfc3339).unwrap(),
            midnight(day(0)).format(&Rfc3339).unwrap()
        ),
    ];

    for path in &paths {
        let first = app.browser.get(path).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();

        let again = get_if_none_match(&app.browser, path, &etag).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty(), "{path}: no body");

        let other = get_if_none_match(&app.browser, path, "\"1-0000000000000000\"").await;
        assert_eq!(other.status(), StatusCode::OK, "{path}: another tag");
    }
}

#[tokio::test]
async fn new_data_or_another_person_never_gets_a_304_for_an_old_tag() {
    let app = synced_app().await;
    let path = "/api/summary";
    let etag = app.browser.get(path).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let other = Browser::new(&app.address);
    other.sign_in_as("alex").await;

    let for_someone_else = get_if_none_match(&other, path, &etag).await;
    // Oura's answers are stored again: a new data version, whatever they hold.
    app.browser.sync_and_wait().await;
    let after_new_data = get_if_none_match(&app.browser, path, &etag).await;

    assert_eq!(for_someone_else.status(), StatusCode::OK);
    assert_eq!(after_new_data.status(), StatusCode::OK);
    assert_ne!(after_new_data.headers()["etag"].to_str().unwrap(), etag);
}

#[tokio::test]
async fn json_answers_are_compressed_for_a_client_that_accepts_it() {
    let app = synced_app().await;
    let path = format!("/api/daily?start={}&end={}", day(90), day(0));

    let plain = app.browser.get(&path).await;
    let compressed = app
        .browser
        .http
        .get(app.browser.url(&path))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();

    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    let (plain, compressed) = (
        plain.bytes().await.unwrap().len(),
        compressed.bytes().await.unwrap().len(),
    );
    assert!(compressed * 4 < plain, "{compressed} bytes against {plain}");
}

#[tokio::test]
async fn the_compact_daily_form_has_the_same_scores_in_columns_at_a_fraction_of_the_size() {
    let app = synced_app().await;
    let range = format!("/api/daily?start={}&end={}", day(90), day(0));

    let rows = app.browser.get(&range).await.bytes().await.unwrap();
    let compact = app
        .browser
        .get(&format!("{range}&compact=true"))
        .await
        .bytes()
        .await
        .unwrap();
    let days: Vec<shared::DailyScores> = serde_json::from_slice(&rows).unwrap();
    let columns: shared::DailyColumns = serde_json::from_slice(&compact).unwrap();

    assert_eq!(columns, shared::DailyColumns::from_rows(&days));
    assert_eq!(columns.days.len(), 91);
    assert!(columns.sleep.iter().flatten().count() > 80, "{columns:?}");
    // Readiness's temperature: the night's deviation and Oura's trend of it, for the chart.
    assert!(
        columns.temperature_trend_deviation.iter().flatten().count() > 80,
        "{columns:?}"
    );
    assert!(
        compact.len() * 8 < rows.len(),
        "{} against {}",
        compact.len(),
        rows.len()
    );
    assert_eq!(
        app.browser
            .get(&format!("{range}&compact=maybe"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}
