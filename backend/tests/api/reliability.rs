//! What the app guarantees whatever comes at it: readiness that follows its dependencies, a
//! panic that still answers, no cross-origin access, no route open without credentials, and
//! the CSRF check on every route that changes something.

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, HttpServer, web};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::fault_proxy::FaultProxy;
use crate::helpers::*;

#[tokio::test]
async fn readiness_follows_the_database_and_redis_while_liveness_stays_up() {
    let mut redis = RedisServer::start();
    let app = spawn_app_with(&[("REDIS_URL", &redis.url)], Default::default()).await;

    let ready = app.browser.get(shared::routes::READY).await;
    assert_eq!(ready.status(), StatusCode::OK);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["redis"], "ok");

    redis.stop();
    let not_ready = app.browser.get(shared::routes::READY).await;
    let alive = app.browser.get(shared::routes::HEALTH).await;

    assert_eq!(not_ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(not_ready.headers()["retry-after"], "5");
    let body: Value = not_ready.json().await.unwrap();
    assert_eq!(body["redis"], "unreachable");
    assert_eq!(body["database"], "ok");
    assert_eq!(
        alive.status(),
        StatusCode::OK,
        "liveness does not depend on Redis"
    );
}

#[tokio::test]
async fn a_panicking_handler_answers_500_json_and_the_worker_keeps_serving() {
    // A real server with the production middleware and a route that panics; the production
    // router has no such route.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let server = HttpServer::new(|| {
        App::new()
            .wrap(from_fn(backend::error::catch_panics))
            .route(
                "/boom",
                web::get().to(|| async {
                    if std::hint::black_box(true) {
                        panic!("a bug");
                    }
                    HttpResponse::Ok().finish()
                }),
            )
            .route("/fine", web::get().to(HttpResponse::Ok))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    let client = reqwest::Client::new();

    let boom = client.get(format!("{address}/boom")).send().await.unwrap();
    let fine = client.get(format!("{address}/fine")).send().await.unwrap();

    assert_eq!(boom.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = boom.json().await.unwrap();
    assert_eq!(body["error"], "internal");
    assert_eq!(fine.status(), StatusCode::OK, "the worker goes on serving");
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_app_is_served_over_https() {
    let plain = spawn_app().await;
    let https = spawn_app_with(
        &[("PUBLIC_URL", "https://oura.example.org")],
        Default::default(),
    )
    .await;

    let over_http = plain.browser.get(shared::routes::HEALTH).await;
    let over_https = https.browser.get(shared::routes::HEALTH).await;

    assert!(
        !over_http
            .headers()
            .contains_key("strict-transport-security")
    );
    assert_eq!(
        over_https.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

/// Every documented route, as `(method, path)` with its parameters filled in.
async fn documented_routes(app: &TestApp) -> Vec<(Method, String)> {
    let doc: Value = app.browser.get_ok(shared::routes::OPENAPI).await;
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            let path = path
                .replace("{day}", "2026-01-01")
                .replace("{id}", "abcdefghijkl");
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase().parse().unwrap(), path.clone()))
        })
        .collect()
}

#[tokio::test]
async fn no_response_ever_grants_cross_origin_access() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    for (method, path) in documented_routes(&app).await {
        for request in [
            app.browser
                .http
                .request(Method::OPTIONS, app.browser.url(&path))
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", method.as_str()),
            app.browser
                .http
                .request(method.clone(), app.browser.url(&path))
                .header("Origin", "https://evil.example"),
        ] {
            let response = request.send().await.unwrap();

            let cors: Vec<_> = response
                .headers()
                .keys()
                .filter(|name| name.as_str().starts_with("access-control-"))
                .collect();
            assert!(cors.is_empty(), "{method} {path}: {cors:?}");
        }
    }
}

#[tokio::test]
async fn every_api_route_answers_401_without_credentials() {
    let app = spawn_app().await;
    let stranger = reqwest::Client::new();
    // Public on purpose: the API's own description and whether one is signed in.
    let public = [shared::routes::OPENAPI, shared::routes::SESSION];

    let mut checked = 0;
    for (method, path) in documented_routes(&app).await {
        if !path.starts_with("/api/") || public.contains(&path.as_str()) {
            continue;
        }
        let response = stranger
            .request(method.clone(), app.browser.url(&path))
            .headers(csrf_headers())
            .send()
            .await
            .unwrap();

        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "unauthenticated", "{method} {path}");
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} routes checked");
}

