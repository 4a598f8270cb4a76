//! The webhook subscription API: the application's own headers, the verification challenge
//! a new subscription must pass, Oura's shapes, and signed deliveries.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use oura_simulator::{Delivery, sign_webhook};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// What a subscriber received: (timestamp, signature, body) per event.
type Received = Arc<Mutex<Vec<(String, String, String)>>>;

/// A subscriber on port 0 that echoes the challenge (or a wrong one) and keeps the events.
fn subscriber(echo_right: bool) -> (String, Received) {
    let received: Received = Arc::default();
    let kept = Arc::clone(&received);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let server = HttpServer::new(move || {
        let kept = Arc::clone(&kept);
        App::new().route(
            "/hook",
            web::route().to(move |request: HttpRequest, body: String| {
                let kept = Arc::clone(&kept);
                async move {
                    let query: Vec<(String, String)> =
                        serde_urlencoded::from_str(request.query_string()).unwrap_or_default();
                    if let Some((_, challenge)) = query.iter().find(|(k, _)| k == "challenge") {
                        let echoed = if echo_right {
                            challenge.clone()
                        } else {
                            "nope".into()
                        };
                        return HttpResponse::Ok().json(json!({ "challenge": echoed }));
                    }
                    let header = |name: &str| {
                        request
                            .headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    kept.lock().unwrap().push((
                        header("x-oura-timestamp"),
                        header("x-oura-signature"),
                        body,
                    ));
                    HttpResponse::Ok().finish()
                }
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (url, received)
}

async fn create(app: &TestSim, callback_url: &str, data_type: &str) -> reqwest::Response {
    app.http
        .post(format!("{}/v2/webhook/subscription", app.sim.base_url()))
        .header("x-client-id", CLIENT_ID)
        .header("x-client-secret", CLIENT_SECRET)
        .json(&json!({
            "callback_url": callback_url,
            "verification_token": "t",
            "event_type": "create",
            "data_type": data_type,
        }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_subscription_is_made_once_its_callback_echoes_the_challenge() {
    let app = spawn();
    let (good, _) = subscriber(true);
    let (bad, _) = subscriber(false);

    let made = create(&app, &good, "daily_sleep").await;
    let refused = create(&app, &bad, "daily_sleep").await;
    let unknown_type = create(&app, &good, "moods").await;
    let listed = app
        .http
        .get(format!("{}/v2/webhook/subscription", app.sim.base_url()))
        .header("x-client-id", CLIENT_ID)
        .header("x-client-secret", CLIENT_SECRET)
        .send()
        .await
        .unwrap();
    let anonymous = app
        .http
        .get(format!("{}/v2/webhook/subscription", app.sim.base_url()))
        .send()
        .await
        .unwrap();
    let unknown_id = app
        .http
        .put(format!(
            "{}/v2/webhook/subscription/renew/nope",
            app.sim.base_url()
        ))
        .header("x-client-id", CLIENT_ID)
        .header("x-client-secret", CLIENT_SECRET)
        .send()
        .await
        .unwrap();

    assert_eq!(made.status(), StatusCode::CREATED);
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(unknown_type.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown_id.status(),
        StatusCode::FORBIDDEN,
        "as Oura's spec says"
    );
    let listed: Vec<Value> = listed.json().await.unwrap();
    assert_eq!(listed.len(), 1, "only the verified one: {listed:?}");
    assert_eq!(listed[0]["callback_url"], good);
    assert!(listed[0]["expiration_time"].is_string());
}

#[tokio::test]
async fn a_delivery_is_signed_with_the_client_secret_over_timestamp_and_body() {
    let app = spawn();
    let (url, received) = subscriber(true);
    create(&app, &url, "daily_sleep").await;

    let statuses = app
        .sim
        .deliver(&Delivery {
            copies: 2,
            ..Delivery::new("user-1", "daily_sleep", "create", "doc-1")
        })
        .await;
    let other_type = app
        .sim
        .deliver(&Delivery::new("user-1", "sleep", "create", "doc-2"))
        .await;

    assert_eq!(statuses, [200, 200]);
    assert!(other_type.is_empty(), "nobody subscribed to sleep");
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    let (timestamp, signature, body) = &received[0];
    assert_eq!(*signature, sign_webhook(CLIENT_SECRET, timestamp, body));
    assert!(
        signature
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
    );
    let event: Value = serde_json::from_str(body).unwrap();
    assert_eq!(event["object_id"], "doc-1");
    assert_eq!(event["user_id"], "user-1");
    assert_eq!(event["event_type"], "create");
}

#[tokio::test]
async fn moving_the_clock_announces_each_new_document_with_the_faults_asked_for() {
    let app = spawn_with(oura_simulator::SimulatorConfig {
        clock_behind: std::time::Duration::from_secs(86_400),
        ..oura_simulator::SimulatorConfig::default()
    });
    let (url, received) = subscriber(true);
    create(&app, &url, "daily_sleep").await;
    app.sim.issue_tokens(CLIENT_ID, "demo", &["daily"]);
    let faults = oura_simulator::DeliveryFaults {
        lose_every: 2,
        forge_every: 3,
        duplicate_every: 1,
        ..Default::default()
    };

    let announced = app
        .sim
        .advance_clock_announcing(std::time::Duration::from_secs(86_400), &faults)
        .await;

    let total = announced.sent.len() + announced.lost.len();
    assert!(total >= 5, "a day of documents: {total}");
    assert_eq!(announced.lost.len(), total / 2);
    let daily_sleep = announced
        .sent
        .iter()
        .filter(|d| d.data_type == "daily_sleep")
        .count();
    let forged_daily_sleep = received
        .lock()
        .unwrap()
        .iter()
        .filter(|(timestamp, signature, body)| {
            *signature != sign_webhook(CLIENT_SECRET, timestamp, body)
        })
        .count();
    // Only daily_sleep has a subscriber here; each sent event went twice.
    assert_eq!(
        received.lock().unwrap().len() - forged_daily_sleep,
        2 * daily_sleep
    );
    assert!(announced.sent.iter().all(|d| {
        d.user_id
            == oura_simulator::SimulatedUser::from_username("demo")
                .unwrap()
                .id
    }));
}
