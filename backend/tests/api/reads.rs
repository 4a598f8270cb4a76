//! A read is a read: signed-in requests and API-key requests write nothing to the store until
//! something is worth recording (a session's idle window renewed once a meaningful part of it
//! has passed, a key's use once a minute).

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use shared::routes;

use crate::helpers::*;

async fn session_expiry(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT MAX(expires_at) FROM sessions WHERE user_id IS NOT NULL")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn signed_in_reads_leave_the_session_row_and_cookie_alone() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let expiry = session_expiry(&app).await;
    // Expiries are in whole seconds: a rewrite would show after this.
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let month = format!("{}?start=2026-01-01&end=2026-01-31", routes::DAILY);
    for path in [routes::SESSION, &month, routes::SUMMARY, routes::SYNC] {
        let response = app.browser.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers().get(SET_COOKIE).is_none(),
            "{path} re-sent the cookie"
        );
    }

    assert_eq!(session_expiry(&app).await, expiry, "the row was rewritten");
}

#[tokio::test]
async fn a_session_in_use_is_renewed_once_a_tenth_of_its_idle_window_has_passed() {
    // A 20 s idle window: renewed after 2 s.
    let app = spawn_app_with(&[("SESSION_IDLE_TIMEOUT_SECS", "20")], Default::default()).await;
    app.browser.sign_in().await;
    let expiry = session_expiry(&app).await;

    tokio::time::sleep(Duration::from_millis(2100)).await;
    let renewed = app.browser.get(routes::SESSION).await;
    let again = app.browser.get(routes::SESSION).await;

    let cookie = renewed
        .headers()
        .get(SET_COOKIE)
        .expect("the cookie is sent again with its new lifetime")
        .to_str()
        .unwrap();
    assert!(cookie.contains("Max-Age=20"), "{cookie}");
    assert!(
        session_expiry(&app).await >= expiry + 2,
        "the row's expiry moved"
    );
    assert!(
        again.headers().get(SET_COOKIE).is_none(),
        "and not again on the next request"
    );
}

#[tokio::test]
async fn a_session_used_more_often_than_its_idle_window_stays_signed_in() {
    let app = spawn_app_with(&[("SESSION_IDLE_TIMEOUT_SECS", "2")], Default::default()).await;
    app.browser.sign_in().await;

    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let status: shared::SessionStatus = app.browser.get_ok(routes::SESSION).await;
        assert!(status.signed_in, "signed out while in use");
    }
}

/// Another instance of the app on the same database, with nothing kept in memory yet.
async fn fresh_instance(app: &TestApp) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    start_instance(&app.env, listener).await;
    address
}

#[tokio::test]
async fn an_api_keys_use_is_recorded_at_most_once_a_minute() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let key = app.browser.create_api_key("reader").await;
    let last_used = || async {
        sqlx::query_scalar::<_, Option<i64>>("SELECT last_used_at FROM api_keys")
            .fetch_one(app.store.pool())
            .await
            .unwrap()
    };
    let pool = app.store.pool().clone();
    let set_last_used = |at: i64| {
        let pool = pool.clone();
        async move {
            sqlx::query("UPDATE api_keys SET last_used_at = $1")
                .bind(at)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    let read = |address: String| {
        let secret = key.secret.clone();
        async move {
            let response = reqwest::Client::new()
                .get(format!("{address}{}", routes::SUMMARY))
                .bearer_auth(secret)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
        }
    };

    read(app.address.clone()).await;
    let first = last_used().await.expect("the first use is recorded");
    // The first use 30 s ago, as an instance reading the key afresh finds it: still within
    // the minute, so not rewritten.
    set_last_used(first - 30).await;
    read(fresh_instance(&app).await).await;
    assert_eq!(last_used().await, Some(first - 30));

    // Past the minute, the next use is recorded.
    set_last_used(first - 61).await;
    read(fresh_instance(&app).await).await;
    assert!(last_used().await.unwrap() >= first);
}

#[tokio::test]
async fn a_second_instance_on_the_same_database_sees_a_logout_within_two_seconds() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let other = fresh_instance(&app).await;
    let cookie = app.browser.cookie_header().unwrap();
    let session_on_other = || async {
        let status: shared::SessionStatus = reqwest::Client::new()
            .get(format!("{other}{}", routes::SESSION))
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        status.signed_in
    };
    assert!(
        session_on_other().await,
        "the session works there, and is kept"
    );

    let logout = app.browser.logout(csrf_headers()).await;
    assert!(logout.status().is_redirection() || logout.status().is_success());
    tokio::time::sleep(Duration::from_millis(2200)).await;

    assert!(!session_on_other().await, "signed out there too");
}