#[tokio::test]
async fn every_state_changing_route_needs_the_csrf_header() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    let mut checked = 0;
    for (method, path) in documented_routes(&app).await {
        if method == Method::GET {
            continue;
        }
        let response = app
            .browser
            .http
            .request(method.clone(), app.browser.url(&path))
            .json(&serde_json::json!({ "name": "k" }))
            .send()
            .await
            .unwrap();

        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "csrf_rejected", "{method} {path}");
        checked += 1;
    }
    assert_eq!(
        checked, 5,
        "POST/DELETE keys, DELETE account, POST sync, POST logout"
    );
    assert_eq!(
        app.browser
            .get(shared::routes::SESSION)
            .await
            .json::<Value>()
            .await
            .unwrap()["signed_in"],
        true,
        "nothing was changed"
    );
}

/// `n` requests to `path` from this machine's address, as a script would make them.
async fn statuses(
    app: &TestApp,
    path: &str,
    bearer: Option<&str>,
    n: usize,
) -> Vec<reqwest::Response> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut responses = Vec::new();
    for _ in 0..n {
        let mut request = client.get(app.browser.url(path));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        responses.push(request.send().await.unwrap());
    }
    responses
}

async fn assert_rate_limited(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
    assert_eq!(body["retry_after_secs"], wait);
}

#[tokio::test]
async fn starting_logins_too_fast_from_one_address_is_refused_with_429() {
    let app = spawn_app().await;

    let mut responses = statuses(&app, "/auth/login", None, 21).await;

    assert!(
        responses[..20]
            .iter()
            .all(|r| r.status() == StatusCode::SEE_OTHER)
    );
    assert_rate_limited(responses.pop().unwrap()).await;
}

#[tokio::test]
async fn guessing_api_keys_shuts_the_address_out_even_for_a_real_key() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let created = app.browser.create_api_key("real").await;
    let real = &created.secret;

    let guesses = statuses(&app, "/api/keys", Some("odk_abcdefghijkl_wrong"), 11).await;
    let mut after = statuses(&app, "/api/keys", Some(real), 1).await;

    assert!(
        guesses
            .iter()
            .all(|r| r.status() == StatusCode::UNAUTHORIZED)
    );
    assert_rate_limited(after.pop().unwrap()).await;
}

#[tokio::test]
async fn a_raw_oura_token_on_the_profile_is_rate_limited() {
    let app = spawn_app().await;
    let token = app
        .sim
        .issue_tokens(CLIENT_ID, "demo", &["personal"])
        .access_token;

    let mut responses = statuses(&app, "/api/profile", Some(&token), 61).await;

    assert!(responses[..60].iter().all(|r| r.status() == StatusCode::OK));
    assert_rate_limited(responses.pop().unwrap()).await;
}

/// Asks `path` until `done` says the answer is the one awaited, for at most 20 seconds.
async fn eventually(
    app: &TestApp,
    path: &str,
    done: impl Fn(StatusCode) -> bool,
) -> reqwest::Response {
    for _ in 0..80 {
        let response = app.browser.get(path).await;
        if done(response.status()) {
            return response;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{path} did not answer as expected within 20 s");
}

async fn assert_store_unavailable(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "5");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "storage_unavailable", "{body}");
}

#[tokio::test]
async fn a_database_that_stops_answering_gives_503_json_and_the_app_recovers_by_itself() {
    let server = crate::postgres::server_url();
    let database = crate::postgres::fresh_schema_url(&server).await;
    let upstream: url::Url = database.parse().unwrap();
    let proxy = FaultProxy::start(
        format!("127.0.0.1:{}", upstream.port().unwrap_or(5432))
            .parse()
            .unwrap(),
    )
    .await;
    let mut proxied = upstream.clone();
    proxied.set_port(Some(proxy.port)).unwrap();
    let app = spawn_app_with(&[("DATABASE_URL", proxied.as_str())], Default::default()).await;
    app.browser.sign_in().await;
    assert_eq!(
        app.browser.get("/api/summary").await.status(),
        StatusCode::OK
    );

    proxy.cut();
    let down = eventually(&app, "/api/summary", |s| s != StatusCode::OK).await;
    let ready = app.browser.get(shared::routes::READY).await;
    let alive = app.browser.get(shared::routes::HEALTH).await;

    assert_store_unavailable(down).await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(alive.status(), StatusCode::OK);

    proxy.restore();
    let back = eventually(&app, "/api/summary", |s| s == StatusCode::OK).await;
    assert_eq!(
        back.status(),
        StatusCode::OK,
        "signed in still, with no restart"
    );
}

