use oura_simulator::SimulatorConfig;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

impl TestSim {
    pub async fn collection(
        &self,
        token: &str,
        name: &str,
        query: &[(&str, &str)],
    ) -> reqwest::Response {
        self.http
            .get(format!("{}/v2/usercollection/{name}", self.sim.base_url()))
            .bearer_auth(token)
            .query(query)
            .send()
            .await
            .expect("GET a collection")
    }

    /// Every document of a window, following `next_token`; also how many pages it took.
    pub async fn all_pages(
        &self,
        token: &str,
        name: &str,
        start: &str,
        end: &str,
    ) -> (Vec<Value>, usize) {
        let mut documents = Vec::new();
        let mut pages = 0;
        let mut next: Option<String> = None;
        loop {
            let response = match &next {
                Some(token_param) => {
                    self.collection(token, name, &[("next_token", token_param)])
                        .await
                }
                None => {
                    self.collection(token, name, &[("start_date", start), ("end_date", end)])
                        .await
                }
            };
            assert_eq!(response.status(), StatusCode::OK);
            let body = json(response).await;
            pages += 1;
            documents.extend(body["data"].as_array().unwrap().iter().cloned());
            match body["next_token"].as_str() {
                Some(token_param) => next = Some(token_param.to_owned()),
                None => return (documents, pages),
            }
        }
    }
}

fn days(documents: &[Value]) -> Vec<String> {
    documents
        .iter()
        .map(|d| d["day"].as_str().unwrap().to_owned())
        .collect()
}

fn daily_token(app: &TestSim) -> String {
    app.sim
        .issue_tokens(CLIENT_ID, "demo", &["daily"])
        .access_token
}

#[tokio::test]
async fn sleep_and_readiness_include_the_end_date_and_activity_does_not() {
    let app = spawn();
    let token = daily_token(&app);
    let window = [("start_date", "2025-08-06"), ("end_date", "2025-08-10")];

    let activity = json(app.collection(&token, "daily_activity", &window).await).await;
    let readiness = json(app.collection(&token, "daily_readiness", &window).await).await;

    assert_eq!(
        days(activity["data"].as_array().unwrap()),
        ["2025-08-06", "2025-08-07", "2025-08-08", "2025-08-09"]
    );
    let readiness_days = days(readiness["data"].as_array().unwrap());
    assert!(
        readiness_days
            .iter()
            .all(|d| ("2025-08-06".."2025-08-11").contains(&d.as_str()))
    );
    assert!(readiness_days.len() >= 4, "{readiness_days:?}");
    assert!(activity["next_token"].is_null());
}

#[tokio::test]
async fn pages_follow_next_token_and_add_up_to_the_whole_window() {
    let paged = spawn_with(SimulatorConfig {
        daily_page_size: 30,
        ..SimulatorConfig::default()
    });
    let whole = spawn_with(SimulatorConfig {
        daily_page_size: 10_000,
        ..SimulatorConfig::default()
    });

    let (documents, pages) = paged
        .all_pages(
            &daily_token(&paged),
            "daily_activity",
            "2025-01-01",
            "2025-04-11",
        )
        .await;
    let (expected, one_page) = whole
        .all_pages(
            &daily_token(&whole),
            "daily_activity",
            "2025-01-01",
            "2025-04-11",
        )
        .await;

    assert_eq!(documents.len(), 100);
    assert_eq!(pages, 4);
    assert_eq!(one_page, 1);
    assert_eq!(documents, expected);
}

#[tokio::test]
async fn the_same_query_gives_the_same_documents() {
    let app = spawn();
    let token = daily_token(&app);
    let window = [("start_date", "2025-03-01"), ("end_date", "2025-03-31")];

    let first = json(app.collection(&token, "daily_sleep", &window).await).await;
    let second = json(app.collection(&token, "daily_sleep", &window).await).await;

    assert_eq!(first, second);
}

#[tokio::test]
async fn days_without_the_ring_have_no_sleep_document_and_an_unscored_activity() {
    let app = spawn();
    let token = daily_token(&app);

    let (sleep, _) = app
        .all_pages(&token, "daily_sleep", "2024-11-05", "2025-11-05")
        .await;
    let (activity, _) = app
        .all_pages(&token, "daily_activity", "2024-11-05", "2025-11-05")
        .await;

    let sleep_days = sleep.len();
    let unscored = activity.iter().filter(|d| d["score"].is_null()).count();
    assert_eq!(activity.len(), 365);
    assert!(unscored > 0, "some days without the ring");
    assert_eq!(sleep_days + unscored, 366, "sleep includes the end date");
}

