use oura_simulator::SimulatorConfig;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

fn token(app: &TestSim) -> String {
    app.sim
        .issue_tokens(CLIENT_ID, "demo", &["heartrate"])
        .access_token
}

impl TestSim {
    async fn heart_rate(&self, token: &str, query: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .get(format!(
                "{}/v2/usercollection/heartrate",
                self.sim.base_url()
            ))
            .bearer_auth(token)
            .query(query)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_day_has_five_minute_readings_in_pages_of_1000() {
    let app = spawn();
    let token = token(&app);
    let mut rows: Vec<Value> = Vec::new();
    let mut pages = 0;
    let mut next: Option<String> = None;
    loop {
        let response = match &next {
            Some(t) => app.heart_rate(&token, &[("next_token", t)]).await,
            None => {
                app.heart_rate(
                    &token,
                    &[
                        ("start_datetime", "2025-06-01T00:00:00+00:00"),
                        ("end_datetime", "2025-06-08T00:00:00+00:00"),
                    ],
                )
                .await
            }
        };
        assert_eq!(response.status(), StatusCode::OK);
        let body = json(response).await;
        pages += 1;
        rows.extend(body["data"].as_array().unwrap().iter().cloned());
        match body["next_token"].as_str() {
            Some(t) => next = Some(t.to_owned()),
            None => break,
        }
    }

    assert!(
        (1800..=2016).contains(&rows.len()),
        "{} rows in a week",
        rows.len()
    );
    assert_eq!(pages, rows.len().div_ceil(1000));
    assert!(
        rows.iter().any(|r| r["source"] == "sleep") && rows.iter().any(|r| r["source"] == "awake")
    );
    let stamps: Vec<i64> = rows
        .iter()
        .map(|r| r["timestamp_unix"].as_i64().unwrap())
        .collect();
    assert!(
        stamps.windows(2).all(|w| w[0] < w[1]),
        "oldest first, no duplicates"
    );
    assert!(
        rows.iter()
            .all(|r| (35..=200).contains(&r["bpm"].as_i64().unwrap()))
    );
}

#[tokio::test]
async fn spans_longer_than_30_days_are_refused() {
    let app = spawn();

    let response = app
        .heart_rate(
            &token(&app),
            &[
                ("start_datetime", "2025-01-01T00:00:00Z"),
                ("end_datetime", "2025-02-01T00:00:01Z"),
            ],
        )
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn malformed_datetimes_and_missing_scope_are_refused() {
    let app = spawn();
    let without_scope = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["daily"])
        .access_token;

    let malformed = app
        .heart_rate(&token(&app), &[("start_datetime", "yesterday")])
        .await;
    let forbidden = app.heart_rate(&without_scope, &[]).await;

    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn page_size_is_configurable() {
    let app = spawn_with(SimulatorConfig {
        heartrate_page_size: 100,
        ..SimulatorConfig::default()
    });

    let body = json(
        app.heart_rate(
            &token(&app),
            &[
                ("start_datetime", "2025-06-01T00:00:00Z"),
                ("end_datetime", "2025-06-02T00:00:00Z"),
            ],
        )
        .await,
    )
    .await;

    assert_eq!(body["data"].as_array().unwrap().len(), 100);
    assert!(body["next_token"].is_string());
}