#[tokio::test]
async fn a_redis_that_stops_answering_gives_503_json_and_the_app_recovers_by_itself() {
    let redis = RedisServer::start();
    let upstream: url::Url = redis.url.parse().unwrap();
    let proxy = FaultProxy::start(
        format!("127.0.0.1:{}", upstream.port().unwrap())
            .parse()
            .unwrap(),
    )
    .await;
    let proxied = format!("redis://127.0.0.1:{}", proxy.port);
    let app = spawn_app_with(&[("REDIS_URL", &proxied)], Default::default()).await;
    app.browser.sign_in().await;
    assert_eq!(
        app.browser.get("/api/summary").await.status(),
        StatusCode::OK
    );

    proxy.cut();
    let down = eventually(&app, "/api/summary", |s| s != StatusCode::OK).await;
    let session = app.browser.get(shared::routes::SESSION).await;

    assert_store_unavailable(down).await;
    assert_store_unavailable(session).await;

    proxy.restore();
    let back = eventually(&app, "/api/summary", |s| s == StatusCode::OK).await;
    assert_eq!(
        back.status(),
        StatusCode::OK,
        "the session survived the outage"
    );
}

#[tokio::test]
async fn sigterm_lets_requests_finish_stops_syncs_at_a_page_and_exits_0() {
    // The app under test signs in; a second process of the real binary shares its database,
    // simulator and session key, and is the one stopped.
    let app = spawn_app_with(
        &[("SYNC_BACKFILL_DAYS", "20"), ("SYNC_CONCURRENCY", "1")],
        Default::default(),
    )
    .await;
    app.browser.sign_in().await;
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let process = Command::new(env!("CARGO_BIN_EXE_oura-dashboard"))
        .envs(&app.env)
        .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{address}/healthz"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Slow answers from Oura: the sync's first page and a profile refresh are in flight.
    app.sim.inject(
        oura_simulator::FaultTarget::Daily,
        oura_simulator::Fault::delay(Duration::from_millis(1500)),
    );
    app.sim.inject(
        oura_simulator::FaultTarget::PersonalInfo,
        oura_simulator::Fault::delay(Duration::from_millis(1000)),
    );
    let cookie = app.browser.cookie_header().unwrap();
    let requests_before = app.sim.counters().data_requests;
    let started = client
        .post(format!("{address}/api/sync"))
        .header("Cookie", &cookie)
        .headers(csrf_headers())
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::ACCEPTED);
    let profile = tokio::spawn({
        let (client, cookie) = (client.clone(), cookie.clone());
        let url = format!("{address}/api/profile?refresh=true");
        async move { client.get(url).header("Cookie", cookie).send().await }
    });
    // Both slow requests have reached Oura (a fixed pause is not enough on a loaded machine).
    for _ in 0..400 {
        if app.sim.counters().data_requests >= requests_before + 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(app.sim.counters().data_requests >= requests_before + 2);

    let killed = Command::new("kill")
        .args(["-TERM", &process.id().to_string()])
        .status()
        .unwrap();
    let profile = profile.await.unwrap().unwrap();
    let output = tokio::task::spawn_blocking(move || process.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let (exit, log) = (output.status, String::from_utf8_lossy(&output.stderr));

    assert!(killed.success());
    assert_eq!(
        profile.status(),
        StatusCode::OK,
        "the request in flight finished"
    );
    assert_eq!(exit.code(), Some(0), "{log}");
    let status = app.browser.sync_status().await;
    assert_eq!(
        status.state,
        shared::SyncState::Interrupted,
        "{status:?}; the stopped process logged:\n{log}"
    );
    let lease: i64 = sqlx::query_scalar("SELECT lease_until FROM sync_runs")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(lease, 0, "the lease was released, not left to lapse");
    assert!(
        count_daily(&app, "daily_sleep").await > 0,
        "the page in flight was stored before the run stopped"
    );
    assert_eq!(
        count_daily(&app, "daily_readiness").await,
        0,
        "no page was started after the signal"
    );
}

async fn count_daily(app: &TestApp, collection: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM daily_documents WHERE collection = $1")
        .bind(collection)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}