#[tokio::test]
async fn malformed_dates_get_ouras_422_and_reversed_ranges_400() {
    let app = spawn();
    let token = daily_token(&app);

    let malformed = app
        .collection(&token, "daily_sleep", &[("start_date", "2025-02-30")])
        .await;
    let reversed = app
        .collection(
            &token,
            "daily_sleep",
            &[("start_date", "2025-03-02"), ("end_date", "2025-03-01")],
        )
        .await;
    let bad_token = app
        .collection(&token, "daily_sleep", &[("next_token", "1:nonsense")])
        .await;

    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(malformed).await["detail"][0]["loc"][1], "start_date");
    assert_eq!(reversed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(bad_token.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn each_collection_needs_its_own_scope() {
    let app = spawn();
    let scope_of = [
        ("daily_sleep", "daily"),
        ("daily_readiness", "daily"),
        ("daily_activity", "daily"),
        ("sleep", "daily"),
        ("sleep_time", "daily"),
        ("rest_mode_period", "daily"),
        ("daily_stress", "stress"),
        ("daily_resilience", "stress"),
        ("daily_spo2", "spo2"),
        ("vO2_max", "heart_health"),
        ("daily_cardiovascular_age", "heart_health"),
        ("workout", "workout"),
        ("session", "session"),
        ("enhanced_tag", "tag"),
    ];
    let scopes = [
        "daily",
        "stress",
        "spo2",
        "heart_health",
        "workout",
        "session",
        "tag",
    ];

    for scope in scopes {
        let token = app
            .sim
            .issue_tokens(CLIENT_ID, "demo", &[scope])
            .access_token;
        for (collection, needs) in scope_of {
            let response = app.collection(&token, collection, &[]).await;
            let expected = if needs == scope {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(response.status(), expected, "{collection} with {scope}");
        }
    }
}

#[tokio::test]
async fn a_travellers_nights_carry_the_offset_they_were_slept_in() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "traveller-2", &["daily"])
        .access_token;
    let night = |documents: &[Value], day: &str| -> (String, String) {
        let period = documents
            .iter()
            .find(|d| d["day"] == day && d["type"] == "long_sleep")
            .unwrap_or_else(|| panic!("a night on {day}"));
        (
            period["bedtime_start"].as_str().unwrap().to_owned(),
            period["bedtime_end"].as_str().unwrap().to_owned(),
        )
    };
    let (sleep, _) = app
        .all_pages(&token, "sleep", "2026-10-01", "2026-10-31")
        .await;
    // A night is filed under the day the ring was worn; find ones that were.
    let worn = |day: &str| {
        sleep
            .iter()
            .any(|d| d["day"] == day && d["type"] == "long_sleep")
    };

    let (start, end) = night(&sleep, "2026-10-25");
    assert!(start.ends_with("+02:00"), "to bed in summer time: {start}");
    assert!(end.ends_with("+01:00"), "up in winter time: {end}");
    let in_tokyo = ["2026-10-08", "2026-10-09", "2026-10-10"]
        .into_iter()
        .find(|day| worn(day))
        .expect("a night in Tokyo with the ring");
    let (start, end) = night(&sleep, in_tokyo);
    assert!(
        start.ends_with("+09:00") && end.ends_with("+09:00"),
        "{start} {end}"
    );
    let hour: u32 = start[11..13].parse().unwrap();
    assert!(
        !(2..22).contains(&hour),
        "bedtime in Tokyo's own evening: {start}"
    );
}

#[tokio::test]
async fn without_a_membership_oura_refuses_with_403_and_an_old_app_gets_426() {
    let app = spawn();
    let scopes = ["daily", "stress", "heart_health"];
    let member_less = app
        .sim
        .issue_tokens(CLIENT_ID, "no-membership-1", &scopes)
        .access_token;
    let old_app = app
        .sim
        .issue_tokens(CLIENT_ID, "old-app-1", &scopes)
        .access_token;

    let refused = app.collection(&member_less, "daily_sleep", &[]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        json(refused).await["detail"]
            .as_str()
            .unwrap()
            .contains("membership")
    );
    for (name, expected) in [
        ("daily_sleep", StatusCode::OK),
        ("daily_stress", StatusCode::OK),
        ("daily_resilience", StatusCode::UPGRADE_REQUIRED),
        ("vO2_max", StatusCode::UPGRADE_REQUIRED),
        ("daily_cardiovascular_age", StatusCode::UPGRADE_REQUIRED),
    ] {
        let response = app.collection(&old_app, name, &[]).await;
        assert_eq!(response.status(), expected, "{name}");
    }
}

#[tokio::test]
async fn nights_after_an_alcohol_tag_score_lower_and_rest_mode_runs_warm() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["daily", "tag"])
        .access_token;
    let (start, end) = ("2024-11-01", "2026-10-31");
    let (tags, _) = app.all_pages(&token, "enhanced_tag", start, end).await;
    let (sleep, _) = app.all_pages(&token, "daily_sleep", start, end).await;
    let (readiness, _) = app.all_pages(&token, "daily_readiness", start, end).await;
    let (rest, _) = app.all_pages(&token, "rest_mode_period", start, end).await;
    let day = |text: &str| {
        time::Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap()
    };
    let evenings: std::collections::HashSet<time::Date> = tags
        .iter()
        .filter(|t| t["tag_type_code"] == "tag_generic_alcohol")
        .map(|t| day(t["start_day"].as_str().unwrap()))
        .collect();
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
    let (after, other): (Vec<&Value>, Vec<&Value>) = sleep.iter().partition(|night| {
        let morning = day(night["day"].as_str().unwrap());
        evenings.contains(&morning.previous_day().unwrap())
    });
    let score = |nights: &[&Value]| -> Vec<f64> {
        nights
            .iter()
            .map(|n| n["score"].as_f64().unwrap())
            .collect()
    };

    assert!(after.len() > 50, "{} nights after alcohol", after.len());
    assert!(mean(&score(&after)) + 4.0 < mean(&score(&other)));
    assert!(
        tags.iter()
            .any(|t| t["custom_name"] == "Late dinner" && t["comment"].is_string())
    );
    assert!(
        tags.iter().any(|t| t["end_time"].is_string()),
        "a tag with a duration"
    );
    assert!(!rest.is_empty(), "a rest-mode period in two years");
    let first = &rest[0];
    let (from, to) = (
        day(first["start_day"].as_str().unwrap()),
        day(first["end_day"].as_str().unwrap()),
    );
    let deviations: Vec<f64> = readiness
        .iter()
        .filter(|r| (from..to).contains(&day(r["day"].as_str().unwrap())))
        .map(|r| r["temperature_deviation"].as_f64().unwrap())
        .collect();
    assert!(
        mean(&deviations) > 0.4,
        "rest mode runs warm: {deviations:?}"
    );
}

#[tokio::test]
async fn vo2_max_is_estimated_on_some_days_only() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["daily", "heart_health"])
        .access_token;

    let (sleep, _) = app
        .all_pages(&token, "daily_sleep", "2025-01-01", "2025-12-31")
        .await;
    let (vo2, _) = app
        .all_pages(&token, "vO2_max", "2025-01-01", "2025-12-31")
        .await;

    let (nights, estimates) = (sleep.len(), vo2.len());
    assert!(
        estimates > 20 && estimates < nights / 2,
        "{estimates} estimates in {nights} days"
    );
    assert!(
        vo2.iter()
            .all(|d| (15..=80).contains(&d["vo2_max"].as_i64().unwrap()))
    );
}

#[tokio::test]
async fn the_first_two_weeks_have_no_cardiovascular_age_and_no_bedtime_window() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["daily", "heart_health"])
        .access_token;
    let (sleep, _) = app
        .all_pages(&token, "daily_sleep", "2015-01-01", "2026-11-01")
        .await;
    let first_night = sleep[0]["day"].as_str().unwrap().to_owned();
    let two_weeks = [
        ("start_date", first_night.as_str()),
        ("end_date", "2030-01-01"),
    ];
    let (cardio, _) = app
        .all_pages(
            &token,
            "daily_cardiovascular_age",
            "2015-01-01",
            "2026-11-01",
        )
        .await;
    let windows = json(app.collection(&token, "sleep_time", &two_weeks).await).await;

    assert!(cardio[0]["day"].as_str().unwrap() > first_night.as_str());
    let first = &windows["data"][0];
    assert_eq!(first["status"], "not_enough_nights");
    assert!(first["optimal_bedtime"].is_null());
    let later = windows["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["status"] == "optimal_found")
        .expect("a window after two weeks");
    let window = &later["optimal_bedtime"];
    assert!(window["start_offset"].as_i64() < window["end_offset"].as_i64());
}

#[tokio::test]
async fn resilience_starts_once_two_weeks_of_data_formed_its_baseline() {
    let app = spawn();
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["daily", "stress"])
        .access_token;
    let (sleep, _) = app
        .all_pages(&token, "daily_sleep", "2015-01-01", "2026-11-01")
        .await;
    let (resilience, _) = app
        .all_pages(&token, "daily_resilience", "2015-01-01", "2026-11-01")
        .await;
    let first = |documents: &[Value]| {
        time::Date::parse(
            documents[0]["day"].as_str().unwrap(),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap()
    };

    let gap = first(&resilience) - first(&sleep);

    assert!(
        gap >= time::Duration::days(14),
        "resilience began {gap} after the first night"
    );
    assert!(resilience.iter().all(|d| d["level"].is_string()));
}

#[tokio::test]
async fn there_is_no_data_from_the_future() {
    let app = spawn();
    let token = daily_token(&app);

    let body = json(
        app.collection(
            &token,
            "daily_activity",
            &[("start_date", "2099-01-01"), ("end_date", "2099-02-01")],
        )
        .await,
    )
    .await;

    assert_eq!(body["data"], serde_json::json!([]));
}

#[tokio::test]
async fn sleep_periods_carry_stages_heart_rate_and_hrv_for_each_night() {
    let app = spawn();
    let token = daily_token(&app);

    let (periods, _) = app
        .all_pages(&token, "sleep", "2025-05-01", "2025-05-31")
        .await;

    let nights: Vec<&Value> = periods
        .iter()
        .filter(|p| p["type"] == "long_sleep")
        .collect();
    assert!((25..=31).contains(&nights.len()), "{} nights", nights.len());
    assert!(
        periods.iter().any(|p| p["type"] == "sleep"),
        "an afternoon nap in a month"
    );
    for night in nights {
        let phases = night["sleep_phase_5_min"].as_str().unwrap();
        assert!(phases.chars().all(|c| "1234".contains(c)));
        assert!(
            phases.contains('1') && phases.contains('3'),
            "deep and REM sleep: {phases}"
        );
        assert_eq!(
            night["heart_rate"]["items"].as_array().unwrap().len(),
            phases.len()
        );
        assert_eq!(night["hrv"]["interval"], 300.0);
        assert_eq!(night["time_in_bed"], phases.len() as i64 * 300);
        let stages: i64 = [
            "deep_sleep_duration",
            "light_sleep_duration",
            "rem_sleep_duration",
            "awake_time",
        ]
        .iter()
        .map(|k| night[*k].as_i64().unwrap())
        .sum();
        assert_eq!(stages, night["time_in_bed"].as_i64().unwrap());
        assert!(night["bedtime_start"].as_str().unwrap() < night["bedtime_end"].as_str().unwrap());
    }
}

#[tokio::test]
async fn a_sleep_period_is_reported_only_once_it_is_over() {
    let app = spawn();
    let token = daily_token(&app);
    let now = time::OffsetDateTime::now_utc();
    let today = now.date().to_string();
    let stamp = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();

    let (periods, _) = app.all_pages(&token, "sleep", &today, &today).await;

    for period in periods {
        assert!(
            period["bedtime_end"].as_str().unwrap()[..19] <= stamp[..19],
            "{period}"
        );
    }
}

#[tokio::test]
async fn a_night_is_scored_only_once_its_sleep_period_is_over() {
    let app = spawn();
    let token = daily_token(&app);
    let today = time::OffsetDateTime::now_utc().date().to_string();

    let (scores, _) = app.all_pages(&token, "daily_sleep", &today, &today).await;
    let (periods, _) = app.all_pages(&token, "sleep", &today, &today).await;

    let night_reported = periods.iter().any(|p| p["type"] == "long_sleep");
    assert!(
        scores.is_empty() || night_reported,
        "a score for a night that is not over yet"
    );
}
